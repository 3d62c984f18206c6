package dev.s3scanner.lister;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import java.util.UUID;

/**
 * The state the listing state machine passes between steps: constant size, never a page of keys
 * (Step Functions limits a state to 256 KiB).
 *
 * @param jobId     the job
 * @param token     the continuation token to list from, {@code null} at the start (opaque, passed through untouched)
 * @param pages     pages recorded so far by this job's executions
 * @param listed    objects recorded so far
 * @param iteration steps taken in the current execution (the state machine hands off to a fresh
 *                  execution when it reaches its bound, so no execution nears 25,000 history events)
 * @param done      whether the last page has been recorded
 */
public record ListBatchState(@JsonProperty("job_id") UUID jobId, @JsonProperty("token") String token,
                             @JsonProperty("pages") long pages, @JsonProperty("listed") long listed,
                             @JsonProperty("iteration") int iteration, @JsonProperty("done") boolean done) {
    public ListBatchState {
        Objects.requireNonNull(jobId, "job_id");
    }

    /** The state a new job starts with. */
    public static ListBatchState start(UUID jobId) {
        return new ListBatchState(jobId, null, 0, 0, 0, false);
    }
}
