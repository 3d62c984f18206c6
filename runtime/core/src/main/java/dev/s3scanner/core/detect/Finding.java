package dev.s3scanner.core.detect;

import java.util.Objects;

/**
 * One sensitive value found in an object. Holds no raw value: only its masked form and a redacted
 * window of the text around it.
 *
 * @param detector    detector id, one of {@link DetectorId}'s values or a custom detector's name
 * @param byteOffset  offset in bytes of the first byte of the match, counted from the start of the
 *                    decoded entry (the object itself, or the archive member named by {@code entryPath});
 *                    for UTF-16 content it is the offset in the original bytes
 * @param entryPath   path of the member inside an archive ({@code "a.zip!/dir/b.csv"} style, without the
 *                    object key), or {@code ""} when the value is in the object itself
 * @param maskedValue the value with all but a few identifying characters replaced by {@code *}
 * @param context     up to 40 characters on each side of the value, with this and every other detected
 *                    value masked; whatever else may be sensitive is hidden whichever detectors ran
 *                    (digit groups of 9 or more digits and long letter-and-digit tokens become {@code #},
 *                    the local parts of addresses {@code *}), control characters become spaces
 */
public record Finding(String detector, long byteOffset, String entryPath, String maskedValue, String context) {
    public Finding {
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(entryPath, "entryPath");
        Objects.requireNonNull(maskedValue, "maskedValue");
        Objects.requireNonNull(context, "context");
        if (byteOffset < 0) {
            throw new IllegalArgumentException("byteOffset must be >= 0, was " + byteOffset);
        }
    }
}
