package dev.s3scanner.local;

import dev.s3scanner.core.queue.DeadLetterProcessor;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobProgress;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.NewJob;
import dev.s3scanner.inventory.InventoryComponents;
import dev.s3scanner.lister.ListBatchState;
import dev.s3scanner.lister.ListingStarter;
import dev.s3scanner.lister.ListerComponents;
import dev.s3scanner.refresher.ProgressViewRefresher;
import dev.s3scanner.worker.Worker;
import dev.s3scanner.worker.WorkerComponents;
import dev.s3scanner.worker.WorkerSettings;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The whole pipeline in one JVM, as it runs in AWS: the list-batch loop (the state machine's job),
 * worker receivers on the queue (the ECS service's job) and the progress-view refresher (the
 * scheduled function's job), all talking to the same PostgreSQL and to S3 and SQS through the real
 * SDK clients.
 */
public final class LocalPipeline implements AutoCloseable, ListingStarter {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPipeline.class);
    /** Receives before a message goes to the dead-letter queue (the CDK queue's default too). */
    public static final int MAX_RECEIVE_COUNT = 5;

    private final JobStore store;
    private final ListerComponents lister;
    private final InventoryComponents inventory;
    private final Worker worker;
    private final ExecutorService listerThread;
    private final ExecutorService sendPool;
    private final ScheduledExecutorService refresher;
    private final Set<UUID> started = ConcurrentHashMap.newKeySet();

    /**
     * Creates the queues and starts the workers and the refresher.
     *
     * @param store                job store
     * @param dataSource           the store's data source (for the refresher)
     * @param s3                   S3 client
     * @param sqs                  SQS client (an in-process server)
     * @param workers              worker receiver threads
     * @param maxObjectBytes       worker size limit
     * @param requestRestoreStatus whether listing asks S3 for RestoreStatus
     */
    public LocalPipeline(JobStore store, DataSource dataSource, S3Client s3, SqsClient sqs, int workers,
                         long maxObjectBytes, boolean requestRestoreStatus) {
        this(store, dataSource, s3, sqs, workers, maxObjectBytes, requestRestoreStatus, Duration.ofSeconds(2));
    }

    /**
     * Creates the queues and starts the workers and the refresher.
     *
     * @param store                job store
     * @param dataSource           the store's data source (for the refresher)
     * @param s3                   S3 client
     * @param sqs                  SQS client (an in-process server)
     * @param workers              worker receiver threads
     * @param maxObjectBytes       worker size limit
     * @param requestRestoreStatus whether listing asks S3 for RestoreStatus
     * @param refreshInterval      how often the {@code job_progress} view is refreshed (AWS: 1 minute)
     */
    public LocalPipeline(JobStore store, DataSource dataSource, S3Client s3, SqsClient sqs, int workers,
                         long maxObjectBytes, boolean requestRestoreStatus, Duration refreshInterval) {
        this.store = store;
        String dlqUrl = sqs.createQueue(b -> b.queueName("scanner-tasks-dlq")).queueUrl();
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String queueUrl = sqs.createQueue(b -> b.queueName("scanner-tasks").attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "60",
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + MAX_RECEIVE_COUNT + "\"}"))).queueUrl();
        this.sendPool = Executors.newFixedThreadPool(4, daemon("scan-task-sender"));
        this.lister = ListerComponents.assemble(store, s3, sqs, queueUrl, sendPool, 10, requestRestoreStatus);
        this.inventory = InventoryComponents.assemble(store, s3, sqs, queueUrl, sendPool, 100);
        WorkerSettings settings = WorkerSettings.defaults(queueUrl, Runtime.getRuntime().availableProcessors(),
                        (int) (Runtime.getRuntime().maxMemory() >> 20))
                .withConcurrency(workers, Math.max(4, workers * 4))
                .withWaitTime(Duration.ofSeconds(1))
                .withMaxObjectBytes(maxObjectBytes);
        this.worker = WorkerComponents.build(store, s3, sqs, settings);
        this.worker.start();
        this.listerThread = Executors.newSingleThreadExecutor(daemon("lister"));
        this.refresher = Executors.newSingleThreadScheduledExecutor(daemon("refresher"));
        ProgressViewRefresher view = new ProgressViewRefresher(dataSource, Duration.ofSeconds(30));
        refresher.scheduleWithFixedDelay(() -> {
            try {
                view.refresh();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("job_progress refresh failed: {}", e.getMessage());
            }
        }, refreshInterval.toMillis(), refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
        DeadLetterProcessor deadLetters = new DeadLetterProcessor(store);
        refresher.scheduleWithFixedDelay(() -> drainDeadLetters(sqs, dlqUrl, deadLetters), 1, 1, TimeUnit.SECONDS);
    }

    /** The dead-letter queue's job in AWS (a Lambda event source): fail the objects of dead-lettered tasks. */
    private static void drainDeadLetters(SqsClient sqs, String dlqUrl, DeadLetterProcessor processor) {
        try {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(dlqUrl).maxNumberOfMessages(10).waitTimeSeconds(0)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            for (Message m : messages) {
                int receives = Integer.parseInt(m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "0"));
                processor.process(m.body(), receives);
                sqs.deleteMessage(b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()));
            }
        } catch (RuntimeException e) {
            LOG.warn("dead-letter queue handling failed: {}", e.toString());
        }
    }

    /**
     * Creates a job and starts listing it in the background: with ListObjectsV2, or from its S3
     * Inventory report when {@code job.source()} is {@code inventory} (the report is named in its
     * options, see {@link dev.s3scanner.inventory.InventoryBatch#MANIFEST_OPTION}).
     *
     * @return the job id
     */
    public UUID start(NewJob job) {
        Job created = store.createJob(job);
        startListing(created);
        return created.jobId();
    }

    /**
     * Starts listing a job that exists in status {@code listing}, in the background; does nothing
     * when this pipeline already started it. Jobs are listed one after another.
     */
    @Override
    public void startListing(Job job) {
        UUID jobId = job.jobId();
        if (!started.add(jobId)) {
            return;
        }
        java.util.function.UnaryOperator<ListBatchState> step = "inventory".equals(job.source())
                ? inventory.batch()::step : lister.batch()::step;
        listerThread.execute(() -> {
            ListBatchState state = ListBatchState.start(jobId);
            try {
                while (!state.done()) {
                    state = step.apply(state);
                }
            } catch (RuntimeException e) {
                LOG.warn("listing job {} failed: {}", jobId, e.toString());
                store.failJob(jobId, "listing failed: " + e.getMessage());
            }
        });
    }

    /**
     * Waits until the job reaches a final status, calling {@code onProgress} with live figures
     * every {@code interval}.
     *
     * @return the final progress
     */
    public JobProgress await(UUID jobId, Duration interval, Consumer<JobProgress> onProgress) throws InterruptedException {
        while (true) {
            JobProgress p = store.liveProgress(jobId).orElseThrow();
            onProgress.accept(p);
            if (p.status().isFinal()) {
                return p;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    @Override
    public void close() throws InterruptedException {
        worker.stop(Duration.ofSeconds(10));
        listerThread.shutdownNow();
        refresher.shutdownNow();
        sendPool.shutdownNow();
        refresher.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
