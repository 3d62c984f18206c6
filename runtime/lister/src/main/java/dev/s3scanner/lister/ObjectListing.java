package dev.s3scanner.lister;

import dev.s3scanner.core.listing.ListingClassifier;
import dev.s3scanner.core.store.ListedObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.OptionalObjectAttributes;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads ListObjectsV2 pages (at most 1,000 keys each) from a continuation token, one call per
 * page (the caller decides which token to continue from; see {@link ListBatch}). The end of the
 * listing is {@code IsTruncated=false}, never a short or empty page; tokens are passed through
 * untouched.
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
     * Lists one page: one ListObjectsV2 call from {@code token}.
     *
     * @param bucket the bucket
     * @param prefix the key prefix, {@code ""} for all (sent as given, never encoded or decoded)
     * @param token  the continuation token, {@code null} for the first page (sent verbatim)
     * @return the page; its {@code nextToken} is {@code null} exactly when S3 said {@code IsTruncated=false}
     * @throws IllegalStateException when S3 says {@code IsTruncated=true} without a {@code NextContinuationToken}
     * @throws software.amazon.awssdk.core.exception.SdkException when the call fails after the SDK's retries
     */
    public Page listPage(String bucket, String prefix, String token) {
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
        ListObjectsV2Response response = s3.listObjectsV2(request.build());
        boolean truncated = Boolean.TRUE.equals(response.isTruncated());
        String next = truncated ? response.nextContinuationToken() : null;
        if (truncated && next == null) {
            throw new IllegalStateException("ListObjectsV2 said IsTruncated but gave no NextContinuationToken");
        }
        List<ListedObject> objects = new ArrayList<>(response.contents().size());
        for (S3Object o : response.contents()) {
            objects.add(ListingClassifier.classify(o.key(), o.eTag(), o.size() == null ? 0 : o.size(), null,
                    o.storageClassAsString(), o.lastModified(),
                    o.restoreStatus() == null ? null : o.restoreStatus().isRestoreInProgress(),
                    o.restoreStatus() == null ? null : o.restoreStatus().restoreExpiryDate()));
        }
        return new Page(token, next, objects);
    }

    /**
     * Lists up to {@code maxPages} pages starting at {@code token}, handing each to {@code consumer}
     * before reading the next.
     *
     * @return the token to continue from, or {@code null} when the listing is complete
     */
    public String listPages(String bucket, String prefix, String token, int maxPages, Consumer<Page> consumer) {
        String current = token;
        for (int n = 0; n < maxPages; n++) {
            Page page = listPage(bucket, prefix, current);
            consumer.accept(page);
            current = page.nextToken();
            if (current == null) {
                return null;
            }
        }
        return current;
    }
}
