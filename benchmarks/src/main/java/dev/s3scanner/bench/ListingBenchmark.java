package dev.s3scanner.bench;

import static dev.s3scanner.bench.BenchDatabase.backendCpu;
import static dev.s3scanner.bench.BenchDatabase.cpuSince;

import com.zaxxer.hikari.HikariDataSource;
import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.config.DatabaseSettings;
import dev.s3scanner.core.local.LocalS3Server;
import dev.s3scanner.core.local.LocalSqsServer;
import dev.s3scanner.core.message.ObjectRef;
import dev.s3scanner.core.message.ScanTask;
import dev.s3scanner.core.message.ScanTaskCodec;
import dev.s3scanner.core.store.DataSources;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.ListedObject;
import dev.s3scanner.core.store.NewJob;
import dev.s3scanner.db.SchemaMigrator;
import dev.s3scanner.lister.ListBatchState;
import dev.s3scanner.lister.ListerComponents;
import dev.s3scanner.lister.ObjectListing;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The listing benchmark: lists, records and enqueues objects through the production code
 * ({@code ListBatch.step} in a loop, as the state machine runs it) into the real PostgreSQL and the
 * in-process SQS server (ElasticMQ), and in the same run the seed's approach (one SQS message per
 * object, JDBC batch insert of rows) for the ratio. Prints objects per second for:
 *
 * <ol>
 *   <li>ours, from an in-memory ListObjectsV2 page source ({@link InMemoryBucket}): what the
 *       record-and-enqueue path does per second;</li>
 *   <li>the seed's approach over the same source (fewer objects: its rate does not depend on N);</li>
 *   <li>ours through s3proxy, the real S3 wire protocol, whose listing speed is the limit.</li>
 * </ol>
 *
 * <p>Each phase works in a freshly created database (dropped afterwards) and its own queue. Not a
 * test: it asserts only that every object became one row and is in exactly one message.
 */
@Command(name = "listing-benchmark", mixinStandardHelpOptions = true,
        description = "Lists, records and enqueues N objects; prints objects/s for ours and the seed's approach.")
public final class ListingBenchmark implements Callable<Integer> {
    @Option(names = "--objects", description = "Objects for our path from the in-memory source. Default: ${DEFAULT-VALUE}.")
    int objects = 1_000_000;

    @Option(names = "--seed-objects", description = "Objects for the seed's approach. Default: ${DEFAULT-VALUE}.")
    int seedObjects = 20_000;

    @Option(names = "--s3proxy-objects", description = "Objects listed through s3proxy (0 to skip). Default: ${DEFAULT-VALUE}.")
    int s3proxyObjects = 20_000;

    @Option(names = "--pages-per-step", description = "Pages per ListBatch step. Default: ${DEFAULT-VALUE}.")
    int pagesPerStep = 10;

    @Option(names = "--send-threads", description = "SendMessageBatch threads. Default: ${DEFAULT-VALUE}.")
    int sendThreads = 4;

    @Option(names = "--admin-jdbc-url", description = "A PostgreSQL database the benchmark may create others from. Default: ${DEFAULT-VALUE}.")
    String adminUrl = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    @Option(names = "--phases", split = ",",
            description = "ours, seed, s3proxy, breakdown (stages one after the other), profile (COPY per transaction,"
                    + " key index cost, JSON, send parallelism). Default: ours,seed,s3proxy.")
    List<String> phases = List.of("ours", "seed", "s3proxy");

    @Option(names = "--profile-objects", description = "Objects for the profile phase. Default: ${DEFAULT-VALUE}.")
    int profileObjects = 200_000;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        out.printf(Locale.ROOT, "cores %d, max heap %d MiB, load average %.2f%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        double ours = 0;
        double seed = 0;
        try (LocalSqsServer sqsServer = LocalSqsServer.start();
             SqsClient sqs = AwsClients.sqs(AwsClients.Settings.local(null, sqsServer.endpoint(), 64))) {
            if (phases.contains("ours")) {
                ours = ours(sqs, new InMemoryBucket("bench-bucket", objects), "bench-bucket", objects, "ours, in-memory ListObjectsV2");
            }
            if (phases.contains("seed")) {
                seed = seed(sqs);
            }
            if (phases.contains("breakdown")) {
                breakdown(sqs);
            }
            if (phases.contains("profile")) {
                profile(sqs);
            }
            if (phases.contains("s3proxy") && s3proxyObjects > 0) {
                s3proxy(sqs);
            }
        }
        if (ours > 0 && seed > 0) {
            out.printf(Locale.ROOT, "ratio ours / seed: %.1fx%n", ours / seed);
        }
        return 0;
    }

    private double ours(SqsClient sqs, S3Client source, String bucket, int n, String label) throws Exception {
        try (BenchDatabase db = BenchDatabase.create(adminUrl)) {
            String queueUrl = sqs.createQueue(b -> b.queueName("ours-" + UUID.randomUUID())).queueUrl();
            ExecutorService sendPool = Executors.newFixedThreadPool(sendThreads);
            try {
                JobStore store = new JobStore(db.dataSource);
                ListerComponents lister = ListerComponents.assemble(store, source, sqs, queueUrl, sendPool, pagesPerStep, false);
                UUID jobId = store.createJob(NewJob.of(bucket, "")).jobId();
                java.util.Map<Integer, Double> pgBefore = backendCpu(db);
                double jvmBefore = jvmCpuSeconds();
                long t0 = System.nanoTime();
                ListBatchState state = ListBatchState.start(jobId);
                int steps = 0;
                while (!state.done()) {
                    state = lister.batch().step(state);
                    steps++;
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                double jvmCpu = jvmCpuSeconds() - jvmBefore;
                double pgCpu = cpuSince(pgBefore, backendCpu(db));
                long rows = db.count("SELECT count(*) FROM job_objects WHERE job_id = '" + jobId + "'");
                long messages = messages(sqs, queueUrl);
                out.printf(Locale.ROOT, "%-40s %,10d objects in %7.2f s = %,10.0f objects/s  (%d steps, %,d rows, %,d messages)%n",
                        label, n, seconds, n / seconds, steps, rows, messages);
                out.printf(Locale.ROOT, "%-40s CPU: JVM (ours + SDK + ElasticMQ) %.1f s, PostgreSQL backends %.1f s"
                        + " = %.1f CPU-s per 1M objects%n", "", jvmCpu, pgCpu, (jvmCpu + pgCpu) * 1e6 / n);
                check(rows == n, "rows " + rows + " != objects " + n);
                return n / seconds;
            } finally {
                sendPool.shutdownNow();
            }
        }
    }

    /**
     * Where the time goes: the same pages through each stage alone, one after the other (no
     * overlap): listing and classifying, recording (COPY, counters, ledger), packing (JSON), and
     * sending (SendMessageBatch from the send pool).
     */
    private void breakdown(SqsClient sqs) throws Exception {
        try (BenchDatabase db = BenchDatabase.create(adminUrl)) {
            String queueUrl = sqs.createQueue(b -> b.queueName("breakdown-" + UUID.randomUUID())).queueUrl();
            ExecutorService sendPool = Executors.newFixedThreadPool(sendThreads);
            try {
                String bucket = "bench-bucket";
                JobStore store = new JobStore(db.dataSource);
                UUID jobId = store.createJob(NewJob.of(bucket, "")).jobId();
                ObjectListing listing = new ObjectListing(new InMemoryBucket(bucket, objects), false, 1000);
                java.util.List<ObjectListing.Page> pages = new java.util.ArrayList<>();
                long t0 = System.nanoTime();
                String token = null;
                do {
                    token = listing.listPages(bucket, "", token, 100, pages::add);
                } while (token != null);
                long t1 = System.nanoTime();
                for (ObjectListing.Page p : pages) {
                    store.recordPage(jobId, p.token() == null ? "" : p.token(), p.nextToken(), p.objects());
                }
                long t2 = System.nanoTime();
                java.util.List<ScanTask> tasks = new java.util.ArrayList<>();
                for (ObjectListing.Page p : pages) {
                    java.util.List<ObjectRef> refs = new java.util.ArrayList<>();
                    for (ListedObject o : p.objects()) {
                        refs.add(new ObjectRef(o.key(), o.etag(), o.size(), o.versionId()));
                    }
                    tasks.addAll(ScanTaskCodec.pack(jobId, bucket, refs, ScanTaskCodec.DEFAULT_MAX_BODY_BYTES,
                            ScanTaskCodec.DEFAULT_MAX_OBJECTS));
                }
                long t3 = System.nanoTime();
                dev.s3scanner.core.queue.ScanTaskSender sender = new dev.s3scanner.core.queue.ScanTaskSender(sqs, queueUrl,
                        sendPool, 5, 100);
                check(sender.send(tasks, bucket).isEmpty(), "send failures");
                long t4 = System.nanoTime();
                out.printf(Locale.ROOT, "breakdown for %,d objects: list+classify %.2f s, record %.2f s, pack %.2f s, send %.2f s (%,d messages)%n",
                        objects, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9, tasks.size());
            } finally {
                sendPool.shutdownNow();
            }
        }
    }

    /**
     * Costs of the parts of the path, each measured alone over {@code profileObjects} objects:
     * COPY into {@code job_objects} with 1,000 and 5,000 rows per transaction (one page, and the
     * five pages a list step records together); the same rows into copies of the table with no
     * index, only the {@code (job_id, key)} primary key (collation "C", and the server's default
     * collation as in schema V1), and the primary key plus V1's partial index on open objects;
     * packing and encoding the scan tasks; SendMessageBatch with 1, 2, 4 and 8 threads (ElasticMQ's
     * own speed with our client).
     */
    private void profile(SqsClient sqs) throws Exception {
        int n = profileObjects;
        List<ListedObject> objects = new java.util.ArrayList<>(n);
        ObjectListing listing = new ObjectListing(new InMemoryBucket("b", n), false, 1000);
        String token = null;
        do {
            token = listing.listPages("b", "", token, 1000, p -> objects.addAll(p.objects()));
        } while (token != null);
        try (BenchDatabase db = BenchDatabase.create(adminUrl)) {
            try (Connection c = db.dataSource.getConnection(); Statement st = c.createStatement()) {
                // the same columns as job_objects, with: no index; only the primary key; only the
                // primary key under the server's default collation (schema V1); the primary key and
                // V1's partial index on open objects
                st.execute("CREATE TABLE objects_no_index (LIKE job_objects INCLUDING DEFAULTS)");
                st.execute("CREATE TABLE objects_pk_c (LIKE job_objects INCLUDING DEFAULTS)");
                st.execute("ALTER TABLE objects_pk_c ADD PRIMARY KEY (job_id, key)");
                st.execute("CREATE TABLE objects_pk_default (LIKE job_objects INCLUDING DEFAULTS)");
                st.execute("ALTER TABLE objects_pk_default ALTER COLUMN key TYPE text COLLATE \"default\"");
                st.execute("ALTER TABLE objects_pk_default ADD PRIMARY KEY (job_id, key)");
                st.execute("CREATE TABLE objects_pk_c_open_idx (LIKE job_objects INCLUDING DEFAULTS)");
                st.execute("ALTER TABLE objects_pk_c_open_idx ADD PRIMARY KEY (job_id, key)");
                st.execute("CREATE INDEX ON objects_pk_c_open_idx (job_id) WHERE state IN ('queued', 'processing')");
            }
            // a warm-up round (JIT, caches), then three rounds interleaving the tables; the best
            // round of each is printed (a shared machine's load only ever slows a round down).
            // Each round has a new job id, so every table grows by n rows per round
            java.util.Map<String, Double> best = new java.util.LinkedHashMap<>();
            for (int round = 0; round < 4; round++) {
                for (String[] t : new String[][] {{"job_objects", "1000"}, {"job_objects", "5000"},
                        {"objects_no_index", "1000"}, {"objects_pk_c", "1000"}, {"objects_pk_default", "1000"},
                        {"objects_pk_c_open_idx", "1000"}}) {
                    int perTx = Integer.parseInt(t[1]);
                    UUID job = UUID.randomUUID();
                    long t0 = System.nanoTime();
                    for (int from = 0; from < n; from += perTx) {
                        copy(db.dataSource, t[0], job, objects.subList(from, Math.min(n, from + perTx)));
                    }
                    double sec = (System.nanoTime() - t0) / 1e9;
                    if (round > 0) {
                        best.merge(String.format(Locale.ROOT, "%-22s %,6d rows/transaction", t[0], perTx), n / sec, Math::max);
                    }
                }
            }
            best.forEach((what, rate) -> out.printf(Locale.ROOT, "profile: COPY into %s: %,10.0f rows/s (best of 3)%n",
                    what, rate));
        }
        UUID job = UUID.randomUUID();
        List<ObjectRef> refs = new java.util.ArrayList<>(n);
        for (ListedObject o : objects) {
            refs.add(new ObjectRef(o.key(), o.etag(), o.size(), o.versionId()));
        }
        for (int from = 0; from < n; from += 1000) { // warm-up
            ScanTaskCodec.pack(job, "b", refs.subList(from, Math.min(n, from + 1000)), ScanTaskCodec.DEFAULT_MAX_BODY_BYTES,
                    ScanTaskCodec.DEFAULT_MAX_OBJECTS).forEach(ScanTaskCodec::encode);
        }
        long t0 = System.nanoTime();
        List<ScanTask> tasks = new java.util.ArrayList<>();
        for (int from = 0; from < n; from += 1000) {
            tasks.addAll(ScanTaskCodec.pack(job, "b", refs.subList(from, Math.min(n, from + 1000)),
                    ScanTaskCodec.DEFAULT_MAX_BODY_BYTES, ScanTaskCodec.DEFAULT_MAX_OBJECTS));
        }
        long bytes = 0;
        for (ScanTask task : tasks) {
            bytes += ScanTaskCodec.encode(task).length();
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "profile: pack + encode: %,10.0f objects/s (%,d messages, %,d bytes each on average)%n",
                n / sec, tasks.size(), bytes / tasks.size());
        for (int threads : new int[] {1, 2, 4, 8}) {
            String queueUrl = sqs.createQueue(b -> b.queueName("profile-" + UUID.randomUUID())).queueUrl();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                dev.s3scanner.core.queue.ScanTaskSender sender = new dev.s3scanner.core.queue.ScanTaskSender(sqs, queueUrl,
                        pool, 5, 100);
                long s0 = System.nanoTime();
                check(sender.send(tasks, "b").isEmpty(), "send failures");
                double ss = (System.nanoTime() - s0) / 1e9;
                out.printf(Locale.ROOT, "profile: SendMessageBatch, %d thread(s): %,8.0f messages/s = %,10.0f objects/s%n",
                        threads, tasks.size() / ss, n / ss);
            } finally {
                pool.shutdownNow();
                sqs.deleteQueue(b -> b.queueUrl(queueUrl));
            }
        }
    }

    private static void copy(HikariDataSource ds, String table, UUID jobId, List<ListedObject> objects) throws Exception {
        StringBuilder sb = new StringBuilder(objects.size() * 160);
        for (ListedObject o : objects) {
            sb.append(jobId).append('\t').append(o.key()).append('\t').append(o.etag()).append('\t').append(o.size())
                    .append("\t\\N\t").append(o.storageClass()).append('\t').append(o.lastModified())
                    .append("\tqueued\t\\N\t\\N\t\\N\n");
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn("COPY " + table
                    + " (job_id, key, etag, size, version_id, storage_class, last_modified, state, reason, detail, updated_at)"
                    + " FROM STDIN", new java.io.StringReader(sb.toString()));
            c.commit();
            c.setAutoCommit(true);
        }
    }

    /**
     * The seed's approach over the same in-memory source: per page, one JDBC batch insert of the
     * rows (one INSERT per row, sent as a batch, one transaction per page), then one
     * {@code SendMessage} per object, all on one thread.
     */
    private double seed(SqsClient sqs) throws Exception {
        try (BenchDatabase db = BenchDatabase.create(adminUrl)) {
            String queueUrl = sqs.createQueue(b -> b.queueName("seed-" + UUID.randomUUID())).queueUrl();
            String bucket = "bench-bucket";
            JobStore store = new JobStore(db.dataSource);
            UUID jobId = store.createJob(NewJob.of(bucket, "")).jobId();
            ObjectListing listing = new ObjectListing(new InMemoryBucket(bucket, seedObjects), false, 1000);
            java.util.Map<Integer, Double> pgBefore = backendCpu(db);
            double jvmBefore = jvmCpuSeconds();
            long t0 = System.nanoTime();
            String token = null;
            do {
                token = listing.listPages(bucket, "", token, 1, page -> {
                    insertRows(db.dataSource, jobId, page.objects());
                    for (ListedObject o : page.objects()) {
                        String body = ScanTaskCodec.encode(new ScanTask(ScanTaskCodec.VERSION, jobId, bucket,
                                List.of(new ObjectRef(o.key(), o.etag(), o.size(), o.versionId()))));
                        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).messageGroupId(bucket));
                    }
                });
            } while (token != null);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long rows = db.count("SELECT count(*) FROM job_objects WHERE job_id = '" + jobId + "'");
            long messages = messages(sqs, queueUrl);
            double jvmCpu = jvmCpuSeconds() - jvmBefore;
            double pgCpu = cpuSince(pgBefore, backendCpu(db));
            out.printf(Locale.ROOT, "%-40s %,10d objects in %7.2f s = %,10.0f objects/s  (%,d rows, %,d messages)%n",
                    "seed: 1 message/object, JDBC batch", seedObjects, seconds, seedObjects / seconds, rows, messages);
            out.printf(Locale.ROOT, "%-40s CPU: JVM (seed + SDK + ElasticMQ) %.1f s, PostgreSQL backends %.1f s"
                    + " = %.1f CPU-s per 1M objects%n", "", jvmCpu, pgCpu, (jvmCpu + pgCpu) * 1e6 / seedObjects);
            check(rows == seedObjects && messages == seedObjects, "seed rows/messages mismatch");
            return seedObjects / seconds;
        }
    }

    private static void insertRows(HikariDataSource ds, UUID jobId, List<ListedObject> objects) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO job_objects (job_id, key, etag, size, storage_class, last_modified, state)
                    VALUES (?, ?, ?, ?, ?, ?, 'queued') ON CONFLICT DO NOTHING""")) {
                for (ListedObject o : objects) {
                    ps.setObject(1, jobId);
                    ps.setString(2, o.key());
                    ps.setString(3, o.etag());
                    ps.setLong(4, o.size());
                    ps.setString(5, o.storageClass());
                    ps.setTimestamp(6, o.lastModified() == null ? null : Timestamp.from(o.lastModified()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException("seed insert failed: " + e.getMessage(), e);
        }
    }

    private void s3proxy(SqsClient sqs) throws Exception {
        Path base = Files.createTempDirectory("listing-bench-");
        try {
            Path bucketDir = Files.createDirectories(base.resolve("proxy-bucket"));
            for (int i = 0; i < s3proxyObjects; i++) {
                Path f = bucketDir.resolve(InMemoryBucket.key(i));
                Files.createDirectories(f.getParent());
                Files.writeString(f, "x");
            }
            try (LocalS3Server server = LocalS3Server.start(base);
                 S3Client s3 = AwsClients.s3(AwsClients.Settings.local(server.endpoint(), null, 8))) {
                ours(sqs, s3, "proxy-bucket", s3proxyObjects, "ours, through s3proxy (real protocol)");
            }
        } finally {
            try (Stream<Path> walk = Files.walk(base)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** CPU seconds used so far by this JVM (our code, the SDK clients and ElasticMQ). */
    private static double jvmCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    private static long messages(SqsClient sqs, String queueUrl) {
        return Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark result is wrong: " + what);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ListingBenchmark()).execute(args));
    }
}
