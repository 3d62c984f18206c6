package dev.s3scanner.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import software.constructs.Node;

/**
 * The typed settings of a {@link ScaleTier}: worker count and size, database size, and the
 * features a tier switches on. Immutable; build one with {@link #builder()} (jsii-struct style),
 * usually starting {@link Builder#from(ScaleSettings) from} a tier's defaults.
 *
 * <p>Context keys read by {@link #fromContext(Node)} are the getter names without {@code get}:
 * {@code tier}, {@code minWorkers}, {@code maxWorkers}, {@code workerCpu},
 * {@code workerMemoryMiB}, {@code databaseInstanceType}, {@code multiAz},
 * {@code allocatedStorageGiB}, {@code partitionedJobObjects}, {@code inventoryMode},
 * {@code oldestScanTaskAlarmMinutes}, {@code quietTenantAlarmMinutes}.
 */
public interface ScaleSettings {

    /** Context key naming the base tier. */
    String CONTEXT_TIER = "tier";

    /** Largest alarm threshold in minutes: the scan queue's 4-day retention. */
    int MAX_ALARM_MINUTES = 4 * 24 * 60;

    /** @return the tier these settings started from */
    ScaleTier getTier();

    /** @return the fewest worker tasks the service scales in to (0 or more) */
    int getMinWorkers();

    /** @return the most worker tasks the service scales out to (1 or more) */
    int getMaxWorkers();

    /** @return Fargate CPU units per worker task (1024 = 1 vCPU); a valid Fargate size */
    int getWorkerCpu();

    /** @return memory per worker task in MiB; valid for {@link #getWorkerCpu()} on Fargate */
    int getWorkerMemoryMiB();

    /** @return the RDS instance class without the {@code db.} prefix, e.g. {@code t3.medium} */
    String getDatabaseInstanceType();

    /** @return whether the database instance is Multi-AZ */
    boolean isMultiAz();

    /** @return the database's initial allocated storage in GiB (storage autoscaling goes to 4x) */
    int getAllocatedStorageGiB();

    /** @return whether {@code job_objects} is partitioned (passed to the migration as {@code SCANNER_PARTITIONED}) */
    boolean isPartitionedJobObjects();

    /** @return whether listing can read S3 Inventory reports ({@link InventoryMode}) */
    boolean isInventoryMode();

    /**
     * Threshold of the pipeline's oldest-scan-task alarm ({@link FairQueue#getOldestMessageAgeAlarm()}):
     * the queue's {@code ApproximateAgeOfOldestMessage} at or above this many minutes. Listing
     * enqueues a whole job up front, so during a healthy scan the oldest task is about as old as
     * the job; the tier defaults are a few times the time a job of the tier's largest size takes
     * at its maximum worker count: small 60, medium 180, large 360, enterprise 720 (all far below
     * the queue's 4-day retention, after which SQS drops tasks).
     *
     * @return minutes, 1 to 5760 (4 days)
     */
    int getOldestScanTaskAlarmMinutes();

    /**
     * Threshold of the quiet-tenant alarm ({@link FairQueue#getQuietGroupAgeAlarm()}): while at
     * least one tenant is noisy, the oldest task of the other (quiet) tenants at or above this
     * many minutes, meaning fairness no longer shields small scans from a large one. Defaults:
     * small and medium 15, large and enterprise 30.
     *
     * @return minutes, 1 to 5760
     */
    int getQuietTenantAlarmMinutes();

    /** @return a new builder; every field must be set unless started {@link Builder#from from} other settings */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Reads settings from CDK context: the base tier from {@code tier} (default {@code small}),
     * then each field overridden one by one by its own key, e.g.
     * {@code -c tier=large -c maxWorkers=30 -c multiAz=false}. Values may be strings (from
     * {@code -c}) or JSON numbers and booleans (from {@code cdk.json}).
     *
     * @param node the construct node whose context is read (an App's or a Stack's)
     * @return the settings
     * @throws IllegalArgumentException when a value does not parse or the result is invalid;
     *         the message names the context key
     */
    static ScaleSettings fromContext(Node node) {
        Object tierValue = node.tryGetContext(CONTEXT_TIER);
        ScaleTier tier = tierValue == null ? ScaleTier.SMALL : ScaleTier.fromId(tierValue.toString());
        Builder b = builder().from(tier.settings());
        intContext(node, "minWorkers", b::minWorkers);
        intContext(node, "maxWorkers", b::maxWorkers);
        intContext(node, "workerCpu", b::workerCpu);
        intContext(node, "workerMemoryMiB", b::workerMemoryMiB);
        Object type = node.tryGetContext("databaseInstanceType");
        if (type != null) {
            b.databaseInstanceType(type.toString());
        }
        boolContext(node, "multiAz", b::multiAz);
        intContext(node, "allocatedStorageGiB", b::allocatedStorageGiB);
        boolContext(node, "partitionedJobObjects", b::partitionedJobObjects);
        boolContext(node, "inventoryMode", b::inventoryMode);
        intContext(node, "oldestScanTaskAlarmMinutes", b::oldestScanTaskAlarmMinutes);
        intContext(node, "quietTenantAlarmMinutes", b::quietTenantAlarmMinutes);
        return b.build();
    }

    private static void intContext(Node node, String key, Consumer<Integer> setter) {
        Object v = node.tryGetContext(key);
        if (v == null) {
            return;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            setter.accept(n.intValue());
            return;
        }
        try {
            setter.accept(Integer.parseInt(v.toString().trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("context " + key + " must be an integer, got '" + v + "'", e);
        }
    }

    private static void boolContext(Node node, String key, Consumer<Boolean> setter) {
        Object v = node.tryGetContext(key);
        if (v == null) {
            return;
        }
        if (v instanceof Boolean bool) {
            setter.accept(bool);
            return;
        }
        String s = v.toString().trim().toLowerCase(Locale.ROOT);
        if (!s.equals("true") && !s.equals("false")) {
            throw new IllegalArgumentException("context " + key + " must be true or false, got '" + v + "'");
        }
        setter.accept(Boolean.parseBoolean(s));
    }

    /** Builder for {@link ScaleSettings}. */
    final class Builder {
        private ScaleTier tier;
        private Integer minWorkers;
        private Integer maxWorkers;
        private Integer workerCpu;
        private Integer workerMemoryMiB;
        private String databaseInstanceType;
        private Boolean multiAz;
        private Integer allocatedStorageGiB;
        private Boolean partitionedJobObjects;
        private Boolean inventoryMode;
        private Integer oldestScanTaskAlarmMinutes;
        private Integer quietTenantAlarmMinutes;

        private Builder() {
        }

        /**
         * Copies every field of {@code other}; later calls override fields one by one.
         *
         * @param other settings to start from, e.g. {@code ScaleTier.LARGE.settings()}
         * @return this builder
         */
        public Builder from(ScaleSettings other) {
            Objects.requireNonNull(other, "other must not be null");
            tier = other.getTier();
            minWorkers = other.getMinWorkers();
            maxWorkers = other.getMaxWorkers();
            workerCpu = other.getWorkerCpu();
            workerMemoryMiB = other.getWorkerMemoryMiB();
            databaseInstanceType = other.getDatabaseInstanceType();
            multiAz = other.isMultiAz();
            allocatedStorageGiB = other.getAllocatedStorageGiB();
            partitionedJobObjects = other.isPartitionedJobObjects();
            inventoryMode = other.isInventoryMode();
            oldestScanTaskAlarmMinutes = other.getOldestScanTaskAlarmMinutes();
            quietTenantAlarmMinutes = other.getQuietTenantAlarmMinutes();
            return this;
        }

        /**

         * @param v see {@link ScaleSettings#getTier()}

         * @return this builder

         */
        public Builder tier(ScaleTier v) { tier = v; return this; }
        /**
         * @param v see {@link ScaleSettings#getMinWorkers()}
         * @return this builder
         */
        public Builder minWorkers(int v) { minWorkers = v; return this; }
        /**
         * @param v see {@link ScaleSettings#getMaxWorkers()}
         * @return this builder
         */
        public Builder maxWorkers(int v) { maxWorkers = v; return this; }
        /**
         * @param v see {@link ScaleSettings#getWorkerCpu()}
         * @return this builder
         */
        public Builder workerCpu(int v) { workerCpu = v; return this; }
        /**
         * @param v see {@link ScaleSettings#getWorkerMemoryMiB()}
         * @return this builder
         */
        public Builder workerMemoryMiB(int v) { workerMemoryMiB = v; return this; }
        /**
         * @param v see {@link ScaleSettings#getDatabaseInstanceType()}
         * @return this builder
         */
        public Builder databaseInstanceType(String v) { databaseInstanceType = v; return this; }
        /**
         * @param v see {@link ScaleSettings#isMultiAz()}
         * @return this builder
         */
        public Builder multiAz(boolean v) { multiAz = v; return this; }
        /**
         * @param v see {@link ScaleSettings#getAllocatedStorageGiB()}
         * @return this builder
         */
        public Builder allocatedStorageGiB(int v) { allocatedStorageGiB = v; return this; }
        /**
         * @param v see {@link ScaleSettings#isPartitionedJobObjects()}
         * @return this builder
         */
        public Builder partitionedJobObjects(boolean v) { partitionedJobObjects = v; return this; }
        /**
         * @param v see {@link ScaleSettings#isInventoryMode()}
         * @return this builder
         */
        public Builder inventoryMode(boolean v) { inventoryMode = v; return this; }
        /**
         * @param v see {@link ScaleSettings#getOldestScanTaskAlarmMinutes()}
         * @return this builder
         */
        public Builder oldestScanTaskAlarmMinutes(int v) { oldestScanTaskAlarmMinutes = v; return this; }
        /**
         * @param v see {@link ScaleSettings#getQuietTenantAlarmMinutes()}
         * @return this builder
         */
        public Builder quietTenantAlarmMinutes(int v) { quietTenantAlarmMinutes = v; return this; }

        /**
         * @return the immutable settings
         * @throws NullPointerException when a field was never set (like jsii's {@code build()})
         * @throws IllegalArgumentException listing every invalid combination, each naming its fields
         */
        public ScaleSettings build() {
            Impl s = new Impl(
                    Objects.requireNonNull(tier, "tier must not be null"),
                    Objects.requireNonNull(minWorkers, "minWorkers must not be null"),
                    Objects.requireNonNull(maxWorkers, "maxWorkers must not be null"),
                    Objects.requireNonNull(workerCpu, "workerCpu must not be null"),
                    Objects.requireNonNull(workerMemoryMiB, "workerMemoryMiB must not be null"),
                    Objects.requireNonNull(databaseInstanceType, "databaseInstanceType must not be null"),
                    Objects.requireNonNull(multiAz, "multiAz must not be null"),
                    Objects.requireNonNull(allocatedStorageGiB, "allocatedStorageGiB must not be null"),
                    Objects.requireNonNull(partitionedJobObjects, "partitionedJobObjects must not be null"),
                    Objects.requireNonNull(inventoryMode, "inventoryMode must not be null"),
                    Objects.requireNonNull(oldestScanTaskAlarmMinutes, "oldestScanTaskAlarmMinutes must not be null"),
                    Objects.requireNonNull(quietTenantAlarmMinutes, "quietTenantAlarmMinutes must not be null"));
            List<String> problems = new ArrayList<>();
            if (s.minWorkers() < 0) {
                problems.add("minWorkers must be 0 or more, got " + s.minWorkers());
            }
            if (s.maxWorkers() < 1) {
                problems.add("maxWorkers must be 1 or more, got " + s.maxWorkers());
            }
            if (s.minWorkers() > s.maxWorkers()) {
                problems.add("minWorkers (" + s.minWorkers() + ") must not exceed maxWorkers (" + s.maxWorkers() + ")");
            }
            String fargate = FargateSizes.check(s.workerCpu(), s.workerMemoryMiB());
            if (fargate != null) {
                problems.add(fargate);
            }
            if (!s.databaseInstanceType().matches("[a-z0-9-]+\\.[a-z0-9]+")) {
                problems.add("databaseInstanceType must be an instance class without the db. prefix, e.g. t3.medium, got '"
                        + s.databaseInstanceType() + "'");
            }
            if (s.allocatedStorageGiB() < 20 || s.allocatedStorageGiB() > 16384) {
                problems.add("allocatedStorageGiB must be between 20 and 16384, got " + s.allocatedStorageGiB());
            }
            if (s.oldestScanTaskAlarmMinutes() < 1 || s.oldestScanTaskAlarmMinutes() > MAX_ALARM_MINUTES) {
                problems.add("oldestScanTaskAlarmMinutes must be between 1 and " + MAX_ALARM_MINUTES
                        + " (the queue's 4-day retention), got " + s.oldestScanTaskAlarmMinutes());
            }
            if (s.quietTenantAlarmMinutes() < 1 || s.quietTenantAlarmMinutes() > MAX_ALARM_MINUTES) {
                problems.add("quietTenantAlarmMinutes must be between 1 and " + MAX_ALARM_MINUTES
                        + " (the queue's 4-day retention), got " + s.quietTenantAlarmMinutes());
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return s;
        }
    }

    /** Immutable implementation; equality by value. */
    record Impl(ScaleTier tier, int minWorkers, int maxWorkers, int workerCpu, int workerMemoryMiB,
                String databaseInstanceType, boolean multiAz, int allocatedStorageGiB,
                boolean partitionedJobObjects, boolean inventoryMode, int oldestScanTaskAlarmMinutes,
                int quietTenantAlarmMinutes) implements ScaleSettings {
        @Override public ScaleTier getTier() { return tier; }
        @Override public int getMinWorkers() { return minWorkers; }
        @Override public int getMaxWorkers() { return maxWorkers; }
        @Override public int getWorkerCpu() { return workerCpu; }
        @Override public int getWorkerMemoryMiB() { return workerMemoryMiB; }
        @Override public String getDatabaseInstanceType() { return databaseInstanceType; }
        @Override public boolean isMultiAz() { return multiAz; }
        @Override public int getAllocatedStorageGiB() { return allocatedStorageGiB; }
        @Override public boolean isPartitionedJobObjects() { return partitionedJobObjects; }
        @Override public boolean isInventoryMode() { return inventoryMode; }
        @Override public int getOldestScanTaskAlarmMinutes() { return oldestScanTaskAlarmMinutes; }
        @Override public int getQuietTenantAlarmMinutes() { return quietTenantAlarmMinutes; }
    }
}
