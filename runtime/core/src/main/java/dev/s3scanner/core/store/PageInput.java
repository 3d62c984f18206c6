package dev.s3scanner.core.store;

import java.util.List;
import java.util.Objects;

/**
 * One listed page to record.
 *
 * @param pageToken the token the page was listed with, {@code ""} for the first page (any string
 *                  that identifies the page within the job, e.g. an inventory file part)
 * @param nextToken the token for the next page, or {@code null} when this is the last
 * @param objects   the page's objects (at most a few thousand)
 */
public record PageInput(String pageToken, String nextToken, List<ListedObject> objects) {
    public PageInput {
        Objects.requireNonNull(pageToken, "pageToken");
        objects = List.copyOf(objects);
    }
}
