package dev.s3scanner.worker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds ECS task scale-in protection while the worker holds messages, and releases it when idle,
 * so that scaling in on an empty queue never kills in-flight work.
 *
 * <p>Uses the ECS container agent's task protection endpoint
 * ({@code PUT $ECS_AGENT_URI/task-protection/v1/state} with
 * {@code {"ProtectionEnabled": true|false, "ExpiresInMinutes": n}}), see the Amazon ECS developer
 * guide, "Protect your Amazon ECS tasks from being terminated by scale-in events". Protection is
 * renewed before it expires while the worker stays busy. Failures are logged, never fatal.
 */
public final class TaskProtection implements AutoCloseable {
    /** Environment variable ECS sets in every task (Fargate platform 1.4+). */
    public static final String AGENT_URI = "ECS_AGENT_URI";
    private static final Logger LOG = LoggerFactory.getLogger(TaskProtection.class);
    private static final int EXPIRES_MINUTES = 60;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI endpoint;
    private final BooleanSupplier busy;
    private final ScheduledExecutorService timer;
    private boolean protectedNow;
    private long protectedSince;

    /**
     * Starts watching.
     *
     * @param agentUri   the value of {@code ECS_AGENT_URI}
     * @param busy       whether the worker holds messages
     * @param checkEvery how often to look
     */
    public TaskProtection(String agentUri, BooleanSupplier busy, Duration checkEvery) {
        this.endpoint = URI.create(Objects.requireNonNull(agentUri, "agentUri") + "/task-protection/v1/state");
        this.busy = Objects.requireNonNull(busy, "busy");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "task-protection");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, 0, checkEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void check() {
        boolean nowBusy = busy.getAsBoolean();
        boolean renew = protectedNow && System.nanoTime() - protectedSince > TimeUnit.MINUTES.toNanos(EXPIRES_MINUTES / 2);
        if (nowBusy != protectedNow || (nowBusy && renew)) {
            if (put(nowBusy)) {
                protectedNow = nowBusy;
                protectedSince = System.nanoTime();
            }
        }
    }

    private boolean put(boolean enabled) {
        String body = enabled
                ? "{\"ProtectionEnabled\":true,\"ExpiresInMinutes\":" + EXPIRES_MINUTES + "}"
                : "{\"ProtectionEnabled\":false}";
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                LOG.warn("task protection {} refused: {} {}", enabled ? "on" : "off", r.statusCode(), r.body());
                return false;
            }
            LOG.info("task scale-in protection {}", enabled ? "on" : "off");
            return true;
        } catch (IOException e) {
            LOG.warn("task protection {} failed: {}", enabled ? "on" : "off", e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops watching and releases protection if held. */
    @Override
    public synchronized void close() {
        timer.shutdownNow();
        if (protectedNow) {
            put(false);
            protectedNow = false;
        }
    }
}
