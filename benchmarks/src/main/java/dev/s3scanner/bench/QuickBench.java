package dev.s3scanner.bench;

import dev.s3scanner.core.detect.ContentScanner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * A quick detection benchmark without JMH: scans {@link MixedCorpus} with the engine and with the
 * seed's approach on one thread, for a few rounds after a warm-up, and prints MB/s (10^6 bytes per
 * second) per round, the best round and the ratio. Two rates are printed: per second of wall time,
 * and per second of this thread's CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime()}), which
 * stays meaningful when other processes share the cores. Arguments: corpus MiB (default 32),
 * rounds (default 5).
 */
public final class QuickBench {
    private QuickBench() {
    }

    public static void main(String[] args) throws IOException {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 32;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<byte[]> objects = MixedCorpus.objects(mib << 20, DetectionBenchmark.OBJECT_BYTES);
        long bytes = MixedCorpus.size(objects);
        ContentScanner engine = ContentScanner.defaults();
        SeedScanner seed = new SeedScanner();
        System.out.printf("corpus: %.1f MB in %d objects, %s%n", bytes / 1e6, objects.size(), Runtime.version());

        long findings = 0;
        long matches = 0;
        for (int w = 0; w < 3; w++) { // warm-up
            findings = runEngine(engine, objects);
            matches = runSeed(seed, objects);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double bestEngine = 0;
        double bestSeed = 0;
        double bestEngineCpu = 0;
        double bestSeedCpu = 0;
        for (int r = 1; r <= rounds; r++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            runEngine(engine, objects);
            long t1 = System.nanoTime();
            long c1 = threads.getCurrentThreadCpuTime();
            runSeed(seed, objects);
            long t2 = System.nanoTime();
            long c2 = threads.getCurrentThreadCpuTime();
            double e = bytes / 1e6 / ((t1 - t0) / 1e9);
            double s = bytes / 1e6 / ((t2 - t1) / 1e9);
            double ec = bytes / 1e6 / ((c1 - c0) / 1e9);
            double sc = bytes / 1e6 / ((c2 - c1) / 1e9);
            bestEngine = Math.max(bestEngine, e);
            bestSeed = Math.max(bestSeed, s);
            bestEngineCpu = Math.max(bestEngineCpu, ec);
            bestSeedCpu = Math.max(bestSeedCpu, sc);
            System.out.printf("round %d: engine %7.1f MB/s wall %7.1f MB/s cpu   seed %6.1f MB/s wall %6.1f MB/s cpu%n", r, e, ec, s, sc);
        }
        System.out.printf("best wall: engine %.1f MB/s, seed %.1f MB/s, ratio %.1fx%n", bestEngine, bestSeed, bestEngine / bestSeed);
        System.out.printf("best cpu:  engine %.1f MB/s per core, seed %.1f MB/s per core, ratio %.1fx%n", bestEngineCpu, bestSeedCpu,
                bestEngineCpu / bestSeedCpu);
        System.out.printf("findings per pass: engine %d, seed matches %d%n", findings, matches);
        for (String kind : List.of("log", "csv", "json", "prose", "config")) {
            List<byte[]> some = new java.util.ArrayList<>();
            for (int i = 0; i < objects.size(); i++) {
                if (MixedCorpus.kind(i).equals(kind)) {
                    some.add(objects.get(i));
                }
            }
            long size = MixedCorpus.size(some);
            double best = 0;
            long n = 0;
            for (int r = 0; r < rounds; r++) {
                long c0 = threads.getCurrentThreadCpuTime();
                n = runEngine(engine, some);
                long c1 = threads.getCurrentThreadCpuTime();
                best = Math.max(best, size / 1e6 / ((c1 - c0) / 1e9));
            }
            System.out.printf("  engine on %-6s %5.1f MB %8.1f MB/s cpu  %7d findings%n", kind, size / 1e6, best, n);
        }
    }

    private static long runEngine(ContentScanner engine, List<byte[]> objects) throws IOException {
        long n = 0;
        for (byte[] o : objects) {
            n += engine.scan(new ByteArrayInputStream(o)).findingCount();
        }
        return n;
    }

    private static long runSeed(SeedScanner seed, List<byte[]> objects) {
        long n = 0;
        for (byte[] o : objects) {
            n += seed.scan(o);
        }
        return n;
    }
}
