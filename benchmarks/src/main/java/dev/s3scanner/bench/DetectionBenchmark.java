package dev.s3scanner.bench;

import dev.s3scanner.core.detect.ContentScanner;
import dev.s3scanner.core.detect.CustomDetector;
import dev.s3scanner.core.detect.DetectionOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Detection throughput on one thread (one core) over {@link MixedCorpus}: the S3 Scanner engine
 * ({@link ContentScanner#defaults()} on each object's stream, findings masked with context), the
 * engine with one custom RE2 detector, and the seed's approach ({@link SeedScanner}). One operation
 * scans the whole corpus (32 MiB in 128 objects of 256 KiB).
 *
 * <p>{@link #main} runs the three with JMH and prints MB/s (10^6 bytes per second) from the mean
 * and from the fastest measured iteration (the least disturbed one on a shared machine), and the
 * engine/seed ratio of the means.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Threads(1)
public class DetectionBenchmark {
    static final long CORPUS_BYTES = 32L << 20;
    static final int OBJECT_BYTES = 256 << 10;

    private List<byte[]> objects;
    private ContentScanner engine;
    private ContentScanner engineWithCustom;
    private SeedScanner seed;

    @Setup
    public void setup() {
        objects = MixedCorpus.objects(CORPUS_BYTES, OBJECT_BYTES);
        engine = ContentScanner.defaults();
        engineWithCustom = ContentScanner.forOptions(DetectionOptions.defaults()
                .withCustomDetectors(List.of(CustomDetector.of("order_sku", "SKU-[0-9]{5}"))));
        seed = new SeedScanner();
    }

    @Benchmark
    public long engine() throws IOException {
        long n = 0;
        for (byte[] o : objects) {
            n += engine.scan(new ByteArrayInputStream(o)).findingCount();
        }
        return n;
    }

    @Benchmark
    public long engineWithOneCustomDetector() throws IOException {
        long n = 0;
        for (byte[] o : objects) {
            n += engineWithCustom.scan(new ByteArrayInputStream(o)).findingCount();
        }
        return n;
    }

    @Benchmark
    public long seedRegexPerDetector() {
        long n = 0;
        for (byte[] o : objects) {
            n += seed.scan(o);
        }
        return n;
    }

    /** Runs the benchmarks with JMH, then prints MB/s per benchmark and the engine/seed ratio. */
    public static void main(String[] args) throws RunnerException {
        Options opts = new OptionsBuilder().include(DetectionBenchmark.class.getSimpleName()).build();
        Collection<RunResult> results = new Runner(opts).run();
        double bytes = MixedCorpus.size(MixedCorpus.objects(CORPUS_BYTES, OBJECT_BYTES));
        double engine = 0;
        double seedRate = 0;
        System.out.println();
        System.out.printf("corpus: %.1f MB in %d objects%n", bytes / 1e6, MixedCorpus.objects(CORPUS_BYTES, OBJECT_BYTES).size());
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            double ms = r.getPrimaryResult().getScore();
            double err = r.getPrimaryResult().getScoreError();
            double mbps = bytes / 1e6 / (ms / 1000);
            double bestMs = Double.MAX_VALUE;
            for (BenchmarkResult b : r.getBenchmarkResults()) {
                for (IterationResult it : b.getIterationResults()) {
                    bestMs = Math.min(bestMs, it.getPrimaryResult().getScore());
                }
            }
            System.out.printf("%-30s %8.1f ms/op ± %.1f  %8.1f MB/s per core (mean)  %8.1f MB/s (best iteration)%n",
                    name, ms, err, mbps, bytes / 1e6 / (bestMs / 1000));
            if (name.equals("engine")) {
                engine = mbps;
            } else if (name.equals("seedRegexPerDetector")) {
                seedRate = mbps;
            }
        }
        if (engine > 0 && seedRate > 0) {
            System.out.printf("engine / seed: %.1fx%n", engine / seedRate);
        }
    }
}
