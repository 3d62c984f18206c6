package dev.s3scanner.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.s3scanner.core.config.ConfigException;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.detect.Finding;
import dev.s3scanner.core.store.Job;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Publishes each committed finding to an EventBridge bus ({@code SCANNER_FINDINGS_EVENT_BUS}) with
 * PutEvents, after the transaction that stored it: source {@value #SOURCE}, detail-type
 * {@value #DETAIL_TYPE}, detail
 * {@code {"job_id","bucket","key","entry_path","detector","offset","masked","context"}} (the masked
 * value and redacted context only; a raw value is never in an event).
 *
 * <p>Entries go in requests of at most 10 entries and 256 KB (PutEvents' limits, entry size
 * computed as https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
 * describes). PutEvents can fail some entries of a request ({@code FailedEntryCount}); only those
 * are sent again, up to {@code maxAttempts} times in all with a doubling pause. Entries still
 * failing, and those of a call that failed as a whole (after the SDK's own retries), are logged
 * (counts and error codes only) and counted through {@code onFailed}
 * ({@code FindingsPublishFailures}); the object is never scanned again because of them.
 */
public final class FindingsEventPublisher implements ScanListener, AutoCloseable {
    /** Environment variable: the bus name or ARN; unset = no events. */
    public static final String BUS_VARIABLE = "SCANNER_FINDINGS_EVENT_BUS";
    /** The events' source. */
    public static final String SOURCE = "s3scanner";
    /** The events' detail-type. */
    public static final String DETAIL_TYPE = "S3 Scanner Finding";
    /** PutEvents' limit on entries per request. */
    public static final int MAX_ENTRIES = 10;
    /** PutEvents' limit on a request's total entry size, in bytes. */
    public static final int MAX_REQUEST_BYTES = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(FindingsEventPublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BUS_NAME = Pattern.compile("[/.\\-_A-Za-z0-9]{1,256}");
    private static final Pattern BUS_ARN = Pattern.compile("arn:aws[a-z\\-]*:events:[a-z0-9\\-]+:\\d{12}:event-bus/[/.\\-_A-Za-z0-9]{1,256}");

    private final EventBridgeAsyncClient events;
    private final String bus;
    private final int maxAttempts;
    private final Duration firstPause;
    private final LongConsumer onFailed;
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * @param events      shared EventBridge client
     * @param bus         bus name or ARN
     * @param maxAttempts attempts per entry in all (at least 1)
     * @param firstPause  pause before the first retry (doubled before each next one)
     * @param onFailed    told how many findings were given up on
     */
    public FindingsEventPublisher(EventBridgeAsyncClient events, String bus, int maxAttempts, Duration firstPause,
                                  LongConsumer onFailed) {
        this.events = Objects.requireNonNull(events, "events");
        this.bus = Objects.requireNonNull(bus, "bus");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.firstPause = Objects.requireNonNull(firstPause, "firstPause");
        this.onFailed = Objects.requireNonNull(onFailed, "onFailed");
    }

    /**
     * The bus from {@value #BUS_VARIABLE}.
     *
     * @return the bus name or ARN, or empty when publishing is off
     * @throws ConfigException when the value is neither an event bus name nor an event bus ARN
     */
    public static Optional<String> busFromEnv(Env env) {
        Optional<String> bus = env.optional(BUS_VARIABLE);
        bus.ifPresent(b -> {
            if (!BUS_NAME.matcher(b).matches() && !BUS_ARN.matcher(b).matches()) {
                throw new ConfigException(BUS_VARIABLE + " must be an event bus name or ARN, was '" + b + "'");
            }
        });
        return bus;
    }

    @Override
    public void objectsRecorded(Job job, String bucket, List<RecordedObject> objects) {
        List<PutEventsRequestEntry> entries = new ArrayList<>();
        for (RecordedObject o : objects) {
            for (Finding f : o.result().findings()) {
                entries.add(entry(job, bucket, o.result().key(), f));
            }
        }
        int from = 0;
        while (from < entries.size()) {
            int to = from;
            long bytes = 0;
            while (to < entries.size() && to - from < MAX_ENTRIES) {
                long size = size(entries.get(to));
                if (to > from && bytes + size > MAX_REQUEST_BYTES) {
                    break;
                }
                bytes += size;
                to++;
            }
            send(List.copyOf(entries.subList(from, to)), 1);
            from = to;
        }
    }

    @Override
    public void taskProcessed() {
    }

    private PutEventsRequestEntry entry(Job job, String bucket, String key, Finding f) {
        ObjectNode detail = JSON.createObjectNode();
        detail.put("job_id", job.jobId().toString());
        detail.put("bucket", bucket);
        detail.put("key", key);
        detail.put("entry_path", f.entryPath());
        detail.put("detector", f.detector());
        detail.put("offset", f.byteOffset());
        detail.put("masked", f.maskedValue());
        detail.put("context", f.context());
        try {
            return PutEventsRequestEntry.builder().eventBusName(bus).source(SOURCE).detailType(DETAIL_TYPE)
                    .detail(JSON.writeValueAsString(detail)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An entry's size as EventBridge counts it (Time: 14 bytes, then Source, DetailType, Detail, Resources in UTF-8). */
    static long size(PutEventsRequestEntry e) {
        long size = 14;
        size += utf8(e.source()) + utf8(e.detailType()) + utf8(e.detail());
        for (String r : e.resources()) {
            size += utf8(r);
        }
        return size;
    }

    private static int utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    private void send(List<PutEventsRequestEntry> entries, int attempt) {
        CompletableFuture<PutEventsResponse> call = events.putEvents(b -> b.entries(entries));
        inFlight.add(call);
        call.whenComplete((response, error) -> {
            try {
                settle(entries, attempt, response, error);
            } finally {
                inFlight.remove(call); // after a retry is registered, so close() never sees a gap
            }
        });
    }

    private void settle(List<PutEventsRequestEntry> entries, int attempt, PutEventsResponse response, Throwable error) {
        if (error != null) {
            LOG.warn("PutEvents failed, {} findings not published: {}", entries.size(), error.toString());
            onFailed.accept(entries.size());
            return;
        }
        if (response.failedEntryCount() == null || response.failedEntryCount() == 0) {
            return;
        }
        List<PutEventsRequestEntry> failed = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        List<PutEventsResultEntry> results = response.entries();
        for (int i = 0; i < results.size() && i < entries.size(); i++) {
            if (results.get(i).errorCode() != null) {
                failed.add(entries.get(i));
                codes.add(results.get(i).errorCode());
            }
        }
        if (failed.isEmpty()) {
            return;
        }
        if (attempt < maxAttempts) {
            long pause = firstPause.toMillis() << (attempt - 1);
            CompletableFuture<Void> retry = new CompletableFuture<>();
            inFlight.add(retry);
            CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS).execute(() -> {
                try {
                    send(failed, attempt + 1);
                } catch (RuntimeException e) {
                    LOG.warn("PutEvents retry failed, {} findings not published: {}", failed.size(), e.toString());
                    onFailed.accept(failed.size());
                } finally {
                    retry.complete(null);
                    inFlight.remove(retry);
                }
            });
        } else {
            LOG.warn("{} findings not published after {} attempts: {}", failed.size(), attempt, codes);
            onFailed.accept(failed.size());
        }
    }

    /** Waits up to 5 s for the calls and retries in progress. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            try {
                CompletableFuture.anyOf(inFlight.toArray(CompletableFuture[]::new)).get(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // done or timed out: look again
            }
        }
    }
}
