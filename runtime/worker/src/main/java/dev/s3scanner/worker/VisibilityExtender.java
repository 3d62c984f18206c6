package dev.s3scanner.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;

/**
 * Keeps the messages a worker holds invisible while it works on them: every third of the
 * visibility timeout it extends all held messages with {@code ChangeMessageVisibilityBatch}, and it
 * stops extending a message as soon as it is released. Failed entries are logged (the message may
 * reappear; writes are idempotent, so that is harmless).
 */
public final class VisibilityExtender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VisibilityExtender.class);

    private final SqsClient sqs;
    private final String queueUrl;
    private final Duration timeout;
    private final Map<String, String> held = new ConcurrentHashMap<>(); // message id -> receipt handle
    private final ScheduledExecutorService timer;

    /**
     * @param sqs      shared SQS client
     * @param queueUrl the queue
     * @param timeout  the visibility to set on each extension (at least 6 s)
     */
    public VisibilityExtender(SqsClient sqs, String queueUrl, Duration timeout) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.timeout = timeout;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "visibility-extender");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1000, timeout.toMillis() / 3);
        timer.scheduleWithFixedDelay(this::extendAll, period, period, TimeUnit.MILLISECONDS);
    }

    /** Starts extending a message. */
    public void hold(String messageId, String receiptHandle) {
        held.put(messageId, receiptHandle);
    }

    /** Stops extending a message (deleted, or given back). */
    public void release(String messageId) {
        held.remove(messageId);
    }

    /**
     * Makes every held message visible again at once (visibility 0), for another worker to take,
     * and stops holding them. Used at shutdown for messages that could not be finished.
     *
     * @return the number of messages given back
     */
    public int giveBackAll() {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
        held.forEach((id, handle) -> entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                .id(id).receiptHandle(handle).visibilityTimeout(0).build()));
        held.clear();
        for (int i = 0; i < entries.size(); i += 10) {
            List<ChangeMessageVisibilityBatchRequestEntry> batch = entries.subList(i, Math.min(entries.size(), i + 10));
            try {
                ChangeMessageVisibilityBatchResponse r = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(batch));
                for (BatchResultErrorEntry failed : r.failed()) {
                    LOG.warn("could not give back message {}: {} {}", failed.id(), failed.code(), failed.message());
                }
            } catch (RuntimeException e) {
                LOG.warn("giving back {} messages failed: {}", batch.size(), e.toString());
            }
        }
        return entries.size();
    }

    /** The number of messages held. */
    public int heldCount() {
        return held.size();
    }

    private void extendAll() {
        try {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            held.forEach((id, handle) -> entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                    .id(id).receiptHandle(handle).visibilityTimeout((int) timeout.toSeconds()).build()));
            for (int i = 0; i < entries.size(); i += 10) {
                List<ChangeMessageVisibilityBatchRequestEntry> batch = entries.subList(i, Math.min(entries.size(), i + 10));
                ChangeMessageVisibilityBatchResponse r = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(batch));
                for (BatchResultErrorEntry failed : r.failed()) {
                    if (held.containsKey(failed.id())) {
                        LOG.warn("could not extend visibility of message {}: {} {}", failed.id(), failed.code(), failed.message());
                    } else {
                        // deleted or given back while this extension was on its way: nothing to extend
                        LOG.debug("message {} released during its extension: {}", failed.id(), failed.code());
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("extending message visibility failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
