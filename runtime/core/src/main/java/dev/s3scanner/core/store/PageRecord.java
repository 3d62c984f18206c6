package dev.s3scanner.core.store;

/**
 * The result of recording one listed page.
 *
 * @param recordedNow whether this call inserted the page's rows (false: a replay of a page already recorded)
 * @param enqueued    whether the page's scan tasks were already all sent (only possible on a replay)
 * @param nextToken   the continuation token after this page as first recorded, or {@code null} for the last page
 */
public record PageRecord(boolean recordedNow, boolean enqueued, String nextToken) {
}
