package dev.s3scanner.core.detect;

import java.util.function.Consumer;

/**
 * Finds one kind of sensitive value in a window of text.
 *
 * <p>A window is a byte array in which every byte is one character position: UTF-8, ISO-8859-1 and
 * CP1252 content is passed as is, UTF-16 content one byte per code unit (code units above 0x7F
 * become the byte 0x80). The built-in detectors match ASCII shapes only, so any byte of 0x80 or
 * more is a token boundary for them. A window overlaps its neighbours: {@link ContentScanner} asks
 * each window only for matches that <em>start</em> in {@code [from, to)} and keeps at least 512
 * bytes of the text before {@code from} and after {@code to} (where the object has them) for
 * boundary, keyword and pairing checks, so every value is reported exactly once.
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface Detector {

    /** The id stored in {@code findings.detector}: one of {@link DetectorId}'s values or a custom detector's name. */
    String id();

    /**
     * Reports every valid value that starts in {@code [from, to)} of {@code text}.
     *
     * @param text   the window; only {@code text[0, length)} is content
     * @param length number of content bytes in {@code text}
     * @param from   first start index to report, {@code 0 <= from <= to}
     * @param to     one past the last start index to report, {@code to <= length}
     * @param sink   receives each match, with {@link Match#start()} and {@link Match#end()} as indexes into {@code text}
     */
    void find(byte[] text, int length, int from, int to, Consumer<Match> sink);
}
