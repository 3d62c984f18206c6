package dev.s3scanner.lister;

import dev.s3scanner.core.listing.ListingClassifier;
import dev.s3scanner.core.store.ListedObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.OptionalObjectAttributes;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads ListObjectsV2 pages (at most 1,000 keys each) from a continuation token, through the
 * SDK's paginator. The end of the listing is {@code IsTruncated=false}, never a short or empty
 * page; tokens are passed through untouched.
 */
public final class ObjectListing {
    private final S3Client s3;
    private final boolean requestRestoreStatus;
    private final int maxKeys;

    /**
     * @param s3                   shared S3 client
     * @param requestRestoreStatus whether to ask for {@code RestoreStatus} (so restored archive
     *                             copies are scanned); S3-compatible servers may not support it
     * @param maxKeys              keys per page, 1–1000 (S3 returns at most 1,000)
     */
    public ObjectListing(S3Client s3, boolean requestRestoreStatus, int maxKeys) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.requestRestoreStatus = requestRestoreStatus;
        if (maxKeys < 1 || maxKeys > 1000) {
            throw new IllegalArgumentException("maxKeys must be between 1 and 1000, was " + maxKeys);
        }
        this.maxKeys = maxKeys;
    }

    /**
     * One page as listed.
     *
     * @param token     the token it was listed with ({@code null} for the first page)
     * @param nextToken the next page's token, {@code null} when this is the last
     * @param objects   the page's objects, classified
     */
    public record Page(String token, String nextToken, List<ListedObject> objects) {
        /** Whether more pages follow. */
        public boolean truncated() {
            return nextToken != null;
        }
    }

    /**
     * Lists up to {@code maxPages} pages starting at {@code token}, handing each to {@code consumer}
     * before reading the next.
     *
     * @return the token to continue from, or {@code null} when the listing is complete
     */
    public String listPages(String bucket, String prefix, String token, int maxPages, Consumer<Page> consumer) {
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
                .bucket(bucket)
                .maxKeys(maxKeys)
                .continuationToken(token);
        if (!prefix.isEmpty()) {
            request.prefix(prefix);
        }
        if (requestRestoreStatus) {
            request.optionalObjectAttributes(OptionalObjectAttributes.RESTORE_STATUS);
        }
        Iterator<ListObjectsV2Response> pages = s3.listObjectsV2Paginator(request.build()).iterator();
        String current = token;
        for (int n = 0; n < maxPages && pages.hasNext(); n++) {
            ListObjectsV2Response response = pages.next();
            String next = Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null;
            if (Boolean.TRUE.equals(response.isTruncated()) && next == null) {
                throw new IllegalStateException("ListObjectsV2 said IsTruncated but gave no NextContinuationToken");
            }
            List<ListedObject> objects = new ArrayList<>(response.contents().size());
            for (S3Object o : response.contents()) {
                objects.add(ListingClassifier.classify(o.key(), o.eTag(), o.size() == null ? 0 : o.size(), null,
                        o.storageClassAsString(), o.lastModified(),
                        o.restoreStatus() == null ? null : o.restoreStatus().isRestoreInProgress(),
                        o.restoreStatus() == null ? null : o.restoreStatus().restoreExpiryDate()));
            }
            consumer.accept(new Page(current, next, objects));
            current = next;
            if (next == null) {
                return null;
            }
        }
        return current;
    }
}
