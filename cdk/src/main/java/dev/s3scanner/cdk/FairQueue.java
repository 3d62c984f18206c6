package dev.s3scanner.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * An SQS <b>standard</b> queue used as a fair queue: producers set {@code MessageGroupId} to the
 * tenant (the bucket) and SQS keeps one noisy tenant from starving the others. There is no queue
 * setting for fairness, and the queue is deliberately not FIFO: a FIFO queue with group = bucket
 * would hand out one batch of a bucket at a time (cases/15).
 *
 * <p>Created: the queue and a dead-letter queue (redrive after {@code maxReceiveCount}), both
 * encrypted (SSE-SQS, or the given KMS key) and with a policy denying non-TLS access; the
 * visibility timeout is twice the per-message processing budget; alarms on the age of the oldest
 * message, on any message in the dead-letter queue, and on quiet tenants waiting while a noisy
 * tenant is present (no actions: add yours).
 *
 * <p>Construct IDs {@code Queue}, {@code DeadLetterQueue}, {@code OldestMessageAgeAlarm},
 * {@code DeadLetterQueueAlarm} and {@code QuietGroupAgeAlarm} are part of the public contract.
 */
public class FairQueue extends Construct {

    /** Default per-message processing budget: the worker's default visibility is 2 minutes, extended every 40 s. */
    public static final Duration DEFAULT_PROCESSING_BUDGET = Duration.minutes(1);
    /** Visibility timeout of the dead-letter queue: six times a 30-second Lambda consumer's timeout. */
    public static final Duration DEAD_LETTER_VISIBILITY_TIMEOUT = Duration.minutes(3);
    /** Default receive count before a message moves to the dead-letter queue. */
    public static final int DEFAULT_MAX_RECEIVE_COUNT = 5;

    private final Queue queue;
    private final Queue deadLetterQueue;
    private final Duration visibilityTimeout;
    private final int maxReceiveCount;
    private final IKey encryptionKey;
    private final Alarm oldestMessageAgeAlarm;
    private final Alarm deadLetterQueueAlarm;
    private final Alarm quietGroupAgeAlarm;

    /**
     * @param scope parent
     * @param id construct id
     * @param props optional settings, may be {@code null}
     * @throws IllegalArgumentException when a property is out of range; the message names it
     */
    public FairQueue(Construct scope, String id, FairQueueProps props) {
        super(scope, id);
        FairQueueProps p = props == null ? FairQueueProps.builder().build() : props;
        validate(p);

        Duration budget = p.getProcessingBudget() == null ? DEFAULT_PROCESSING_BUDGET : p.getProcessingBudget();
        this.visibilityTimeout = Duration.seconds(budget.toSeconds().longValue() * 2);
        this.maxReceiveCount = p.getMaxReceiveCount() == null ? DEFAULT_MAX_RECEIVE_COUNT : p.getMaxReceiveCount();
        this.encryptionKey = p.getEncryptionKey();
        QueueEncryption encryption = encryptionKey == null ? QueueEncryption.SQS_MANAGED : QueueEncryption.KMS;

        this.deadLetterQueue = Queue.Builder.create(this, "DeadLetterQueue")
                .encryption(encryption)
                .encryptionMasterKey(encryptionKey)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .visibilityTimeout(DEAD_LETTER_VISIBILITY_TIMEOUT)
                .build();
        this.queue = Queue.Builder.create(this, "Queue")
                .encryption(encryption)
                .encryptionMasterKey(encryptionKey)
                .enforceSsl(true)
                .visibilityTimeout(visibilityTimeout)
                .retentionPeriod(p.getRetentionPeriod() == null ? Duration.days(4) : p.getRetentionPeriod())
                .receiveMessageWaitTime(Duration.seconds(20))
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetterQueue).maxReceiveCount(maxReceiveCount).build())
                .build();

        Duration ageThreshold = p.getOldestMessageAgeAlarmThreshold() == null
                ? Duration.hours(1) : p.getOldestMessageAgeAlarmThreshold();
        this.oldestMessageAgeAlarm = Alarm.Builder.create(this, "OldestMessageAgeAlarm")
                .alarmDescription("The oldest scan task has waited at least " + ageThreshold.toHumanString()
                        + ": workers are not keeping up or not running")
                .metric(metricApproximateAgeOfOldestMessage(null))
                .threshold(ageThreshold.toSeconds())
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        this.deadLetterQueueAlarm = Alarm.Builder.create(this, "DeadLetterQueueAlarm")
                .alarmDescription("Scan tasks failed " + maxReceiveCount + " times and are in the dead-letter queue")
                .metric(metricDeadLetterQueueDepth(null))
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        Duration quietThreshold = p.getQuietGroupAgeAlarmThreshold() == null
                ? Duration.minutes(15) : p.getQuietGroupAgeAlarmThreshold();
        Map<String, IMetric> quietInputs = new TreeMap<>();
        quietInputs.put("noisy", metricApproximateNumberOfNoisyGroups(null));
        quietInputs.put("quietAge", metricApproximateAgeOfOldestMessageInQuietGroups(null));
        this.quietGroupAgeAlarm = Alarm.Builder.create(this, "QuietGroupAgeAlarm")
                .alarmDescription("While a tenant is noisy, the oldest scan task of the other tenants has waited at least "
                        + quietThreshold.toHumanString() + ": workers are saturated and fairness no longer keeps small"
                        + " scans moving")
                .metric(MathExpression.Builder.create()
                        .expression("IF(FILL(noisy, 0) > 0, FILL(quietAge, 0), 0)")
                        .usingMetrics(quietInputs)
                        .label("Oldest quiet-tenant scan task while a tenant is noisy (s)")
                        .period(Duration.minutes(1))
                        .build())
                .threshold(quietThreshold.toSeconds())
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
    }

    private static void validate(FairQueueProps p) {
        List<String> problems = new ArrayList<>();
        if (p.getProcessingBudget() != null) {
            double s = p.getProcessingBudget().toSeconds().doubleValue();
            if (s < 1 || s > 6 * 3600) {
                problems.add("processingBudget must be between 1 second and 6 hours (the visibility timeout is twice"
                        + " the budget, at most 12 hours), got " + p.getProcessingBudget().toHumanString());
            }
        }
        if (p.getMaxReceiveCount() != null && (p.getMaxReceiveCount() < 1 || p.getMaxReceiveCount() > 1000)) {
            problems.add("maxReceiveCount must be between 1 and 1000, got " + p.getMaxReceiveCount());
        }
        if (p.getRetentionPeriod() != null) {
            double s = p.getRetentionPeriod().toSeconds().doubleValue();
            if (s < 60 || s > 14 * 86400) {
                problems.add("retentionPeriod must be between 1 minute and 14 days, got "
                        + p.getRetentionPeriod().toHumanString());
            }
        }
        for (Map.Entry<String, Duration> t : new TreeMap<>(thresholds(p)).entrySet()) {
            double s = t.getValue().toSeconds().doubleValue();
            if (s < 60 || s > 14 * 86400) {
                problems.add(t.getKey() + " must be between 1 minute and 14 days, got " + t.getValue().toHumanString());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private static Map<String, Duration> thresholds(FairQueueProps p) {
        Map<String, Duration> m = new TreeMap<>();
        if (p.getOldestMessageAgeAlarmThreshold() != null) {
            m.put("oldestMessageAgeAlarmThreshold", p.getOldestMessageAgeAlarmThreshold());
        }
        if (p.getQuietGroupAgeAlarmThreshold() != null) {
            m.put("quietGroupAgeAlarmThreshold", p.getQuietGroupAgeAlarmThreshold());
        }
        return m;
    }

    /** @return the scan-task queue (standard, not FIFO) */
    public Queue getQueue() { return queue; }

    /** @return the dead-letter queue that receives messages after {@link #getMaxReceiveCount()} receives */
    public Queue getDeadLetterQueue() { return deadLetterQueue; }

    /** @return the queue's visibility timeout: twice the processing budget */
    public Duration getVisibilityTimeout() { return visibilityTimeout; }

    /** @return receives before a message moves to the dead-letter queue */
    public int getMaxReceiveCount() { return maxReceiveCount; }

    /** @return the customer-managed key, or {@code null} when the queues use SSE-SQS */
    public IKey getEncryptionKey() { return encryptionKey; }

    /** @return the alarm on the oldest message's age (no actions) */
    public Alarm getOldestMessageAgeAlarm() { return oldestMessageAgeAlarm; }

    /** @return the alarm on any message in the dead-letter queue (no actions) */
    public Alarm getDeadLetterQueueAlarm() { return deadLetterQueueAlarm; }

    /** @return the alarm on quiet tenants' oldest task while a tenant is noisy (threshold {@link FairQueueProps#getQuietGroupAgeAlarmThreshold()}) */
    public Alarm getQuietGroupAgeAlarm() { return quietGroupAgeAlarm; }

    /**
     * Grants sending (and the key's use, when there is one).
     *
     * @param grantee the producer
     * @return the grant
     */
    public Grant grantSend(IGrantable grantee) {
        return queue.grantSendMessages(grantee);
    }

    /**
     * Grants receiving, deleting and changing visibility (the heartbeat), and the key's use.
     *
     * @param grantee the consumer
     * @return the grant
     */
    public Grant grantConsume(IGrantable grantee) {
        return queue.grantConsumeMessages(grantee);
    }

    /**
     * @param options period/statistic overrides, may be {@code null}
     * @return {@code ApproximateNumberOfMessagesVisible} of the queue (Maximum, 1 minute)
     */
    public Metric metricApproximateNumberOfMessagesVisible(MetricOptions options) {
        return queue.metricApproximateNumberOfMessagesVisible(defaults(options, "Maximum"));
    }

    /**
     * @param options overrides, may be {@code null}
     * @return {@code ApproximateAgeOfOldestMessage} in seconds (Maximum, 1 minute)
     */
    public Metric metricApproximateAgeOfOldestMessage(MetricOptions options) {
        return queue.metricApproximateAgeOfOldestMessage(defaults(options, "Maximum"));
    }

    /**
     * @param options overrides, may be {@code null}
     * @return the dead-letter queue's {@code ApproximateNumberOfMessagesVisible} (Maximum, 1 minute)
     */
    public Metric metricDeadLetterQueueDepth(MetricOptions options) {
        return deadLetterQueue.metricApproximateNumberOfMessagesVisible(defaults(options, "Maximum"));
    }

    /**
     * Fair-queue metric: message groups (tenants) SQS currently treats as noisy.
     *
     * @param options overrides, may be {@code null}
     * @return {@code ApproximateNumberOfNoisyGroups} (Maximum, 1 minute)
     */
    public Metric metricApproximateNumberOfNoisyGroups(MetricOptions options) {
        return queue.metric("ApproximateNumberOfNoisyGroups", defaults(options, "Maximum"));
    }

    /**
     * Fair-queue metric: visible messages of the tenants that are not noisy.
     *
     * @param options overrides, may be {@code null}
     * @return {@code ApproximateNumberOfMessagesVisibleInQuietGroups} (Maximum, 1 minute)
     */
    public Metric metricApproximateNumberOfMessagesVisibleInQuietGroups(MetricOptions options) {
        return queue.metric("ApproximateNumberOfMessagesVisibleInQuietGroups", defaults(options, "Maximum"));
    }

    /**
     * Fair-queue metric: age of the oldest message of the tenants that are not noisy.
     *
     * @param options overrides, may be {@code null}
     * @return {@code ApproximateAgeOfOldestMessageInQuietGroups} in seconds (Maximum, 1 minute)
     */
    public Metric metricApproximateAgeOfOldestMessageInQuietGroups(MetricOptions options) {
        return queue.metric("ApproximateAgeOfOldestMessageInQuietGroups", defaults(options, "Maximum"));
    }

    /** @return the queue's environment for consumers and producers: {@code SCANNER_QUEUE_URL} */
    public Map<String, String> environment() {
        Map<String, String> env = new TreeMap<>();
        env.put("SCANNER_QUEUE_URL", queue.getQueueUrl());
        return env;
    }

    static MetricOptions defaults(MetricOptions options, String statistic) {
        if (options == null) {
            return MetricOptions.builder().period(Duration.minutes(1)).statistic(statistic).build();
        }
        return MetricOptions.builder()
                .period(options.getPeriod() == null ? Duration.minutes(1) : options.getPeriod())
                .statistic(options.getStatistic() == null ? statistic : options.getStatistic())
                .label(options.getLabel())
                .color(options.getColor())
                .unit(options.getUnit())
                .dimensionsMap(options.getDimensionsMap())
                .account(options.getAccount())
                .region(options.getRegion())
                .build();
    }
}
