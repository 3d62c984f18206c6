package dev.s3scanner.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.s3scanner.core.config.DatabaseSettings;
import dev.s3scanner.core.detect.Finding;
import dev.s3scanner.core.store.DataSources;
import dev.s3scanner.core.store.JobProgress;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.NewJob;
import dev.s3scanner.core.store.ObjectResult;
import dev.s3scanner.db.SchemaLayout;
import dev.s3scanner.db.SchemaMigrator;
import dev.s3scanner.refresher.ProgressViewRefresher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress benchmark (not a test): loads {@code --objects} {@code job_objects} rows across
 * {@code --jobs} open jobs (half of them in one job), plus {@code --history-jobs} jobs that finished
 * days ago, into a scratch database on a PostgreSQL server, then measures in the same run:
 * <ul>
 *   <li>this design: live progress reads ({@link JobStore#liveProgress}, counter rows), idle and while
 *       workers record results; cached reads ({@link JobStore#cachedProgress}); refreshes of
 *       {@code job_progress} ({@link ProgressViewRefresher});</li>
 *   <li>the seed's design: a live read that counts {@code job_objects} rows by state, and a
 *       materialized view aggregating {@code job_objects}, refreshed CONCURRENTLY;</li>
 *   <li>for reference, V1's {@code job_progress} (counter rows of every job ever run).</li>
 * </ul>
 * The scratch database is dropped at the end (unless {@code --keep}).
 *
 * <p>Run: {@code mvn -B -q -pl benchmarks -am package -DskipTests} then
 * {@code java -cp 'benchmarks/target/classes:benchmarks/target/lib/*' dev.s3scanner.bench.ProgressBenchmark}
 * with options {@code --admin-url jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres},
 * {@code --objects 10000000}, {@code --jobs 20}, {@code --history-jobs 5000}, {@code --partitioned},
 * {@code --keep}.
 */
public final class ProgressBenchmark {
    private static final int SLOTS = JobStore.SLOTS;
    /** Percent of each job's objects still queued: the jobs are mid-scan. */
    private static final int QUEUED_PERCENT = 40;

    private final Options options;
    private final String dbName;
    private final String url;

    private ProgressBenchmark(Options options) {
        this.options = options;
        this.dbName = "s3scanner_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        int q = options.adminUrl.indexOf('?');
        String base = q < 0 ? options.adminUrl : options.adminUrl.substring(0, q);
        String params = q < 0 ? "" : options.adminUrl.substring(q);
        this.url = base.substring(0, base.lastIndexOf('/') + 1) + dbName + params;
    }

    /** Command-line options. */
    private record Options(String adminUrl, long objects, int jobs, int historyJobs, boolean partitioned, boolean keep,
                           int liveReads, int seedRounds, int refreshes) {
        static Options parse(String[] args) {
            String adminUrl = System.getenv().getOrDefault("SCANNER_TEST_JDBC_URL",
                    "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
            long objects = 10_000_000;
            int jobs = 20;
            int history = 5_000;
            boolean partitioned = false;
            boolean keep = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--admin-url" -> adminUrl = args[++i];
                    case "--objects" -> objects = Long.parseLong(args[++i]);
                    case "--jobs" -> jobs = Integer.parseInt(args[++i]);
                    case "--history-jobs" -> history = Integer.parseInt(args[++i]);
                    case "--partitioned" -> partitioned = true;
                    case "--keep" -> keep = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (options: --admin-url URL, --objects N, --jobs N, --history-jobs N, --partitioned, --keep)");
                }
            }
            if (jobs < 2) {
                throw new IllegalArgumentException("--jobs must be at least 2, was " + jobs);
            }
            return new Options(adminUrl, objects, jobs, history, partitioned, keep, 2_000, 2, 20);
        }
    }

    /**
     * Runs the benchmark and prints its figures to standard output.
     *
     * @param args options, see the class comment
     * @throws Exception when the database fails
     */
    public static void main(String[] args) throws Exception {
        new ProgressBenchmark(Options.parse(args)).run();
    }

    private void run() throws Exception {
        long t0 = System.nanoTime();
        printf("progress benchmark: %,d job_objects rows in %d open jobs, %,d finished jobs, layout %s%n",
                options.objects, options.jobs, options.historyJobs, options.partitioned ? "partitioned" : "unpartitioned");
        printf("machine: %d cores, load average at start %s%n", Runtime.getRuntime().availableProcessors(), loadAverage());
        try (Connection admin = DriverManager.getConnection(options.adminUrl); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + dbName);
        }
        Thread dropOnExit = new Thread(this::dropDatabase);
        if (!options.keep) {
            Runtime.getRuntime().addShutdownHook(dropOnExit);
        }
        try (HikariDataSource ds = DataSources.create(DatabaseSettings.ofJdbcUrl(url, null, null), 8, "progress-bench",
                arn -> {
                    throw new IllegalStateException("no secrets here");
                })) {
            printf("server: %s%n", scalar(ds, "SELECT version()"));
            new SchemaMigrator(ds, options.partitioned ? SchemaLayout.PARTITIONED : SchemaLayout.UNPARTITIONED).migrate();
            JobStore store = new JobStore(ds);
            List<UUID> jobs = load(ds, store);
            measure(ds, store, jobs);
        } finally {
            if (!options.keep) {
                dropDatabase();
                Runtime.getRuntime().removeShutdownHook(dropOnExit);
            } else {
                printf("kept database %s%n", dbName);
            }
        }
        printf("load average at end %s; total %s%n", loadAverage(), seconds(System.nanoTime() - t0));
    }

    // ------------------------------------------------------------------ loading

    private List<UUID> load(HikariDataSource ds, JobStore store) throws SQLException {
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < options.jobs; i++) {
            jobs.add(store.createJob(NewJob.of("bench-bucket-" + i, "")).jobId());
        }
        long start = System.nanoTime();
        long big = options.objects / 2;
        long each = (options.objects - big) / (options.jobs - 1);
        long loaded = 0;
        try (Connection c = ds.getConnection()) {
            for (int i = 0; i < jobs.size(); i++) {
                long n = i == 0 ? big : (i == jobs.size() - 1 ? options.objects - big - each * (jobs.size() - 2) : each);
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO job_objects (job_id, key, etag, size, storage_class, last_modified, state, reason,
                                                 finding_count, updated_at)
                        SELECT ?, 'data/part-' || lpad(g.i::text, 9, '0') || '.csv', '"' || md5(g.i::text) || '"',
                               1 + (g.i * 7919) % 1048576, 'STANDARD', timestamptz '2026-01-01' + g.i * interval '1 second',
                               s.state, s.reason,
                               CASE WHEN s.state = 'succeeded' AND g.i % 10 = 0 THEN 1 ELSE 0 END,
                               CASE WHEN s.state = 'queued' THEN NULL ELSE now() END
                        FROM generate_series(1, ?) AS g(i)
                        CROSS JOIN LATERAL (SELECT CASE WHEN g.i % 100 >= ? THEN 'queued'
                                                        WHEN g.i % 100 = 0 THEN 'failed'
                                                        WHEN g.i % 100 < 3 THEN 'skipped'
                                                        ELSE 'succeeded' END AS state,
                                                   CASE WHEN g.i % 100 >= ? THEN NULL
                                                        WHEN g.i % 100 = 0 THEN 'access_denied'
                                                        WHEN g.i % 100 < 3 THEN 'binary' END AS reason) s""")) {
                    ps.setObject(1, jobs.get(i));
                    ps.setLong(2, n);
                    ps.setInt(3, 100 - QUEUED_PERCENT);
                    ps.setInt(4, 100 - QUEUED_PERCENT);
                    loaded += ps.executeUpdate();
                }
            }
        }
        long loadNanos = System.nanoTime() - start;
        printf("loaded %,d job_objects rows (largest job %,d) with INSERT ... generate_series in %s (%,.0f rows/s)%n",
                loaded, big, seconds(loadNanos), loaded / (loadNanos / 1e9));

        start = System.nanoTime();
        // the counters the pipeline would have written: one pass over job_objects, spread over the slots
        execute(ds, """
                WITH g AS (
                    SELECT job_id, state, reason, count(*) AS n, sum(finding_count) AS findings,
                           sum(size) FILTER (WHERE state = 'succeeded') AS bytes
                    FROM job_objects GROUP BY job_id, state, reason
                ), m AS (
                    SELECT job_id, state AS metric, sum(n) AS total FROM g GROUP BY 1, 2
                    UNION ALL SELECT job_id, state || ':' || reason, n FROM g WHERE reason IS NOT NULL
                    UNION ALL SELECT job_id, 'listed', sum(n) FROM g GROUP BY 1
                    UNION ALL SELECT job_id, 'findings', sum(findings) FROM g GROUP BY 1
                    UNION ALL SELECT job_id, 'findings:email', sum(findings) FROM g GROUP BY 1
                    UNION ALL SELECT job_id, 'bytes_scanned', coalesce(sum(bytes), 0) FROM g GROUP BY 1
                )
                INSERT INTO job_counters (job_id, metric, slot, value)
                SELECT m.job_id, m.metric, s.slot, m.total::bigint / 16 + CASE WHEN s.slot < m.total::bigint % 16 THEN 1 ELSE 0 END
                FROM m CROSS JOIN generate_series(0, 15) AS s(slot)""");
        execute(ds, "UPDATE jobs SET status = 'processing', listing_done = true, listed_at = now()");
        // jobs that finished days ago: counters only (their rows would be in their own partitions or long deleted)
        execute(ds, """
                INSERT INTO jobs (job_id, bucket, tenant, status, listing_done, created_at, listed_at, finished_at)
                SELECT gen_random_uuid(), 'old-bucket-' || i % 97, 'old-bucket-' || i % 97, 'completed', true,
                       now() - interval '60 days' + i * interval '10 minutes', now() - interval '60 days' + i * interval '10 minutes',
                       now() - interval '59 days' + i * interval '10 minutes'
                FROM generate_series(1, ?) AS i""".replace("?", Integer.toString(options.historyJobs)));
        execute(ds, """
                INSERT INTO job_counters (job_id, metric, slot, value)
                SELECT j.job_id, m.metric, s.slot, 1 + (abs(hashtext(j.job_id::text || m.metric)) % 1000)
                FROM jobs j
                CROSS JOIN unnest(ARRAY['listed', 'succeeded', 'failed', 'failed:access_denied', 'skipped', 'skipped:binary',
                                        'skipped:folder_marker', 'findings', 'findings:email', 'findings:us_ssn',
                                        'findings:credit_card', 'bytes_scanned']) AS m(metric)
                CROSS JOIN generate_series(0, 15) AS s(slot)
                WHERE j.status = 'completed'""");
        printf("wrote counters (%s rows) and %,d finished jobs in %s%n", scalar(ds, "SELECT count(*) FROM job_counters"),
                options.historyJobs, seconds(System.nanoTime() - start));

        start = System.nanoTime();
        execute(ds, "VACUUM (ANALYZE) job_objects", "VACUUM (ANALYZE) job_counters", "VACUUM (ANALYZE) jobs");
        printf("VACUUM (ANALYZE) in %s (sets hint bits and the visibility map: best case for the seed's COUNT)%n",
                seconds(System.nanoTime() - start));
        printf("sizes: job_objects %s, job_counters %s%n",
                scalar(ds, "SELECT pg_size_pretty(pg_total_relation_size('job_objects') + coalesce((SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'job_objects'::regclass), 0))"),
                scalar(ds, "SELECT pg_size_pretty(pg_total_relation_size('job_counters'))"));
        return jobs;
    }

    // ------------------------------------------------------------------ measuring

    private void measure(HikariDataSource ds, JobStore store, List<UUID> jobs) throws Exception {
        ProgressViewRefresher refresher = new ProgressViewRefresher(ds, Duration.ofSeconds(120));
        refresher.refresh();

        printf("%n== this design (counter rows, job_progress over open and recently finished jobs) ==%n");
        long[] live = timeReads(options.liveReads, jobs, job -> store.liveProgress(job).orElseThrow());
        report("live read (JobStore.liveProgress), idle", live);
        long[] cached = timeReads(options.liveReads, jobs, job -> store.cachedProgress(job).orElseThrow());
        report("cached read (JobStore.cachedProgress)", cached);
        long[] refresh = new long[options.refreshes];
        for (int i = 0; i < refresh.length; i++) {
            long s = System.nanoTime();
            if (!refresher.refresh().refreshed()) {
                throw new IllegalStateException("refresh skipped: is another refresher running on " + dbName + "?");
            }
            refresh[i] = System.nanoTime() - s;
        }
        report("job_progress refresh (CONCURRENTLY, " + scalar(ds, "SELECT count(*) FROM job_progress") + " rows)", refresh);

        long[][] underLoad = readsWhileWriting(ds, store, refresher, jobs);
        report("live read while 2 workers record results", underLoad[0]);
        report("job_progress refresh while 2 workers record results", underLoad[1]);

        printf("%n== V1's job_progress (counter rows of every job ever run) ==%n");
        long s = System.nanoTime();
        execute(ds, """
                CREATE MATERIALIZED VIEW bench_v1_job_progress AS
                SELECT j.job_id, j.bucket, j.status,
                       coalesce(sum(c.value) FILTER (WHERE c.metric = 'listed'), 0) AS listed,
                       coalesce(sum(c.value) FILTER (WHERE c.metric = 'queued'), 0) AS queued,
                       coalesce(sum(c.value) FILTER (WHERE c.metric = 'processing'), 0) AS processing,
                       coalesce(sum(c.value) FILTER (WHERE c.metric = 'succeeded'), 0) AS succeeded,
                       coalesce(sum(c.value) FILTER (WHERE c.metric = 'failed'), 0) AS failed,
                       coalesce(sum(c.value) FILTER (WHERE c.metric = 'skipped'), 0) AS skipped,
                       coalesce(sum(c.value) FILTER (WHERE c.metric = 'findings'), 0) AS findings,
                       coalesce(sum(c.value) FILTER (WHERE c.metric = 'bytes_scanned'), 0) AS bytes_scanned,
                       now() AS refreshed_at
                FROM jobs j LEFT JOIN job_counters c ON c.job_id = j.job_id
                GROUP BY j.job_id, j.bucket, j.status""",
                "CREATE UNIQUE INDEX ON bench_v1_job_progress (job_id)");
        printf("created in %s%n", seconds(System.nanoTime() - s));
        long[] v1 = new long[5];
        for (int i = 0; i < v1.length; i++) {
            long r = System.nanoTime();
            execute(ds, "REFRESH MATERIALIZED VIEW CONCURRENTLY bench_v1_job_progress");
            v1[i] = System.nanoTime() - r;
        }
        report("V1 job_progress refresh (CONCURRENTLY, " + scalar(ds, "SELECT count(*) FROM bench_v1_job_progress") + " rows)", v1);

        printf("%n== the seed's design (COUNT over job_objects, a view aggregating job_objects) ==%n");
        String seedCount = """
                SELECT state, count(*), sum(finding_count) FROM job_objects WHERE job_id = ? GROUP BY state""";
        int seedReads = options.seedRounds * jobs.size();
        long[] seedLive = timeReads(seedReads, jobs, job -> query(ds, seedCount, job));
        report("live read (COUNT(*) ... GROUP BY state), all jobs", seedLive);
        long[] seedBig = timeReads(3, List.of(jobs.get(0)), job -> query(ds, seedCount, job));
        report("live read (COUNT(*) ... GROUP BY state), largest job", seedBig);
        s = System.nanoTime();
        execute(ds, """
                CREATE MATERIALIZED VIEW bench_seed_job_progress AS
                SELECT job_id, count(*) AS total,
                       count(*) FILTER (WHERE state = 'queued') AS queued,
                       count(*) FILTER (WHERE state = 'processing') AS processing,
                       count(*) FILTER (WHERE state = 'succeeded') AS succeeded,
                       count(*) FILTER (WHERE state = 'failed') AS failed,
                       count(*) FILTER (WHERE state = 'skipped') AS skipped,
                       sum(finding_count) AS findings
                FROM job_objects GROUP BY job_id""",
                "CREATE UNIQUE INDEX ON bench_seed_job_progress (job_id)");
        printf("seed view created in %s%n", seconds(System.nanoTime() - s));
        long[] seedRefresh = new long[3];
        for (int i = 0; i < seedRefresh.length; i++) {
            long r = System.nanoTime();
            execute(ds, "REFRESH MATERIALIZED VIEW CONCURRENTLY bench_seed_job_progress");
            seedRefresh[i] = System.nanoTime() - r;
        }
        report("seed view refresh (CONCURRENTLY)", seedRefresh);
        long[] seedCached = timeReads(options.liveReads, jobs,
                job -> query(ds, "SELECT * FROM bench_seed_job_progress WHERE job_id = ?", job));
        report("seed view read", seedCached);

        printf("%n== ratios (seed / this design) ==%n");
        printf("live read p50: %,.0fx (%s vs %s); largest job: %,.0fx%n",
                (double) pct(seedLive, 50) / pct(live, 50), ms(pct(seedLive, 50)), ms(pct(live, 50)),
                (double) pct(seedBig, 50) / pct(live, 50));
        printf("live read p99: %,.0fx (%s vs %s)%n",
                (double) pct(seedLive, 99) / pct(live, 99), ms(pct(seedLive, 99)), ms(pct(live, 99)));
        printf("refresh p50: %,.0fx (%s vs %s); V1 view / this design: %,.1fx%n",
                (double) pct(seedRefresh, 50) / pct(refresh, 50), ms(pct(seedRefresh, 50)), ms(pct(refresh, 50)),
                (double) pct(v1, 50) / pct(refresh, 50));
    }

    @FunctionalInterface
    private interface Read {
        Object read(UUID job) throws Exception;
    }

    private static long[] timeReads(int n, List<UUID> jobs, Read read) throws Exception {
        for (int i = 0; i < Math.min(n, 50); i++) {
            read.read(jobs.get(i % jobs.size())); // warm-up: connections, plans, caches
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            read.read(jobs.get(i % jobs.size()));
            out[i] = System.nanoTime() - s;
        }
        return out;
    }

    /**
     * Two worker threads record results for queued objects of job 1 (each batch: 50 objects, one
     * finding each) while this thread reads live progress, then refreshes; afterwards the job's
     * counters must equal a full COUNT.
     *
     * @return live read times, then refresh times
     */
    private long[][] readsWhileWriting(HikariDataSource ds, JobStore store, ProgressViewRefresher refresher,
                                       List<UUID> jobs) throws Exception {
        UUID job = jobs.get(1);
        long rows = Long.parseLong(scalar(ds, "SELECT count(*) FROM job_objects WHERE job_id = '" + job + "'"));
        long findingsBefore = store.liveProgress(job).orElseThrow().findings();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong written = new AtomicLong();
        ExecutorService writers = Executors.newFixedThreadPool(2);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            futures.add(writers.submit(() -> {
                // queued keys are those with i % 100 >= 60; writer w takes every other hundred
                for (long base = writer * 100L; base + 100 <= rows && !stop.get(); base += 200) {
                    List<ObjectResult> batch = new ArrayList<>();
                    for (long i = base + 100 - QUEUED_PERCENT; i < base + 100; i++) {
                        String key = String.format(Locale.ROOT, "data/part-%09d.csv", i);
                        batch.add(ObjectResult.succeeded(key, List.of(new Finding("email", i, "", "x***@example.com",
                                "mail x***@example.com")), 1, 1000));
                        if (batch.size() == 50) {
                            written.addAndGet(store.recordResults(job, batch).objectsUpdated());
                            batch = new ArrayList<>();
                        }
                    }
                    if (!batch.isEmpty()) {
                        written.addAndGet(store.recordResults(job, batch).objectsUpdated());
                    }
                }
                return null;
            }));
        }
        long start = System.nanoTime();
        long[] reads;
        long[] refreshes = new long[5];
        try {
            Thread.sleep(500);
            reads = timeReads(options.liveReads, jobs, j -> store.liveProgress(j).orElseThrow());
            for (int i = 0; i < refreshes.length; i++) {
                long s = System.nanoTime();
                refresher.refresh();
                refreshes[i] = System.nanoTime() - s;
            }
        } finally {
            stop.set(true);
            for (Future<?> f : futures) {
                f.get();
            }
            writers.shutdown();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        JobProgress p = store.liveProgress(job).orElseThrow();
        List<String> counts = query(ds, """
                SELECT count(*) FILTER (WHERE state = 'queued'), count(*) FILTER (WHERE state = 'succeeded'),
                       (SELECT count(*) FROM findings WHERE job_id = ?)
                FROM job_objects WHERE job_id = ?""", job, job);
        long insertedFindings = Long.parseLong(counts.get(2));
        boolean exact = p.count("queued") == Long.parseLong(counts.get(0)) && p.count("succeeded") == Long.parseLong(counts.get(1))
                && p.findings() - findingsBefore == insertedFindings;
        printf("workers recorded %,d objects (%,.0f objects/s, %,d findings inserted) while reading; counters equal a full COUNT: %s"
                        + " (queued %,d = %s, succeeded %,d = %s)%n",
                written.get(), written.get() / secs, insertedFindings, exact ? "yes" : "NO", p.count("queued"), counts.get(0),
                p.count("succeeded"), counts.get(1));
        if (!exact) {
            throw new IllegalStateException("counters differ from COUNT");
        }
        return new long[][] {reads, refreshes};
    }

    // ------------------------------------------------------------------ helpers

    private void dropDatabase() {
        try (Connection admin = DriverManager.getConnection(options.adminUrl); Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + dbName + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop " + dbName + ": " + e.getMessage());
        }
    }

    private static void execute(HikariDataSource ds, String... sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private static String scalar(HikariDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** First row's columns as strings (or every row's first column when there is one column). */
    private static List<String> query(HikariDataSource ds, String sql, Object... params) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                boolean first = true;
                while (rs.next()) {
                    if (first) {
                        for (int i = 1; i <= n; i++) {
                            out.add(rs.getString(i));
                        }
                        first = false;
                    }
                }
            }
            return out;
        }
    }

    private static long pct(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static void report(String what, long[] nanos) {
        printf("%-62s n=%-5d p50 %10s  p99 %10s  max %10s%n", what, nanos.length, ms(pct(nanos, 50)), ms(pct(nanos, 99)),
                ms(pct(nanos, 100)));
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void printf(String format, Object... args) {
        System.out.printf(Locale.ROOT, format, args);
        System.out.flush();
    }
}
