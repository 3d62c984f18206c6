package dev.s3scanner.lister;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.s3scanner.core.store.Job;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/**
 * Starts the listing state machine for a job: {@code StartExecution} with the execution name set
 * to the job id and the input {@code {"job_id": "<id>", "token": null, "pages": 0, "listed": 0,
 * "iteration": 0, "done": false, "source": "list" | "inventory"}}: the start state
 * ({@link ListBatchState#start}) plus the job's source, on which the state machine chooses
 * between ListObjectsV2 and the S3 Inventory reader (DEVELOPERS.md "List-batch state").
 *
 * <p>Idempotent by the execution name: Step Functions Standard returns the running execution when
 * {@code StartExecution} is repeated with the same name and input, and answers
 * {@code ExecutionAlreadyExists} once that execution has closed (for example after it handed off
 * to a fresh execution); both mean the job's listing was started, so a retried request never
 * starts two listings (AWS Step Functions API Reference, StartExecution: "idempotent for
 * standard workflows").
 */
public final class StepFunctionsListingStarter implements ListingStarter {
    private static final Logger LOG = LoggerFactory.getLogger(StepFunctionsListingStarter.class);
    private static final JsonMapper JSON = new JsonMapper();
    /** Field of the execution input naming the job's source; the state machine routes on it. */
    static final String SOURCE = "source";

    private final Supplier<SfnClient> sfn;
    private final String stateMachineArn;

    /**
     * @param sfn             the Step Functions client, built on first use (keeps cold starts light)
     * @param stateMachineArn the listing state machine
     */
    public StepFunctionsListingStarter(Supplier<SfnClient> sfn, String stateMachineArn) {
        this.sfn = Objects.requireNonNull(sfn, "sfn");
        this.stateMachineArn = Objects.requireNonNull(stateMachineArn, "stateMachineArn");
    }

    /**
     * The execution input for a new job.
     *
     * @param job the job as stored ({@code source} is {@code list} or {@code inventory})
     * @return {@code {"job_id", "token", "pages", "listed", "iteration", "done", "source"}} as JSON
     */
    static String input(Job job) {
        ObjectNode input = JSON.valueToTree(ListBatchState.start(job.jobId()));
        input.put(SOURCE, job.source());
        try {
            return JSON.writeValueAsString(input);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void startListing(Job job) {
        try {
            String arn = sfn.get().startExecution(b -> b.stateMachineArn(stateMachineArn)
                    .name(job.jobId().toString())
                    .input(input(job))).executionArn();
            LOG.info("job {}: listing execution {}", job.jobId(), arn);
        } catch (ExecutionAlreadyExistsException e) {
            LOG.info("job {}: listing execution already exists", job.jobId());
        } catch (SdkException e) {
            throw new ListingStartException("StartExecution failed: " + e.getClass().getSimpleName(), e);
        }
    }
}
