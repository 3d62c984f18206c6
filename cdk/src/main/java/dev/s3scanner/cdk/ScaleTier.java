package dev.s3scanner.cdk;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The scale tiers of DESIGN.md ("Scale tiers"): each names a complete, typed set of
 * {@link ScaleSettings} sized for a number of objects per job.
 *
 * <table>
 *   <caption>Tier defaults</caption>
 *   <tr><th>tier</th><th>objects</th><th>max workers</th><th>database</th><th>extras</th><th>alarms: oldest task / quiet tenant (min)</th></tr>
 *   <tr><td>{@code small}</td><td>&lt; 1M</td><td>5</td><td>db.t3.medium</td><td></td><td>60 / 15</td></tr>
 *   <tr><td>{@code medium}</td><td>1M-10M</td><td>20</td><td>db.t3.large, Multi-AZ</td><td></td><td>180 / 15</td></tr>
 *   <tr><td>{@code large}</td><td>10M-50M</td><td>50</td><td>db.r6g.large, Multi-AZ</td><td>partitioned {@code job_objects}</td><td>360 / 30</td></tr>
 *   <tr><td>{@code enterprise}</td><td>50M+</td><td>100</td><td>db.r6g.xlarge, Multi-AZ</td><td>partitioning + S3 Inventory mode</td><td>720 / 30</td></tr>
 * </table>
 *
 * <p>Every field can be overridden one by one: from Java with
 * {@code ScaleSettings.builder().from(ScaleTier.LARGE.settings()).maxWorkers(30).build()}, and
 * from CDK context with {@link ScaleSettings#fromContext(software.constructs.Node)}
 * ({@code -c tier=large -c maxWorkers=30}).
 */
public enum ScaleTier {
    /** Fewer than 1M objects per job: 5 workers, db.t3.medium single-AZ. */
    SMALL(5, 1024, 2048, "t3.medium", false, 50, false, false, 60, 15),
    /** 1M to 10M objects: 20 workers, db.t3.large Multi-AZ. */
    MEDIUM(20, 1024, 2048, "t3.large", true, 200, false, false, 180, 15),
    /** 10M to 50M objects: 50 workers, db.r6g.large Multi-AZ, partitioned {@code job_objects}. */
    LARGE(50, 2048, 4096, "r6g.large", true, 500, true, false, 360, 30),
    /** 50M objects and more: 100 workers, db.r6g.xlarge Multi-AZ, partitioning and S3 Inventory mode. */
    ENTERPRISE(100, 2048, 4096, "r6g.xlarge", true, 1000, true, true, 720, 30);

    private final ScaleSettings settings;

    ScaleTier(int maxWorkers, int workerCpu, int workerMemoryMiB, String databaseInstanceType,
              boolean multiAz, int allocatedStorageGiB, boolean partitioned, boolean inventoryMode,
              int oldestScanTaskAlarmMinutes, int quietTenantAlarmMinutes) {
        this.settings = ScaleSettings.builder()
                .tier(this)
                .minWorkers(0)
                .maxWorkers(maxWorkers)
                .workerCpu(workerCpu)
                .workerMemoryMiB(workerMemoryMiB)
                .databaseInstanceType(databaseInstanceType)
                .multiAz(multiAz)
                .allocatedStorageGiB(allocatedStorageGiB)
                .partitionedJobObjects(partitioned)
                .inventoryMode(inventoryMode)
                .oldestScanTaskAlarmMinutes(oldestScanTaskAlarmMinutes)
                .quietTenantAlarmMinutes(quietTenantAlarmMinutes)
                .build();
    }

    /** @return this tier's complete default settings (immutable) */
    public ScaleSettings settings() {
        return settings;
    }

    /** @return the lower-case name used in context and docs, e.g. {@code "large"} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a tier name as given with {@code -c tier=...}.
     *
     * @param name {@code small}, {@code medium}, {@code large} or {@code enterprise} (any case)
     * @return the tier
     * @throws IllegalArgumentException naming the accepted values when {@code name} is none of them
     */
    public static ScaleTier fromId(String name) {
        for (ScaleTier t : values()) {
            if (t.id().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("tier must be one of "
                + Arrays.stream(values()).map(ScaleTier::id).collect(Collectors.joining(", "))
                + ", got '" + name + "'");
    }
}
