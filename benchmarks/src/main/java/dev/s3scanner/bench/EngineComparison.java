package dev.s3scanner.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Compares two builds of the detection engine in one JVM, for a before/after figure on a shared,
 * noisy machine: each build is loaded from its own jar (a {@code benchmarks.jar}, which holds
 * {@code s3scanner-core}) in its own class loader, both scan {@link MixedCorpus} on this thread in
 * alternating rounds, and each round's rate is taken per second of this thread's CPU time
 * ({@link ThreadMXBean#getCurrentThreadCpuTime()}), so both builds see the same machine and time
 * slices taken by other processes do not count. Before measuring, every object is scanned by both
 * and the results (findings with offsets, masks and contexts, counts, outcome) must be equal.
 *
 * <p>Arguments: {@code <before.jar> <after.jar> [corpus MiB, default 32] [rounds, default 15]
 * [object KiB, default 256]}. Prints each round, then the median and best MB/s (10^6 bytes) per
 * core of each build and their ratio.
 */
public final class EngineComparison {
    private EngineComparison() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: EngineComparison <before.jar> <after.jar> [corpus MiB] [rounds] [object KiB]");
            System.exit(2);
        }
        long mib = args.length > 2 ? Long.parseLong(args[2]) : 32;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        int objectKib = args.length > 4 ? Integer.parseInt(args[4]) : 256;
        Engine[] engines = {new Engine(Path.of(args[0])), new Engine(Path.of(args[1]))};
        List<byte[]> objects = MixedCorpus.objects(mib << 20, objectKib << 10);
        long bytes = MixedCorpus.size(objects);
        for (byte[] o : objects) {
            if (!engines[0].scan(o).toString().equals(engines[1].scan(o).toString())) {
                System.out.println("results differ: the two builds do not find the same");
                System.exit(1);
            }
        }
        System.out.printf("corpus: %.1f MB in %d objects of %d KiB; results identical%n", bytes / 1e6, objects.size(), objectKib);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int w = 0; w < 3; w++) {
            for (Engine e : engines) {
                e.scanAll(objects);
            }
        }
        double[][] rates = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int j = 0; j < 2; j++) {
                int k = (r + j) % 2; // alternate which build goes first
                long c0 = threads.getCurrentThreadCpuTime();
                engines[k].scanAll(objects);
                long c1 = threads.getCurrentThreadCpuTime();
                rates[k][r] = bytes / 1e6 / ((c1 - c0) / 1e9);
            }
            System.out.printf("round %2d: before %7.1f  after %7.1f MB/s per core (CPU time)%n", r + 1, rates[0][r], rates[1][r]);
        }
        Arrays.sort(rates[0]);
        Arrays.sort(rates[1]);
        double m0 = rates[0][rounds / 2];
        double m1 = rates[1][rounds / 2];
        System.out.printf("median: before %.1f, after %.1f MB/s per core, after/before %.2fx%n", m0, m1, m1 / m0);
        System.out.printf("best:   before %.1f, after %.1f MB/s per core, after/before %.2fx%n", rates[0][rounds - 1],
                rates[1][rounds - 1], rates[1][rounds - 1] / rates[0][rounds - 1]);
    }

    /** {@code ContentScanner.defaults()} of one jar. */
    private static final class Engine {
        private final Object scanner;
        private final Method scan;
        private final Method findingCount;

        Engine(Path jar) throws IOException, ReflectiveOperationException {
            ClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> type = loader.loadClass("dev.s3scanner.core.detect.ContentScanner");
            scanner = type.getMethod("defaults").invoke(null);
            scan = type.getMethod("scan", InputStream.class);
            findingCount = loader.loadClass("dev.s3scanner.core.detect.ScanResult").getMethod("findingCount");
        }

        Object scan(byte[] object) throws IllegalAccessException, InvocationTargetException {
            return scan.invoke(scanner, new ByteArrayInputStream(object));
        }

        long scanAll(List<byte[]> objects) throws IllegalAccessException, InvocationTargetException {
            long n = 0;
            for (byte[] o : objects) {
                n += (long) findingCount.invoke(scan(o));
            }
            return n;
        }
    }
}
