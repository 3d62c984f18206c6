package dev.s3scanner.core.detect;

import java.util.function.Consumer;

/**
 * Finds one kind of sensitive value in text.
 *
 * <p>The text is a window over the object's bytes in which each byte is one character
 * (ISO-8859-1 view), so a character index is a byte offset. Detectors match ASCII shapes only; any
 * byte of 0x80 or more is a token boundary. Implementations are stateless and thread-safe.
 */
public interface Detector {

    /** The id stored in {@code findings.detector}. */
    String id();

    /**
     * Reports every valid value that starts in {@code [from, to)} of {@code text}. Characters before
     * {@code from} and after {@code to} are context for boundary and keyword checks only.
     *
     * @param text the window
     * @param from first start index to report
     * @param to   one past the last start index to report
     * @param sink receives each match
     */
    void find(String text, int from, int to, Consumer<Match> sink);
}
