package dev.s3scanner.core.queue;

import dev.s3scanner.core.logging.LogFields;
import dev.s3scanner.core.message.MalformedTaskException;
import dev.s3scanner.core.message.ObjectRef;
import dev.s3scanner.core.message.ScanTask;
import dev.s3scanner.core.message.ScanTaskCodec;
import dev.s3scanner.core.store.JobStore;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Handles a scan task that reached the dead-letter queue (its message failed maxReceiveCount
 * times): every object of it that is still open is failed with reason {@code dead_lettered} and
 * the last error recorded for it, so that the job completes instead of waiting forever. Runs as a
 * Lambda function on the dead-letter queue in AWS and as a poller in the local runner.
 */
public final class DeadLetterProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessor.class);

    private final JobStore store;

    /** @param store the job store */
    public DeadLetterProcessor(JobStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Processes one dead-lettered message body.
     *
     * @param body         the message body
     * @param receiveCount the message's ApproximateReceiveCount
     * @return objects failed (0 for a body that is not a scan task: it is logged and dropped)
     * @throws dev.s3scanner.core.store.StoreException when the database fails (retry the message)
     */
    public int process(String body, int receiveCount) {
        ScanTask task;
        try {
            task = ScanTaskCodec.decode(body);
        } catch (MalformedTaskException e) {
            LOG.error("dead-lettered message is not a scan task ({}); dropped", e.getMessage());
            return 0;
        }
        List<String> keys = task.objects().stream().map(ObjectRef::key).toList();
        try (MDC.MDCCloseable c = MDC.putCloseable(LogFields.JOB_ID, task.jobId().toString())) {
            int failed = store.failDeadLettered(task.jobId(), keys, receiveCount);
            if (failed > 0) {
                LOG.warn("job {}: {} objects failed after their scan task was dead-lettered", task.jobId(), failed);
            }
            if (LOG.isDebugEnabled()) {
                for (String key : keys) {
                    try (MDC.MDCCloseable k = MDC.putCloseable(LogFields.KEY, key)) {
                        LOG.debug("dead-lettered object (failed unless it was already terminal)");
                    }
                }
            }
            return failed;
        }
    }
}
