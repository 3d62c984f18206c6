package dev.s3scanner.worker;

import dev.s3scanner.core.message.MalformedTaskException;
import dev.s3scanner.core.message.ScanTask;
import dev.s3scanner.core.message.ScanTaskCodec;
import dev.s3scanner.core.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * The scan worker: receiver threads long-poll the queue and start each message's objects on the
 * object pool ({@link ScanTaskProcessor#submit}) without waiting for them, so a large object never
 * holds up the next receive; the shared object permits bound the work in flight (a full pool
 * blocks the receivers). When every message of one receive is settled, the ones whose objects
 * are all recorded are deleted with one {@code DeleteMessageBatch}. Messages are deleted only after success; a message whose
 * processing failed is left to reappear (and reaches the dead-letter queue after the queue's
 * maxReceiveCount). While the database is unreachable the receivers pause instead of failing objects.
 *
 * <p>{@link #stop(Duration)} stops receiving, lets messages in hand finish until the deadline, and
 * gives back (visibility 0) those it could not finish.
 */
public final class Worker {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final Duration DB_PAUSE = Duration.ofSeconds(5);

    private final SqsClient sqs;
    private final WorkerSettings settings;
    private final ScanTaskProcessor processor;
    private final VisibilityExtender extender;
    private final ExecutorService receivers;
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch stopped;
    /** Receive batches whose messages are not all settled yet. */
    private final AtomicInteger pending = new AtomicInteger();

    /**
     * @param sqs       shared SQS client
     * @param settings  worker settings
     * @param processor the per-message processor
     * @param receivers runs the receiver loops; needs {@code settings.receivers()} threads
     */
    public Worker(SqsClient sqs, WorkerSettings settings, ScanTaskProcessor processor, ExecutorService receivers) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.processor = Objects.requireNonNull(processor, "processor");
        this.receivers = Objects.requireNonNull(receivers, "receivers");
        this.extender = new VisibilityExtender(sqs, settings.queueUrl(), settings.visibilityTimeout());
        this.stopped = new CountDownLatch(settings.receivers());
    }

    /** Starts the receiver loops. */
    public void start() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("worker already started");
        }
        for (int i = 0; i < settings.receivers(); i++) {
            receivers.execute(this::receiveLoop);
        }
        LOG.info("worker started: {} receivers, {} objects in flight at most, queue {}", settings.receivers(),
                settings.maxInFlightObjects(), settings.queueUrl());
    }

    /** Whether the worker holds any message (used for ECS task scale-in protection). */
    public boolean isBusy() {
        return extender.heldCount() > 0;
    }

    /**
     * Stops receiving and waits up to {@code grace} for messages in hand to finish; messages still
     * in hand at the deadline are given back to the queue (visibility 0) for another worker.
     *
     * @return whether every receiver finished within the grace period (false: some messages were given back)
     */
    public boolean stop(Duration grace) throws InterruptedException {
        running.set(false);
        long deadline = System.nanoTime() + grace.toNanos();
        boolean finished = stopped.await(grace.toMillis(), TimeUnit.MILLISECONDS);
        synchronized (pending) {
            while (pending.get() > 0 && System.nanoTime() < deadline) {
                pending.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        }
        finished &= pending.get() == 0;
        if (!finished) {
            int given = extender.giveBackAll();
            LOG.warn("stopping with {} messages unfinished: given back to the queue", given);
        }
        extender.close();
        receivers.shutdownNow();
        return finished;
    }

    private void receiveLoop() {
        try {
            while (running.get()) {
                try {
                    receiveOnce();
                } catch (StoreException e) {
                    LOG.warn("database unavailable ({}); pausing {} s", e.getMessage(), DB_PAUSE.toSeconds());
                    sleep(DB_PAUSE);
                } catch (SdkException e) {
                    LOG.warn("SQS call failed: {}", e.toString());
                    sleep(Duration.ofSeconds(1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    LOG.error("receiver loop error", e);
                    sleep(Duration.ofSeconds(1));
                }
            }
        } finally {
            stopped.countDown();
        }
    }

    private void receiveOnce() throws InterruptedException {
        ReceiveMessageResponse response = sqs.receiveMessage(b -> b.queueUrl(settings.queueUrl())
                .maxNumberOfMessages(settings.receiveBatch())
                .waitTimeSeconds((int) settings.waitTime().toSeconds())
                .visibilityTimeout((int) settings.visibilityTimeout().toSeconds())
                .messageSystemAttributeNamesWithStrings("ApproximateReceiveCount"));
        List<Message> messages = response.messages();
        if (messages.isEmpty()) {
            return;
        }
        for (Message m : messages) {
            extender.hold(m.messageId(), m.receiptHandle());
        }
        pending.incrementAndGet();
        List<CompletableFuture<Boolean>> outcomes = new ArrayList<>();
        List<Message> giveBack = new ArrayList<>();
        try {
            for (Message m : messages) {
                if (!running.get()) {
                    giveBack.add(m);
                    outcomes.add(CompletableFuture.completedFuture(false));
                    continue;
                }
                outcomes.add(start(m));
            }
        } catch (InterruptedException | RuntimeException e) {
            // the rest of this receive is not started: it reappears after its visibility timeout
            for (int i = outcomes.size(); i < messages.size(); i++) {
                outcomes.add(CompletableFuture.completedFuture(false));
            }
            finish(messages, outcomes, giveBack);
            throw e;
        }
        finish(messages, outcomes, giveBack);
    }

    /** When every message of one receive is settled: one DeleteMessageBatch for those done. */
    private void finish(List<Message> messages, List<CompletableFuture<Boolean>> outcomes, List<Message> giveBack) {
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).whenComplete((v, error) -> {
            try {
                List<Message> done = new ArrayList<>();
                for (int i = 0; i < messages.size(); i++) {
                    Message m = messages.get(i);
                    if (Boolean.TRUE.equals(outcomes.get(i).getNow(false))) {
                        done.add(m);
                    } else if (!giveBack.contains(m)) {
                        extender.release(m.messageId()); // left to reappear after its visibility timeout
                    }
                }
                delete(done);
                release(giveBack);
            } finally {
                if (pending.decrementAndGet() == 0) {
                    synchronized (pending) {
                        pending.notifyAll();
                    }
                }
            }
        });
    }

    /** Starts one message; the future says whether it may be deleted. */
    private CompletableFuture<Boolean> start(Message m) throws InterruptedException {
        ScanTask task;
        try {
            task = ScanTaskCodec.decode(m.body());
        } catch (MalformedTaskException e) {
            LOG.error("message {} is not a scan task ({}); left for the dead-letter queue", m.messageId(), e.getMessage());
            return CompletableFuture.completedFuture(false);
        }
        return processor.submit(task)
                .thenApply(d -> d == ScanTaskProcessor.Disposition.DONE)
                .exceptionally(e -> {
                    LOG.warn("job {}: recording results failed ({}); the message will be retried", task.jobId(), e.toString());
                    return false;
                });
    }

    private void delete(List<Message> messages) {
        for (int i = 0; i < messages.size(); i += 10) {
            List<Message> batch = messages.subList(i, Math.min(messages.size(), i + 10));
            List<DeleteMessageBatchRequestEntry> entries = batch.stream()
                    .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build())
                    .toList();
            // stop extending first: an extension sent after the delete would fail with an invalid receipt handle
            batch.forEach(m -> extender.release(m.messageId()));
            try {
                DeleteMessageBatchResponse r = sqs.deleteMessageBatch(b -> b.queueUrl(settings.queueUrl()).entries(entries));
                for (BatchResultErrorEntry failed : r.failed()) {
                    // the message will reappear; its objects are terminal, so it is acknowledged without a rescan
                    LOG.warn("could not delete message {}: {} {}", failed.id(), failed.code(), failed.message());
                }
            } catch (SdkException e) {
                LOG.warn("DeleteMessageBatch failed: {}", e.toString());
            }
        }
    }

    private void release(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        for (int i = 0; i < messages.size(); i += 10) {
            List<Message> batch = messages.subList(i, Math.min(messages.size(), i + 10));
            List<ChangeMessageVisibilityBatchRequestEntry> entries = batch.stream()
                    .map(m -> ChangeMessageVisibilityBatchRequestEntry.builder().id(m.messageId())
                            .receiptHandle(m.receiptHandle()).visibilityTimeout(0).build())
                    .toList();
            batch.forEach(m -> extender.release(m.messageId()));
            try {
                sqs.changeMessageVisibilityBatch(b -> b.queueUrl(settings.queueUrl()).entries(entries));
            } catch (SdkException e) {
                LOG.warn("could not give back {} messages: {}", batch.size(), e.toString());
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
