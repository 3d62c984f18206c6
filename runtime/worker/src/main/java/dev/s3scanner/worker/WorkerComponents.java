package dev.s3scanner.worker;

import dev.s3scanner.core.store.JobStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Wires a {@link Worker} from shared clients: the object pool and permits sized from the
 * settings. Used by {@link WorkerMain} in ECS and by the local runner.
 */
public final class WorkerComponents {
    private WorkerComponents() {
    }

    /**
     * Builds a worker (not started).
     *
     * @param store    job store
     * @param s3       S3 client with at least {@code settings.maxInFlightObjects()} connections
     * @param sqs      SQS client
     * @param settings settings
     * @return the worker
     */
    public static Worker build(JobStore store, S3Client s3, SqsClient sqs, WorkerSettings settings) {
        return build(store, s3, sqs, settings, ScanListener.NONE);
    }

    /**
     * Builds a worker (not started) that tells {@code listener} what it commits.
     *
     * @param store    job store
     * @param s3       S3 client with at least {@code settings.maxInFlightObjects()} connections
     * @param sqs      SQS client
     * @param settings settings
     * @param listener metrics and finding events ({@link ScanListener#NONE} for none)
     * @return the worker
     */
    public static Worker build(JobStore store, S3Client s3, SqsClient sqs, WorkerSettings settings,
                               ScanListener listener) {
        ExecutorService objectPool = Executors.newFixedThreadPool(settings.maxInFlightObjects(), named("scan-object"));
        ExecutorService receivers = Executors.newFixedThreadPool(settings.receivers(), named("scan-receiver"));
        ScanTaskProcessor processor = new ScanTaskProcessor(store, new ObjectScanner(s3, settings.maxObjectBytes()),
                objectPool, new Semaphore(settings.maxInFlightObjects()), new JobScanners(), listener);
        return new Worker(sqs, settings, processor, receivers);
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
