package dev.s3scanner.cdk;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.kms.IKey;

/**
 * Properties of a {@link FairQueue}. Every property is optional; build with {@link #builder()}.
 */
public interface FairQueueProps {

    /**
     * The per-message budget: the longest one consumer works on a message before it extends the
     * message's visibility (its heartbeat period), or its whole processing time if it never
     * extends. The queue's visibility timeout is twice this, so a late heartbeat never hands a
     * message to a second worker (cases/13), while a crashed consumer's messages come back soon.
     *
     * @return the budget; between 1 second and 6 hours
     * @default - 1 minute (visibility timeout 2 minutes, the worker's default, extended every 40 s)
     */
    default Duration getProcessingBudget() {
        return null;
    }

    /**
     * How many times a message is received before it moves to the dead-letter queue.
     *
     * @return between 1 and 1000
     * @default 5
     */
    default Integer getMaxReceiveCount() {
        return null;
    }

    /**
     * How long the main queue keeps a message. The dead-letter queue always keeps messages
     * for the maximum, 14 days.
     *
     * @return between 1 minute and 14 days
     * @default - 4 days
     */
    default Duration getRetentionPeriod() {
        return null;
    }

    /**
     * A customer-managed KMS key for both queues. When set, senders and consumers are granted
     * its use by {@link FairQueue#grantSend} and {@link FairQueue#grantConsume}.
     *
     * @return the key
     * @default - SQS-managed server-side encryption (SSE-SQS)
     */
    default IKey getEncryptionKey() {
        return null;
    }

    /**
     * Alarm when the oldest visible message is at least this old.
     *
     * @return the threshold
     * @default - 1 hour
     */
    default Duration getOldestMessageAgeAlarmThreshold() {
        return null;
    }

    /**
     * Alarm when, while at least one tenant is noisy ({@code ApproximateNumberOfNoisyGroups} of 1
     * or more), the oldest visible message of the quiet tenants
     * ({@code ApproximateAgeOfOldestMessageInQuietGroups}) is at least this old. Without a noisy
     * tenant every tenant is quiet and the metric is the queue's own oldest age, already watched
     * by the oldest-message alarm.
     *
     * @return the threshold
     * @default - 15 minutes
     */
    default Duration getQuietGroupAgeAlarmThreshold() {
        return null;
    }

    /** @return a new builder */
    static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link FairQueueProps}. */
    final class Builder {
        private Duration processingBudget;
        private Integer maxReceiveCount;
        private Duration retentionPeriod;
        private IKey encryptionKey;
        private Duration oldestMessageAgeAlarmThreshold;
        private Duration quietGroupAgeAlarmThreshold;

        private Builder() {
        }

        /**

         * @param v see {@link FairQueueProps#getProcessingBudget()}

         * @return this builder

         */
        public Builder processingBudget(Duration v) { processingBudget = v; return this; }
        /**
         * @param v see {@link FairQueueProps#getMaxReceiveCount()}
         * @return this builder
         */
        public Builder maxReceiveCount(Integer v) { maxReceiveCount = v; return this; }
        /**
         * @param v see {@link FairQueueProps#getRetentionPeriod()}
         * @return this builder
         */
        public Builder retentionPeriod(Duration v) { retentionPeriod = v; return this; }
        /**
         * @param v see {@link FairQueueProps#getEncryptionKey()}
         * @return this builder
         */
        public Builder encryptionKey(IKey v) { encryptionKey = v; return this; }
        /**
         * @param v see {@link FairQueueProps#getOldestMessageAgeAlarmThreshold()}
         * @return this builder
         */
        public Builder oldestMessageAgeAlarmThreshold(Duration v) { oldestMessageAgeAlarmThreshold = v; return this; }
        /**
         * @param v see {@link FairQueueProps#getQuietGroupAgeAlarmThreshold()}
         * @return this builder
         */
        public Builder quietGroupAgeAlarmThreshold(Duration v) { quietGroupAgeAlarmThreshold = v; return this; }

        /** @return the immutable props */
        public FairQueueProps build() {
            Duration pb = processingBudget;
            Integer mrc = maxReceiveCount;
            Duration rp = retentionPeriod;
            IKey key = encryptionKey;
            Duration age = oldestMessageAgeAlarmThreshold;
            Duration quiet = quietGroupAgeAlarmThreshold;
            return new FairQueueProps() {
                @Override public Duration getProcessingBudget() { return pb; }
                @Override public Integer getMaxReceiveCount() { return mrc; }
                @Override public Duration getRetentionPeriod() { return rp; }
                @Override public IKey getEncryptionKey() { return key; }
                @Override public Duration getOldestMessageAgeAlarmThreshold() { return age; }
                @Override public Duration getQuietGroupAgeAlarmThreshold() { return quiet; }
            };
        }
    }
}
