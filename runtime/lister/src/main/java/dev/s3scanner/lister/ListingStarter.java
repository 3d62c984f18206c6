package dev.s3scanner.lister;

import dev.s3scanner.core.store.Job;

/**
 * Starts listing a job that already exists in status {@code listing}: the Step Functions
 * listing state machine in AWS ({@link StepFunctionsListingStarter}), the local runner's listing
 * loop on one machine. Implementations are idempotent: starting a job twice (a client retrying
 * {@code POST /scan} with the same {@code Idempotency-Key}) lists it once.
 */
public interface ListingStarter {
    /**
     * Starts listing {@code job}, or does nothing when it was already started.
     *
     * @param job the job, as stored
     * @throws ListingStartException when it cannot be started now (the service is unreachable or
     *                               throttling); the caller may retry
     */
    void startListing(Job job);

    /** Listing could not be started now; retrying later may succeed. */
    final class ListingStartException extends RuntimeException {
        /**
         * @param message what failed, without secrets
         * @param cause   the underlying error
         */
        public ListingStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
