package dev.s3scanner.bench;

import dev.s3scanner.core.detect.ContentScanner;
import dev.s3scanner.core.detect.Finding;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobStatus;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.ListedObject;
import dev.s3scanner.core.store.NewJob;
import dev.s3scanner.core.store.ObjectResult;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The database's share of the worker's work, alone: the statements the worker sends per scan task
 * message ({@code findJob}, {@code openObjects}, {@code recordResults}, which also completes the job
 * at the end), for N listed objects in messages of 100, from several threads at once, with the
 * findings the real detection engine reports on the worker benchmark's objects (three per object,
 * masked, with redacted contexts). Prints objects recorded per second and the CPU the PostgreSQL
 * backends used per object (from {@code /proc}, so the server must run on this machine).
 *
 * <pre>
 * java -cp 'benchmarks/target/classes:benchmarks/target/lib/*' dev.s3scanner.bench.RecordBenchmark --objects 100000
 * </pre>
 */
@Command(name = "record-benchmark", mixinStandardHelpOptions = true,
        description = "Record N objects' results the way the worker does; print objects/s and PostgreSQL CPU per object.")
public final class RecordBenchmark implements Callable<Integer> {
    @Option(names = "--objects", description = "Objects to record. Default: ${DEFAULT-VALUE}.")
    int objects = 100_000;

    @Option(names = "--threads", description = "Messages recorded at once. Default: ${DEFAULT-VALUE}.")
    int threads = 4;

    @Option(names = "--per-message", description = "Objects per message. Default: ${DEFAULT-VALUE}.")
    int perMessage = 100;

    @Option(names = "--size", description = "Bytes per object the findings come from. Default: ${DEFAULT-VALUE}.")
    int size = 100_000;

    @Option(names = "--runs", description = "Timed runs, each a new job in the same database. Default: ${DEFAULT-VALUE}.")
    int runs = 3;

    @Option(names = "--layout", description = "Schema layout: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    dev.s3scanner.db.SchemaLayout layout = dev.s3scanner.db.SchemaLayout.UNPARTITIONED;

    @Option(names = "--admin-jdbc-url", description = "A PostgreSQL database the benchmark may create others from. "
            + "Default: ${DEFAULT-VALUE}.")
    String adminUrl = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    @Option(names = "--sql", description = "A statement run once on the benchmark's database before the runs "
            + "(to try a schema change). May repeat.")
    List<String> sql = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new RecordBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<List<Finding>> findingsPerBody = findings();
        try (BenchDatabase db = BenchDatabase.create(adminUrl, threads + 2, layout)) {
            try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement()) {
                for (String statement : sql) {
                    s.execute(statement);
                }
            }
            JobStore store = new JobStore(db.dataSource);
            System.out.printf(Locale.ROOT, "record benchmark: %,d objects per run in messages of %d, %d threads, "
                    + "%d findings per object, %s layout%s%n", objects, perMessage, threads, findingsPerBody.get(0).size(),
                    layout.name().toLowerCase(Locale.ROOT),
                    sql.isEmpty() ? "" : ", after " + sql);
            for (int run = 1; run <= runs; run++) {
                run(run, store, db, findingsPerBody);
            }
        }
        return 0;
    }

    private void run(int run, JobStore store, BenchDatabase db, List<List<Finding>> bodies) throws Exception {
        Job job = store.createJob(NewJob.of("bench-bucket", ""));
        for (int page = 0; page * 1000 < objects; page++) {
            List<ListedObject> objs = new ArrayList<>();
            for (int i = page * 1000; i < Math.min(objects, page * 1000 + 1000); i++) {
                objs.add(ListedObject.queued(InMemoryObjects.key(i), null, size, null, "STANDARD", null));
            }
            store.recordPage(job.jobId(), "page-" + page, null, objs);
        }
        store.finishListing(job.jobId());
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Map<Integer, Double> pg0 = BenchDatabase.backendCpu(db);
        long t0 = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                for (int m; (m = next.getAndIncrement()) * perMessage < objects; ) {
                    List<String> keys = new ArrayList<>();
                    for (int i = m * perMessage; i < Math.min(objects, (m + 1) * perMessage); i++) {
                        keys.add(InMemoryObjects.key(i));
                    }
                    store.findJob(job.jobId()).orElseThrow();
                    var open = store.openObjects(job.jobId(), keys);
                    List<ObjectResult> results = new ArrayList<>();
                    for (int i = m * perMessage; i < Math.min(objects, (m + 1) * perMessage); i++) {
                        String key = InMemoryObjects.key(i);
                        if (open.contains(key)) {
                            List<Finding> f = bodies.get(i % bodies.size());
                            results.add(ObjectResult.succeeded(key, f, f.size(), size));
                        }
                    }
                    store.recordResults(job.jobId(), results);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double pgCpu = BenchDatabase.cpuSince(pg0, BenchDatabase.backendCpu(db));
        pool.shutdown();
        if (store.findJob(job.jobId()).orElseThrow().status() != JobStatus.COMPLETED) {
            throw new IllegalStateException("the job did not complete");
        }
        long findings = db.count("SELECT count(*) FROM findings WHERE job_id = '" + job.jobId() + "'");
        System.out.printf(Locale.ROOT, "run %d: %,d objects in %6.2f s = %,8.0f objects/s; PostgreSQL backends "
                        + "%5.2f CPU-s = %.3f ms per object; %,d findings%n",
                run, objects, seconds, objects / seconds, pgCpu, pgCpu * 1000 / objects, findings);
    }

    /** The findings the engine reports on each distinct body of the worker benchmark's corpus. */
    private List<List<Finding>> findings() throws Exception {
        ObjectCorpus corpus = new ObjectCorpus(64, size);
        ContentScanner engine = ContentScanner.defaults();
        List<List<Finding>> out = new ArrayList<>();
        for (int i = 0; i < corpus.distinct(); i++) {
            out.add(engine.scan(new ByteArrayInputStream(corpus.body(i))).findings());
        }
        return out;
    }
}
