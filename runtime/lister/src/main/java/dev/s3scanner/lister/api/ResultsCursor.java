package dev.s3scanner.lister.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The opaque cursor of {@code GET /results}: base64url (no padding) of
 * {@code version (1 byte) | last finding id (8 bytes) | filter hash (8 bytes) | HMAC-SHA256 (16 bytes)}.
 * The HMAC, under a key only the API holds, makes a cursor that was altered or made up detectable;
 * the filter hash ties it to the filters it was issued for ({@code job_id}, {@code bucket},
 * {@code key}, {@code detector}; not {@code limit}, which may change from page to page).
 *
 * <p>The cursor is a keyset position ("after finding id N"), so it stays valid and stable while new
 * findings are inserted: pages never repeat or skip a finding that existed when the previous page
 * was read, and findings inserted later appear on later pages in id order.
 */
public final class ResultsCursor {
    private static final byte VERSION = 1;
    private static final int LENGTH = 1 + 8 + 8 + 16;
    private static final int MAX_TEXT = 64;

    private final Supplier<byte[]> key;

    /**
     * @param key the HMAC key, at least 32 bytes; read when a cursor is first made or checked
     */
    public ResultsCursor(Supplier<byte[]> key) {
        this.key = key;
    }

    /** The filters a cursor is bound to ({@code null} = not filtered on). */
    public record Filters(UUID jobId, String bucket, String key, String detector) {
        long hash() {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                for (String part : new String[] {jobId == null ? null : jobId.toString(), bucket, key, detector}) {
                    if (part == null) {
                        sha.update((byte) 0);
                    } else {
                        sha.update((byte) 1);
                        byte[] b = part.getBytes(StandardCharsets.UTF_8);
                        sha.update(ByteBuffer.allocate(4).putInt(b.length).array());
                        sha.update(b);
                    }
                }
                return ByteBuffer.wrap(sha.digest()).getLong();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SHA-256 is not available", e);
            }
        }
    }

    /** The cursor for "after finding {@code lastFindingId}" under {@code filters}. */
    public String encode(long lastFindingId, Filters filters) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(VERSION).putLong(lastFindingId).putLong(filters.hash());
        b.put(mac(Arrays.copyOf(b.array(), 17)), 0, 16);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /**
     * The finding id a cursor points after.
     *
     * @throws ApiException ({@link ErrorCode#INVALID_CURSOR}) when the cursor is malformed, altered,
     *                      from another deployment, or issued for other filters
     */
    public long decode(String cursor, Filters filters) {
        byte[] raw;
        try {
            raw = cursor.length() > MAX_TEXT ? null : Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            raw = null;
        }
        if (raw == null || raw.length != LENGTH || raw[0] != VERSION) {
            throw new ApiException(ErrorCode.INVALID_CURSOR,
                    "the cursor is not one this API issued; use next_cursor from a previous page as it was returned");
        }
        byte[] expected = Arrays.copyOf(mac(Arrays.copyOf(raw, 17)), 16);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, 17, LENGTH))) {
            throw new ApiException(ErrorCode.INVALID_CURSOR,
                    "the cursor has been altered or was issued by another deployment");
        }
        ByteBuffer b = ByteBuffer.wrap(raw, 1, 16);
        long after = b.getLong();
        long filterHash = b.getLong();
        if (filterHash != filters.hash()) {
            throw new ApiException(ErrorCode.INVALID_CURSOR, "the cursor was issued for other filters (job_id, bucket, "
                    + "key, detector); repeat the query with the filters it was issued for, or start without a cursor");
        }
        if (after < 0) {
            throw new ApiException(ErrorCode.INVALID_CURSOR, "the cursor is not one this API issued");
        }
        return after;
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.get(), "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
