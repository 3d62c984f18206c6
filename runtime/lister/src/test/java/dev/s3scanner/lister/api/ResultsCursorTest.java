package dev.s3scanner.lister.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ResultsCursorTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private static final UUID JOB = UUID.fromString("3f2b8c1e-0d4a-4e7b-9a51-2c6d8e9f0a1b");
    private final ResultsCursor cursors = new ResultsCursor(() -> KEY);
    private final ResultsCursor.Filters filters = new ResultsCursor.Filters(JOB, null, null, "us_ssn");

    @Test
    void aCursorDecodesToTheIdItWasMadeFor() {
        // given
        String cursor = cursors.encode(123_456_789L, filters);

        // when
        long after = cursors.decode(cursor, filters);

        // then
        assertThat(after).isEqualTo(123_456_789L);
        assertThat(cursor).matches("[A-Za-z0-9_-]{44}");
    }

    @Test
    void everyAlteredCharacterIsDetected() {
        // given
        String cursor = cursors.encode(42, filters);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

        // when / then
        for (int i = 0; i < cursor.length(); i++) {
            char[] c = cursor.toCharArray();
            c[i] = alphabet.charAt((alphabet.indexOf(c[i]) + 1) % alphabet.length());
            String altered = new String(c);
            ApiException e = catchThrowableOfType(ApiException.class, () -> cursors.decode(altered, filters));
            assertThat(e).as("altered at " + i).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CURSOR);
        }
    }

    @Test
    void aCursorFromAnotherKeyIsRejected() {
        // given
        byte[] otherKey = Arrays.copyOf(KEY, KEY.length);
        otherKey[0] ^= 1;
        String cursor = new ResultsCursor(() -> otherKey).encode(42, filters);

        // when
        ApiException e = catchThrowableOfType(ApiException.class, () -> cursors.decode(cursor, filters));

        // then
        assertThat(e.getMessage()).isEqualTo("the cursor has been altered or was issued by another deployment");
    }

    @Test
    void aCursorIsBoundToItsFilters() {
        // given
        String cursor = cursors.encode(42, filters);

        // when
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> cursors.decode(cursor, new ResultsCursor.Filters(JOB, null, null, "email")));

        // then
        assertThat(e.getMessage()).isEqualTo("the cursor was issued for other filters (job_id, bucket, key, detector); "
                + "repeat the query with the filters it was issued for, or start without a cursor");
    }

    @Test
    void garbageIsNotACursor() {
        // when
        ApiException notBase64 = catchThrowableOfType(ApiException.class, () -> cursors.decode("%%%", filters));
        ApiException tooShort = catchThrowableOfType(ApiException.class, () -> cursors.decode("AQAA", filters));
        ApiException tooLong = catchThrowableOfType(ApiException.class, () -> cursors.decode("A".repeat(10_000), filters));

        // then
        for (ApiException e : new ApiException[] {notBase64, tooShort, tooLong}) {
            assertThat(e.getMessage()).isEqualTo(
                    "the cursor is not one this API issued; use next_cursor from a previous page as it was returned");
        }
    }
}
