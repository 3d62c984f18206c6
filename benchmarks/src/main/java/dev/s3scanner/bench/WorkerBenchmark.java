package dev.s3scanner.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.listing.ListedPageRecorder;
import dev.s3scanner.core.local.LocalS3Server;
import dev.s3scanner.core.local.LocalSqsServer;
import dev.s3scanner.core.message.ScanTaskCodec;
import dev.s3scanner.core.queue.ScanTaskSender;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobStatus;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.ListedObject;
import dev.s3scanner.core.store.NewJob;
import dev.s3scanner.worker.Worker;
import dev.s3scanner.worker.WorkerComponents;
import dev.s3scanner.worker.WorkerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The worker benchmark (a command, not a test): scans N objects of a given size through the real
 * worker code ({@link WorkerComponents}: receivers, object pool, detection, one transaction per
 * message, DeleteMessageBatch), the real PostgreSQL and the in-process SQS server, with the objects
 * served from memory (our own ceiling) and, separately, by s3proxy over files (the real S3
 * protocol); and in the same run the seed's way: one object per message, one object at a time per
 * thread, 20 threads, the seed's regexes, one INSERT per finding. Prints files/s, MB/s, CPU use
 * and heap for each, and the ratio.
 */
@Command(name = "worker-benchmark", mixinStandardHelpOptions = true,
        description = "Scan N objects through the real worker; compare with the seed's way.")
public final class WorkerBenchmark implements Callable<Integer> {
    @Option(names = "--objects", description = "Objects for our worker with the in-memory source. Default: ${DEFAULT-VALUE}.")
    int objects = 100_000;

    @Option(names = "--s3proxy-objects", description = "Objects for our worker through s3proxy (0 to skip). Default: ${DEFAULT-VALUE}.")
    int s3proxyObjects = 10_000;

    @Option(names = "--seed-objects", description = "Objects for the seed's way (0 to skip). Default: ${DEFAULT-VALUE}.")
    int seedObjects = 2_000;

    @Option(names = "--rounds", description = "With the in-memory source, alternate ours and the seed's way this many "
            + "times (each round a 1/N share of --objects and --seed-objects), so that both meet the machine's slow and "
            + "fast spells; the ratio is taken over the sums. Default: ${DEFAULT-VALUE}.")
    int rounds = 1;

    @Option(names = "--warmup-objects", description = "Objects our worker scans from the in-memory source before "
            + "anything is timed (the seed's way gets a fiftieth of them), so that the JIT has compiled the hot code of "
            + "both, as in a worker that has run for a while. 0 to time from a cold start. Default: ${DEFAULT-VALUE}.")
    int warmupObjects = 30_000;

    @Option(names = "--size", description = "Bytes per object. Default: ${DEFAULT-VALUE}.")
    int size = 100_000;

    @Option(names = "--get-latency-ms", description = "First-byte latency of the in-memory source's GetObject, in ms"
            + " (S3's median for small objects is tens of ms). Default: ${DEFAULT-VALUE}.")
    long getLatencyMs = 0;

    @Option(names = "--receivers", description = "Worker receivers. Default: the worker's own default for this machine.")
    Integer receivers;

    @Option(names = "--in-flight", description = "Objects in flight. Default: the worker's own default for this machine.")
    Integer inFlight;

    @Option(names = "--admin-jdbc-url", description = "A PostgreSQL database the benchmark may create others from. Default: ${DEFAULT-VALUE}.")
    String adminUrl = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private static final int DISTINCT = 64;
    private static final int SEED_THREADS = 20;

    /** What one run measured. */
    record Result(String name, long objects, double seconds, double cpuSeconds, double pgCpuSeconds, long maxHeapUsed,
                  long maxLiveAfterGc, long findings) {
        double filesPerSecond() {
            return objects / seconds;
        }

        double mbPerSecond(int size) {
            return objects * (double) size / 1e6 / seconds;
        }

        String line(int size) {
            int cores = Runtime.getRuntime().availableProcessors();
            return String.format(Locale.ROOT,
                    "%-34s %,9d objects in %7.2f s = %,8.0f files/s, %7.1f MB/s; CPU %5.0f%% of %d cores (%.1f CPU-s); "
                            + "PostgreSQL backends %.1f CPU-s (%.3f ms per object); "
                            + "heap max %,d MB, live after GC max %,d MB; %,d findings",
                    name, objects, seconds, filesPerSecond(), mbPerSecond(size), 100 * cpuSeconds / seconds / cores, cores,
                    cpuSeconds, pgCpuSeconds, 1000 * pgCpuSeconds / objects, maxHeapUsed >> 20, maxLiveAfterGc >> 20, findings);
        }
    }

    @Override
    public Integer call() throws Exception {
        ObjectCorpus corpus = new ObjectCorpus(DISTINCT, size);
        int cores = Runtime.getRuntime().availableProcessors();
        WorkerSettings defaults = WorkerSettings.defaults("unused", cores, (int) (Runtime.getRuntime().maxMemory() >> 20));
        int r = receivers != null ? receivers : defaults.receivers();
        int k = inFlight != null ? inFlight : defaults.maxInFlightObjects();
        System.out.printf(Locale.ROOT, "worker benchmark: %d cores, -Xmx %,d MB, %,d-byte objects (%d distinct bodies, %d findings each), "
                        + "receivers %d, objects in flight %d, in-memory GetObject latency %d ms, load average %.2f%n", cores, Runtime.getRuntime().maxMemory() >> 20,
                size, DISTINCT, ObjectCorpus.findingsPerBody(), r, k, getLatencyMs, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<Result> results = new ArrayList<>();
        try (BenchDatabase db = BenchDatabase.create(adminUrl, r + 8); LocalSqsServer sqsServer = LocalSqsServer.start();
             SqsClient sqs = AwsClients.sqs(AwsClients.Settings.local(null, sqsServer.endpoint(), 32))) {
            JobStore store = new JobStore(db.dataSource);
            Result seedMemory = null;
            try (S3Client memory = new InMemoryObjects(corpus, getLatencyMs)) {
                if (warmupObjects > 0) {
                    if (objects > 0) {
                        System.out.println(ours("(warm-up, not counted) ours", store, db, sqs, memory, warmupObjects, r, k)
                                .line(size));
                    }
                    if (seedObjects > 0 && warmupObjects >= 50) {
                        System.out.println(seed("(warm-up, not counted) seed's way", store, db, sqs, memory,
                                warmupObjects / 50).line(size));
                    }
                }
                List<Result> oursRounds = new ArrayList<>();
                List<Result> seedRounds = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    String suffix = rounds == 1 ? "" : ", round " + round;
                    if (objects > 0) {
                        Result o = ours("ours, in-memory source" + suffix, store, db, sqs, memory, objects / rounds, r, k);
                        oursRounds.add(o);
                        System.out.println(o.line(size));
                    }
                    if (seedObjects > 0) {
                        Result sd = seed("seed's way, in-memory source" + suffix, store, db, sqs, memory, seedObjects / rounds);
                        seedRounds.add(sd);
                        System.out.println(sd.line(size));
                    }
                }
                if (!oursRounds.isEmpty()) {
                    results.add(sum("ours, in-memory source", oursRounds));
                }
                if (!seedRounds.isEmpty()) {
                    seedMemory = sum("seed's way, in-memory source", seedRounds);
                    results.add(seedMemory);
                }
                if (rounds > 1) {
                    results.forEach(x -> System.out.println(x.line(size)));
                    for (int i = 0; i < Math.min(oursRounds.size(), seedRounds.size()); i++) {
                        System.out.printf(Locale.ROOT, "ratio in round %d: %.1fx%n", i + 1,
                                oursRounds.get(i).filesPerSecond() / seedRounds.get(i).filesPerSecond());
                    }
                }
            }
            if (s3proxyObjects > 0) {
                Path dir = Files.createTempDirectory("worker-bench");
                try (LocalS3Server s3Server = LocalS3Server.start(dir)) {
                    writeBucket(dir.resolve("bench-bucket"), corpus, Math.max(s3proxyObjects, seedObjects));
                    try (S3Client s3 = AwsClients.s3(AwsClients.Settings.local(s3Server.endpoint(), sqsServer.endpoint(), k + r + 8))) {
                        Result ours = ours("ours, s3proxy source", store, db, sqs, s3, s3proxyObjects, r, k);
                        results.add(ours);
                        System.out.println(ours.line(size));
                        if (seedObjects > 0) {
                            Result seed = seed("seed's way, s3proxy source", store, db, sqs, s3, Math.min(seedObjects, s3proxyObjects));
                            results.add(seed);
                            System.out.println(seed.line(size));
                            System.out.printf(Locale.ROOT, "ratio through s3proxy: %.1fx%n", ours.filesPerSecond() / seed.filesPerSecond());
                        }
                    }
                } finally {
                    try (Stream<Path> walk = Files.walk(dir)) {
                        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
            if (seedMemory != null && objects > 0) {
                Result o = results.get(0);
                System.out.printf(Locale.ROOT, "ratio with the in-memory source: %.1fx%n",
                        o.filesPerSecond() / seedMemory.filesPerSecond());
                double oursCpu = (o.cpuSeconds() + o.pgCpuSeconds()) * 1000 / o.objects();
                double seedCpu = (seedMemory.cpuSeconds() + seedMemory.pgCpuSeconds()) * 1000 / seedMemory.objects();
                System.out.printf(Locale.ROOT, "CPU per object, JVM and PostgreSQL backends: ours %.3f ms, the seed's way "
                        + "%.3f ms: %.1fx%n", oursCpu, seedCpu, seedCpu / oursCpu);
                System.out.printf(Locale.ROOT, "ours per vCPU (in-memory source): %,.0f files/s, %.1f MB/s%n",
                        results.get(0).filesPerSecond() / cores, results.get(0).mbPerSecond(size) / cores);
            }
        }
        return 0;
    }

    /** The rounds of one phase as one result: objects, time and CPU summed, heap figures the largest. */
    private static Result sum(String name, List<Result> rounds) {
        if (rounds.size() == 1) {
            Result only = rounds.get(0);
            return new Result(name, only.objects(), only.seconds(), only.cpuSeconds(), only.pgCpuSeconds(),
                    only.maxHeapUsed(), only.maxLiveAfterGc(), only.findings());
        }
        return new Result(name + " (all rounds)", rounds.stream().mapToLong(Result::objects).sum(),
                rounds.stream().mapToDouble(Result::seconds).sum(), rounds.stream().mapToDouble(Result::cpuSeconds).sum(),
                rounds.stream().mapToDouble(Result::pgCpuSeconds).sum(),
                rounds.stream().mapToLong(Result::maxHeapUsed).max().orElse(0),
                rounds.stream().mapToLong(Result::maxLiveAfterGc).max().orElse(0),
                rounds.stream().mapToLong(Result::findings).sum());
    }

    /** Records N objects for a new job and enqueues their scan tasks (not timed). */
    private static Job enqueue(JobStore store, SqsClient sqs, String queueUrl, String bucket, int n, int size,
                               int objectsPerTask) {
        Job job = store.createJob(NewJob.of(bucket, ""));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            ListedPageRecorder recorder = new ListedPageRecorder(store, new ScanTaskSender(sqs, queueUrl, pool, 5, 50),
                    ScanTaskCodec.DEFAULT_MAX_BODY_BYTES, objectsPerTask);
            for (int page = 0; page * 1000 < n; page++) {
                List<ListedObject> objs = new ArrayList<>();
                for (int i = page * 1000; i < Math.min(n, page * 1000 + 1000); i++) {
                    objs.add(ListedObject.queued(InMemoryObjects.key(i), null, size, null, "STANDARD", null));
                }
                recorder.record(job, "page-" + page, null, objs);
            }
        } finally {
            pool.shutdownNow();
        }
        store.finishListing(job.jobId());
        return job;
    }

    private Result ours(String name, JobStore store, BenchDatabase db, SqsClient sqs, S3Client s3, int n, int r, int k)
            throws Exception {
        String queueUrl = sqs.createQueue(b -> b.queueName("ours-" + UUID.randomUUID())).queueUrl();
        Job job = enqueue(store, sqs, queueUrl, "bench-bucket", n, size, ScanTaskCodec.DEFAULT_MAX_OBJECTS);
        WorkerSettings settings = WorkerSettings.defaults(queueUrl, Runtime.getRuntime().availableProcessors(),
                        (int) (Runtime.getRuntime().maxMemory() >> 20))
                .withConcurrency(r, k).withWaitTime(Duration.ofSeconds(1));
        Worker worker = WorkerComponents.build(store, s3, sqs, settings);
        HeapWatch heap = new HeapWatch();
        java.util.Map<Integer, Double> pg0 = BenchDatabase.backendCpu(db);
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        worker.start();
        while (store.findJob(job.jobId()).orElseThrow().status() != JobStatus.COMPLETED) {
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (cpuNanos() - cpu0) / 1e9;
        double pgCpu = BenchDatabase.cpuSince(pg0, BenchDatabase.backendCpu(db));
        heap.stop();
        worker.stop(Duration.ofSeconds(10));
        sqs.deleteQueue(b -> b.queueUrl(queueUrl)); // the in-process SQS server holds a queue's state in this heap
        long findings = db.count("SELECT count(*) FROM findings WHERE job_id = '" + job.jobId() + "'");
        check(db.count("SELECT count(*) FROM job_objects WHERE job_id = '" + job.jobId() + "' AND state = 'succeeded'") == n,
                "every object succeeded");
        check(findings == (long) n * ObjectCorpus.findingsPerBody(), "three findings per object, got " + findings
                + " for " + n + " objects");
        return new Result(name, n, seconds, cpu, pgCpu, heap.maxUsed.get(), heap.maxLive.get(), findings);
    }

    /**
     * The seed's worker: 20 threads, each receiving up to 10 messages of one object and handling
     * them one at a time: GetObject read whole, the seed's regexes, one INSERT per finding, one
     * UPDATE for the object, then one DeleteMessage.
     */
    private Result seed(String name, JobStore store, BenchDatabase db, SqsClient sqs, S3Client s3, int n) throws Exception {
        String queueUrl = sqs.createQueue(b -> b.queueName("seed-" + UUID.randomUUID())).queueUrl();
        Job job = enqueue(store, sqs, queueUrl, "bench-bucket", n, size, 1);
        SeedScanner scanner = new SeedScanner();
        AtomicLong done = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(SEED_THREADS);
        HeapWatch heap = new HeapWatch();
        java.util.Map<Integer, Double> pg0 = BenchDatabase.backendCpu(db);
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        for (int t = 0; t < SEED_THREADS; t++) {
            threads.execute(() -> {
                while (running.get()) {
                    List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                            .messages();
                    for (Message m : messages) {
                        String key = ScanTaskCodec.decode(m.body()).objects().get(0).key();
                        try (InputStream in = s3.getObject(b -> b.bucket("bench-bucket").key(key))) {
                            byte[] bytes = in.readAllBytes();
                            try (Connection c = db.dataSource.getConnection()) {
                                for (SeedScanner.SeedMatch match : scanner.matches(bytes)) {
                                    try (PreparedStatement ps = c.prepareStatement("""
                                            INSERT INTO findings (job_id, key, detector, byte_offset, masked_value, context)
                                            VALUES (?, ?, ?, ?, ?, '') ON CONFLICT DO NOTHING""")) {
                                        ps.setObject(1, job.jobId());
                                        ps.setString(2, key);
                                        ps.setString(3, match.detector());
                                        ps.setLong(4, match.offset());
                                        ps.setString(5, "*".repeat(Math.max(0, match.value().length() - 4))
                                                + match.value().substring(Math.max(0, match.value().length() - 4)));
                                        ps.executeUpdate();
                                    }
                                }
                                try (PreparedStatement ps = c.prepareStatement(
                                        "UPDATE job_objects SET state = 'succeeded', updated_at = now() WHERE job_id = ? AND key = ?")) {
                                    ps.setObject(1, job.jobId());
                                    ps.setString(2, key);
                                    ps.executeUpdate();
                                }
                            }
                            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(DeleteMessageBatchRequestEntry.builder()
                                    .id("0").receiptHandle(m.receiptHandle()).build()));
                            done.incrementAndGet();
                        } catch (IOException | java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            });
        }
        while (done.get() < n) {
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (cpuNanos() - cpu0) / 1e9;
        double pgCpu = BenchDatabase.cpuSince(pg0, BenchDatabase.backendCpu(db));
        running.set(false);
        threads.shutdown();
        threads.awaitTermination(30, TimeUnit.SECONDS);
        sqs.deleteQueue(b -> b.queueUrl(queueUrl)); // the in-process SQS server holds a queue's state in this heap
        heap.stop();
        long findings = db.count("SELECT count(*) FROM findings WHERE job_id = '" + job.jobId() + "'");
        return new Result(name, n, seconds, cpu, pgCpu, heap.maxUsed.get(), heap.maxLive.get(), findings);
    }

    private static void writeBucket(Path bucket, ObjectCorpus corpus, int n) throws IOException {
        Path bodies = bucket.getParent().resolve("bodies");
        Files.createDirectories(bodies);
        for (int i = 0; i < corpus.distinct(); i++) {
            Files.write(bodies.resolve("body-" + i), corpus.body(i));
        }
        Files.createDirectories(bucket.resolve("bench"));
        for (int i = 0; i < n; i++) {
            // hard links: n keys, 64 bodies' worth of disk
            Files.createLink(bucket.resolve(InMemoryObjects.key(i)), bodies.resolve("body-" + (i % corpus.distinct())));
        }
    }

    private static long cpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark result is wrong: " + what);
        }
    }

    /** Samples heap use every 100 ms: the largest used heap, and the largest heap live after a collection. */
    private static final class HeapWatch {
        final AtomicLong maxUsed = new AtomicLong();
        final AtomicLong maxLive = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        HeapWatch() {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    pool.resetPeakUsage();
                }
            }
            thread = new Thread(() -> {
                while (running.get()) {
                    long used = 0;
                    long live = 0;
                    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                        if (pool.getType() == MemoryType.HEAP) {
                            used += pool.getUsage().getUsed();
                            if (pool.getCollectionUsage() != null) {
                                live += pool.getCollectionUsage().getUsed();
                            }
                        }
                    }
                    maxUsed.accumulateAndGet(used, Math::max);
                    maxLive.accumulateAndGet(live, Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-watch");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new WorkerBenchmark()).execute(args));
    }
}
