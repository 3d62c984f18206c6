package dev.s3scanner.core.queue;

import dev.s3scanner.core.message.ScanTask;
import dev.s3scanner.core.message.ScanTaskCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends scan tasks with {@code SendMessageBatch}, several batches at a time, and accounts for
 * every entry.
 *
 * <p>Batches hold at most 10 entries and at most {@link #MAX_BATCH_BYTES} of bodies (SQS rejects
 * a whole batch over its size limit with {@code BatchRequestTooLong}). A 200 response can carry
 * failed entries: entries that failed through no fault of the sender ({@code SenderFault=false})
 * are retried with exponential backoff and full jitter, up to {@code maxAttempts}; the rest are
 * returned as permanent failures for the caller to record. Messages carry
 * {@code MessageGroupId} = tenant, which makes the standard queue a fair queue (no FIFO queue:
 * one group would serialise a whole bucket).
 */
public final class ScanTaskSender {
    /** SQS's limit on entries per batch. */
    public static final int MAX_BATCH_ENTRIES = 10;
    /** Body bytes per batch: SQS's 256 KiB limit. */
    public static final int MAX_BATCH_BYTES = 256 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ScanTaskSender.class);

    private final SqsClient sqs;
    private final String queueUrl;
    private final ExecutorService executor;
    private final int maxAttempts;
    private final long baseBackoffMillis;

    /**
     * @param sqs               shared SQS client
     * @param queueUrl          the scan-task queue
     * @param executor          runs batches in parallel (the caller owns and shuts it down)
     * @param maxAttempts       attempts per entry for retryable entry failures, at least 1
     * @param baseBackoffMillis first backoff; doubles per attempt, with full jitter
     */
    public ScanTaskSender(SqsClient sqs, String queueUrl, ExecutorService executor, int maxAttempts,
                          long baseBackoffMillis) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.executor = Objects.requireNonNull(executor, "executor");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.baseBackoffMillis = baseBackoffMillis;
    }

    /**
     * A task that could not be sent.
     *
     * @param task   the task
     * @param code   SQS's error code for the entry
     * @param reason SQS's message for the entry
     */
    public record Failure(ScanTask task, String code, String reason) {
    }

    /**
     * Sends every task, in parallel batches, and waits for all of them.
     *
     * @param tasks  the tasks
     * @param tenant MessageGroupId for all of them
     * @return the tasks that could not be sent (empty when all were)
     * @throws software.amazon.awssdk.core.exception.SdkException when a whole batch call fails after
     *         the SDK's own retries (nothing is known about that batch's entries)
     */
    public List<Failure> send(List<ScanTask> tasks, String tenant) {
        try {
            return sendAsync(tasks, tenant).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /**
     * Starts sending every task, in parallel batches on the executor, and returns at once. Each
     * body is encoded once.
     *
     * @param tasks  the tasks
     * @param tenant MessageGroupId for all of them
     * @return completes with the tasks that could not be sent, or exceptionally with the
     *         {@link software.amazon.awssdk.core.exception.SdkException} of a batch call that failed
     *         as a whole (after every batch has finished)
     */
    public CompletableFuture<List<Failure>> sendAsync(List<ScanTask> tasks, String tenant) {
        List<CompletableFuture<List<Failure>>> futures = new ArrayList<>();
        for (List<Encoded> batch : encodedBatches(tasks)) {
            futures.add(CompletableFuture.supplyAsync(() -> sendBatch(batch, tenant), executor));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Failure> failures = new ArrayList<>();
            for (CompletableFuture<List<Failure>> f : futures) {
                failures.addAll(f.join());
            }
            return failures;
        });
    }

    /** A task with its body. */
    private record Encoded(ScanTask task, String body) {
    }

    /** Splits tasks into batches of at most 10 entries and {@link #MAX_BATCH_BYTES} bytes. */
    static List<List<ScanTask>> batches(List<ScanTask> tasks) {
        return encodedBatches(tasks).stream().map(b -> b.stream().map(Encoded::task).toList()).toList();
    }

    private static List<List<Encoded>> encodedBatches(List<ScanTask> tasks) {
        List<List<Encoded>> out = new ArrayList<>();
        List<Encoded> current = new ArrayList<>();
        int bytes = 0;
        for (ScanTask t : tasks) {
            String body = ScanTaskCodec.encode(t);
            int size = body.length(); // bodies are ASCII: characters = bytes
            if (!current.isEmpty() && (current.size() == MAX_BATCH_ENTRIES || bytes + size > MAX_BATCH_BYTES)) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(new Encoded(t, body));
            bytes += size;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    private List<Failure> sendBatch(List<Encoded> batch, String tenant) {
        Map<String, Encoded> pending = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            pending.put(Integer.toString(i), batch.get(i));
        }
        List<Failure> permanent = new ArrayList<>();
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            pending.forEach((id, encoded) -> entries.add(SendMessageBatchRequestEntry.builder()
                    .id(id)
                    .messageBody(encoded.body())
                    .messageGroupId(tenant)
                    .build()));
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            response.successful().forEach(ok -> pending.remove(ok.id()));
            boolean retry = false;
            for (BatchResultErrorEntry failed : response.failed()) {
                Encoded encoded = pending.get(failed.id());
                if (encoded == null) {
                    continue;
                }
                ScanTask task = encoded.task();
                if (Boolean.TRUE.equals(failed.senderFault()) || attempt >= maxAttempts) {
                    pending.remove(failed.id());
                    permanent.add(new Failure(task, failed.code(), failed.message()));
                    LOG.warn("scan task for job {} with {} objects not enqueued: {} {}", task.jobId(),
                            task.objects().size(), failed.code(), failed.message());
                } else {
                    retry = true;
                }
            }
            if (!pending.isEmpty() && !retry) {
                // neither successful nor failed: SQS did not account for these entries
                if (attempt >= maxAttempts) {
                    for (Encoded e : pending.values()) {
                        permanent.add(new Failure(e.task(), "Unaccounted", "entry missing from SendMessageBatch response"));
                    }
                    pending.clear();
                }
            }
            if (!pending.isEmpty()) {
                backoff(attempt);
            }
        }
        return permanent;
    }

    private void backoff(int attempt) {
        long cap = baseBackoffMillis << Math.min(attempt - 1, 10);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying SendMessageBatch", e);
        }
    }
}
