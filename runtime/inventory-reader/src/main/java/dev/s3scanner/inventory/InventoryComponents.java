package dev.s3scanner.inventory;

import com.zaxxer.hikari.HikariDataSource;
import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.config.DatabaseSettings;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.listing.ListedPageRecorder;
import dev.s3scanner.core.message.ScanTaskCodec;
import dev.s3scanner.core.queue.ScanTaskSender;
import dev.s3scanner.core.store.DataSources;
import dev.s3scanner.core.store.JobStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The inventory step's shared objects, built once per process. Variables: the database ones
 * ({@link DatabaseSettings}), {@code SCANNER_QUEUE_URL}, {@code SCANNER_INVENTORY_PAGES_PER_INVOCATION}
 * (default 100 pages of 1,000 rows), {@code SCANNER_SEND_THREADS} (default 4), and, for jobs that do
 * not name their report (created by the API), {@code SCANNER_INVENTORY_BUCKET} and
 * {@code SCANNER_INVENTORY_PREFIX}: where the inventory configurations deliver reports.
 *
 * @param store job store
 * @param batch the inventory step
 */
public record InventoryComponents(JobStore store, InventoryBatch batch) {
    /** Environment variable: pages (of 1,000 rows) per inventory step. */
    public static final String PAGES_PER_INVOCATION = "SCANNER_INVENTORY_PAGES_PER_INVOCATION";
    /** Environment variable: the bucket inventory configurations deliver reports to. */
    public static final String REPORTS_BUCKET = "SCANNER_INVENTORY_BUCKET";
    /** Environment variable: the destination prefix of those configurations (default none). */
    public static final String REPORTS_PREFIX = "SCANNER_INVENTORY_PREFIX";

    /**
     * Builds everything from the environment.
     *
     * @throws dev.s3scanner.core.config.ConfigException when a variable is missing or invalid
     */
    public static InventoryComponents fromEnv(Env env) {
        DatabaseSettings db = DatabaseSettings.fromEnv(env);
        String queueUrl = env.required("SCANNER_QUEUE_URL");
        int pages = env.intValue(PAGES_PER_INVOCATION, 100, 1, 10_000);
        int threads = env.intValue("SCANNER_SEND_THREADS", 4, 1, 64);
        AwsClients.Settings aws = AwsClients.Settings.aws(threads + 2);
        HikariDataSource ds = DataSources.create(db, 2, "scanner-inventory", arn -> {
            try (SecretsManagerClient sm = AwsClients.secretsManager(aws)) {
                return sm.getSecretValue(b -> b.secretId(arn)).secretString();
            }
        });
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "scan-task-sender");
            t.setDaemon(true);
            return t;
        });
        S3Location reportsRoot = env.optional(REPORTS_BUCKET)
                .map(bucket -> new S3Location(bucket, env.optional(REPORTS_PREFIX).orElse("")))
                .orElse(null);
        return assemble(new JobStore(ds), AwsClients.s3(aws), AwsClients.sqs(aws), queueUrl, executor, pages, reportsRoot);
    }

    /** Wires the components from already-built clients, with no reports root (jobs name their report). */
    public static InventoryComponents assemble(JobStore store, S3Client s3, SqsClient sqs, String queueUrl,
                                               ExecutorService sendExecutor, int pagesPerStep) {
        return assemble(store, s3, sqs, queueUrl, sendExecutor, pagesPerStep, null);
    }

    /**
     * Wires the components from already-built clients (the local runner and tests use this).
     *
     * @param reportsRoot where the inventory configurations deliver reports, or {@code null}; see
     *                    {@link InventoryBatch#InventoryBatch(JobStore, InventoryReports, ListedPageRecorder, int, int, S3Location)}
     */
    public static InventoryComponents assemble(JobStore store, S3Client s3, SqsClient sqs, String queueUrl,
                                               ExecutorService sendExecutor, int pagesPerStep, S3Location reportsRoot) {
        ScanTaskSender sender = new ScanTaskSender(sqs, queueUrl, sendExecutor, 5, 100);
        ListedPageRecorder recorder = new ListedPageRecorder(store, sender, ScanTaskCodec.DEFAULT_MAX_BODY_BYTES,
                ScanTaskCodec.DEFAULT_MAX_OBJECTS);
        return new InventoryComponents(store, new InventoryBatch(store, new InventoryReports(s3), recorder, pagesPerStep,
                InventoryBatch.DEFAULT_ROWS_PER_PAGE, reportsRoot));
    }
}
