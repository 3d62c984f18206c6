package dev.s3scanner.lister;

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
 * The lister's shared objects, built once per process from the environment and checked at
 * start-up. Variables: the database ones ({@link DatabaseSettings}), {@code SCANNER_QUEUE_URL},
 * {@code SCANNER_LIST_PAGES_PER_INVOCATION} (default 10), {@code SCANNER_SEND_THREADS} (default 4),
 * {@code SCANNER_REQUEST_RESTORE_STATUS} (default true).
 *
 * @param store   job store
 * @param batch   the list-batch step
 * @param s3      S3 client
 * @param sqs     SQS client
 */
public record ListerComponents(JobStore store, ListBatch batch, S3Client s3, SqsClient sqs) {
    /** Environment variable: the scan-task queue URL. */
    public static final String QUEUE_URL = "SCANNER_QUEUE_URL";
    /** Environment variable: pages per list step. */
    public static final String PAGES_PER_INVOCATION = "SCANNER_LIST_PAGES_PER_INVOCATION";

    /**
     * Builds everything from the environment.
     *
     * @throws dev.s3scanner.core.config.ConfigException when a variable is missing or invalid
     */
    public static ListerComponents fromEnv(Env env) {
        DatabaseSettings db = DatabaseSettings.fromEnv(env);
        String queueUrl = env.required(QUEUE_URL);
        int pages = env.intValue(PAGES_PER_INVOCATION, 10, 1, 1000);
        int threads = env.intValue("SCANNER_SEND_THREADS", 4, 1, 64);
        boolean restoreStatus = env.booleanValue("SCANNER_REQUEST_RESTORE_STATUS", true);
        AwsClients.Settings aws = AwsClients.Settings.aws(threads + 2);
        HikariDataSource ds = DataSources.create(db, 2, "scanner-lister", arn -> {
            try (SecretsManagerClient sm = AwsClients.secretsManager(aws)) {
                return sm.getSecretValue(b -> b.secretId(arn)).secretString();
            }
        });
        S3Client s3 = AwsClients.s3(aws);
        SqsClient sqs = AwsClients.sqs(aws);
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "scan-task-sender");
            t.setDaemon(true);
            return t;
        });
        return assemble(new JobStore(ds), s3, sqs, queueUrl, executor, pages, restoreStatus);
    }

    /**
     * Wires the components from already-built clients (the local runner and tests use this).
     * {@code sendExecutor} runs the SendMessageBatch calls and the look-ahead ListObjectsV2 calls.
     */
    public static ListerComponents assemble(JobStore store, S3Client s3, SqsClient sqs, String queueUrl,
                                            ExecutorService sendExecutor, int pagesPerStep, boolean requestRestoreStatus) {
        ScanTaskSender sender = new ScanTaskSender(sqs, queueUrl, sendExecutor, 5, 100);
        ListedPageRecorder recorder = new ListedPageRecorder(store, sender, ScanTaskCodec.DEFAULT_MAX_BODY_BYTES,
                ScanTaskCodec.DEFAULT_MAX_OBJECTS);
        ListBatch batch = new ListBatch(store, new ObjectListing(s3, requestRestoreStatus, 1000), recorder, pagesPerStep,
                sendExecutor);
        return new ListerComponents(store, batch, s3, sqs);
    }
}
