package dev.s3scanner.worker;

import dev.s3scanner.core.config.Env;
import java.time.Duration;
import java.util.Objects;

/**
 * The worker's settings. Defaults derive from the task size, so one image fits every tier.
 *
 * @param queueUrl           the scan-task queue
 * @param receivers          threads that receive and process messages (each holds up to
 *                           {@code receiveBatch} messages at a time)
 * @param maxInFlightObjects objects being fetched and scanned at once (bounded memory: each holds a
 *                           read window of about 2 MiB)
 * @param receiveBatch       messages per ReceiveMessage call, 1–10
 * @param waitTime           long-poll wait, 0–20 s
 * @param visibilityTimeout  how long a received message stays hidden; the worker extends it every
 *                           third of this while it works on the message
 * @param maxObjectBytes     objects larger than this are skipped as {@code too_large}
 */
public record WorkerSettings(String queueUrl, int receivers, int maxInFlightObjects, int receiveBatch,
                             Duration waitTime, Duration visibilityTimeout, long maxObjectBytes) {

    /** Environment variable: task vCPUs (e.g. 0.5, 1, 2). */
    public static final String VCPU = "SCANNER_WORKER_VCPU";
    /** Default objects in flight per vCPU (see {@link #defaults}). */
    public static final int IN_FLIGHT_PER_VCPU = 64;
    /** Environment variable: task memory in MiB. */
    public static final String MEMORY_MIB = "SCANNER_WORKER_MEMORY_MIB";

    public WorkerSettings {
        Objects.requireNonNull(queueUrl, "queueUrl");
        if (receivers < 1 || maxInFlightObjects < 1) {
            throw new IllegalArgumentException("receivers and maxInFlightObjects must be at least 1");
        }
        if (receiveBatch < 1 || receiveBatch > 10) {
            throw new IllegalArgumentException("receiveBatch must be between 1 and 10, was " + receiveBatch);
        }
        if (waitTime.isNegative() || waitTime.compareTo(Duration.ofSeconds(20)) > 0) {
            throw new IllegalArgumentException("waitTime must be between 0 and 20 seconds, was " + waitTime);
        }
        if (visibilityTimeout.compareTo(Duration.ofSeconds(6)) < 0 || visibilityTimeout.compareTo(Duration.ofHours(12)) > 0) {
            throw new IllegalArgumentException("visibilityTimeout must be between 6 seconds and 12 hours, was " + visibilityTimeout);
        }
    }

    /**
     * Defaults for a task of {@code vcpu} vCPUs and {@code memoryMib} MiB: two receivers per vCPU
     * (at least 2), and {@value #IN_FLIGHT_PER_VCPU} in-flight objects per vCPU (at least 4) capped so
     * their read windows use at most a quarter of the memory.
     *
     * <p>Why so many per vCPU: a 100 KB object costs about 0.5 ms of CPU to scan, while S3's first
     * byte takes tens of milliseconds for requests under 512 KB (AWS, "Best Practices Design
     * Patterns: Optimizing Amazon S3 Performance"). Each in-flight object holds a thread that waits
     * for its GET, so a vCPU stays busy only with about (latency / CPU time) objects in flight; the
     * worker benchmark with a 30 ms GET latency (BENCHMARKS.md, "Worker") measured 512 files/s with
     * 16 objects in flight on 2 vCPUs and 2,073 files/s with 128.
     */
    public static WorkerSettings defaults(String queueUrl, double vcpu, int memoryMib) {
        int receivers = Math.max(2, (int) Math.round(vcpu * 2));
        int byCpu = Math.max(4, (int) Math.round(vcpu * IN_FLIGHT_PER_VCPU));
        int byMemory = Math.max(2, memoryMib / 4 / 3);
        return new WorkerSettings(queueUrl, receivers, Math.min(byCpu, byMemory), 10, Duration.ofSeconds(20),
                Duration.ofSeconds(120), 16L << 30);
    }

    /**
     * Reads the settings: {@code SCANNER_QUEUE_URL} (required), {@code SCANNER_WORKER_VCPU} and
     * {@code SCANNER_WORKER_MEMORY_MIB} (default: this JVM's processors and max heap), and the
     * overrides {@code SCANNER_WORKER_RECEIVERS}, {@code SCANNER_MAX_IN_FLIGHT_OBJECTS},
     * {@code SCANNER_VISIBILITY_TIMEOUT_SECONDS}, {@code SCANNER_MAX_OBJECT_BYTES}.
     *
     * @throws dev.s3scanner.core.config.ConfigException when a value is missing or invalid
     */
    public static WorkerSettings fromEnv(Env env) {
        String queueUrl = env.required("SCANNER_QUEUE_URL");
        double vcpu = env.optional(VCPU).map(v -> parseVcpu(v)).orElse((double) Runtime.getRuntime().availableProcessors());
        int memory = env.intValue(MEMORY_MIB, (int) (Runtime.getRuntime().maxMemory() >> 20), 256, 1 << 20);
        WorkerSettings d = defaults(queueUrl, vcpu, memory);
        return new WorkerSettings(queueUrl,
                env.intValue("SCANNER_WORKER_RECEIVERS", d.receivers(), 1, 256),
                env.intValue("SCANNER_MAX_IN_FLIGHT_OBJECTS", d.maxInFlightObjects(), 1, 4096),
                d.receiveBatch(), d.waitTime(),
                Duration.ofSeconds(env.intValue("SCANNER_VISIBILITY_TIMEOUT_SECONDS", (int) d.visibilityTimeout().toSeconds(), 6, 43200)),
                env.longValue("SCANNER_MAX_OBJECT_BYTES", d.maxObjectBytes(), 0, Long.MAX_VALUE));
    }

    private static double parseVcpu(String v) {
        try {
            double d = Double.parseDouble(v);
            if (d <= 0 || d > 192) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new dev.s3scanner.core.config.ConfigException(VCPU + " must be a number of vCPUs such as 0.5 or 2, was '" + v + "'");
        }
    }

    /** The same settings with other receivers and in-flight objects. */
    public WorkerSettings withConcurrency(int newReceivers, int newMaxInFlightObjects) {
        return new WorkerSettings(queueUrl, newReceivers, newMaxInFlightObjects, receiveBatch, waitTime,
                visibilityTimeout, maxObjectBytes);
    }

    /** The same settings with another long-poll wait. */
    public WorkerSettings withWaitTime(Duration newWaitTime) {
        return new WorkerSettings(queueUrl, receivers, maxInFlightObjects, receiveBatch, newWaitTime,
                visibilityTimeout, maxObjectBytes);
    }

    /** The same settings with another size limit. */
    public WorkerSettings withMaxObjectBytes(long newMaxObjectBytes) {
        return new WorkerSettings(queueUrl, receivers, maxInFlightObjects, receiveBatch, waitTime,
                visibilityTimeout, newMaxObjectBytes);
    }
}
