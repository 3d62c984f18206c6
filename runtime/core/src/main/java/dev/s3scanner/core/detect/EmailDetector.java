package dev.s3scanner.core.detect;

import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Email addresses in the common dot-atom form of RFC 5321/5322.
 *
 * <p>The local part is 1–64 characters of {@code [A-Za-z0-9._%+-]}, neither starting nor ending
 * with a dot and with no two dots in a row (leading dots, dashes and plus signs before it are not
 * taken as part of it). The domain is at least two labels of {@code [A-Za-z0-9-]} (1–63 characters,
 * no leading or trailing dash), at most 253 characters, ending in a top-level domain of 2–24
 * letters or an {@code xn--} label. Quoted local parts and address literals ({@code [192.0.2.1]})
 * are not detected.
 *
 * <p>Shapes that are not addresses are rejected: a "domain" ending in a file extension
 * ({@code icon@2x.png}, {@code logo@3x.webp}), version pins ({@code lodash@4.17.21}, no
 * alphabetic TLD), single-label hosts ({@code root@localhost}), and matches touching a letter,
 * digit or {@code @} on the right, and the user information of a URL ({@code https://user:password@host},
 * a credential rather than a mailbox).
 *
 * <p>The masked value keeps the first character of the local part and the domain:
 * {@code j*******@example.com}.
 */
public final class EmailDetector implements Detector {
    /**
     * Top-level "domains" that are file extensions, so {@code name@2x.png} is a file name. Country
     * codes that are also extensions ({@code .md}, {@code .py}, {@code .rs}) are left out: they are
     * real mail domains.
     */
    static final Set<String> FILE_EXTENSIONS = Set.of(
            "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "ico", "tif", "tiff", "heic",
            "css", "scss", "less", "js", "mjs", "cjs", "jsx", "tsx", "ts", "map", "json", "yaml", "yml",
            "txt", "md", "html", "htm", "xml", "pdf", "zip", "gz", "tgz", "tar", "bz2", "xz", "jar", "war",
            "mp4", "mp3", "wav", "ogg", "webm", "mov", "woff", "woff2", "ttf", "otf", "eot",
            "java", "class", "rb", "kt", "lock", "log", "csv", "tsv", "ini", "cfg", "conf");
    private static final BuiltInScan SCAN = new BuiltInScan(BuiltInScan.EMAIL);

    @Override
    public String id() {
        return DetectorId.EMAIL;
    }

    @Override
    public void find(byte[] text, int length, int from, int to, Consumer<Match> sink) {
        SCAN.find(text, length, from, to, sink);
    }

    /** An address around the {@code @} at {@code at}, packed as {@code start << 32 | end}, or -1. */
    static long matchAt(byte[] t, int limit, int at) {
        // local part: up to 64 local characters before '@', not preceded by another one
        int s = at;
        while (s > 0 && at - s <= 64 && Ascii.isLocal(t[s - 1])) {
            s--;
        }
        if (at - s > 64) {
            return -1;
        }
        while (s < at && (t[s] == '.' || t[s] == '-' || t[s] == '+')) {
            s++;
        }
        if (s == at || t[at - 1] == '.') {
            return -1;
        }
        for (int i = s + 1; i < at; i++) {
            if (t[i] == '.' && t[i - 1] == '.') {
                return -1;
            }
        }
        if (s > 0 && t[s - 1] == '@') {
            return -1;
        }
        if (urlUserInfo(t, s)) {
            return -1;
        }
        // domain: labels separated by single dots
        int i = at + 1;
        int labels = 0;
        int lastLabel = -1;
        int end;
        while (true) {
            int ls = i;
            while (i < limit && (Ascii.isAlnum(t[i]) || t[i] == '-')) {
                i++;
            }
            int len = i - ls;
            if (len == 0 || len > 63 || t[ls] == '-' || t[i - 1] == '-') {
                return -1;
            }
            labels++;
            lastLabel = ls;
            if (i + 1 < limit && t[i] == '.' && Ascii.isAlnum(t[i + 1])) {
                i++;
                continue;
            }
            end = i;
            break;
        }
        if (labels < 2 || end - at - 1 > 253) {
            return -1;
        }
        if (end < limit && (t[end] == '_' || t[end] == '@')) {
            return -1;
        }
        if (!tldValid(t, lastLabel, end)) {
            return -1;
        }
        return ((long) s << 32) | end;
    }

    /**
     * Whether the text before {@code s} makes the local part a URL's user information
     * ({@code https://user@host}, {@code https://user:password@host}): a user name or password, not a mailbox.
     */
    private static boolean urlUserInfo(byte[] t, int s) {
        if (s >= 2 && t[s - 1] == '/' && t[s - 2] == '/') {
            return true;
        }
        if (s < 1 || t[s - 1] != ':') {
            return false;
        }
        // user:password@ - look back over the user name for "://"
        for (int i = s - 2, n = 0; i >= 2 && n < 128; i--, n++) {
            byte b = t[i];
            if (b == '/' && t[i - 1] == '/' && t[i - 2] == ':') {
                return true;
            }
            if (b <= ' ' || b == '"' || b == '\'' || b == '<' || b == '>') {
                return false;
            }
        }
        return false;
    }

    private static boolean tldValid(byte[] t, int s, int e) {
        int len = e - s;
        if (len >= 5 && (t[s] | 0x20) == 'x' && (t[s + 1] | 0x20) == 'n' && t[s + 2] == '-' && t[s + 3] == '-') {
            return true;
        }
        if (len < 2 || len > 24) {
            return false;
        }
        for (int i = s; i < e; i++) {
            if (!Ascii.isLetter(t[i])) {
                return false;
            }
        }
        return !isFileExtension(t, s, e);
    }

    /** {@link #FILE_EXTENSIONS}, each packed by {@link #pack} (all are at most 7 letters), sorted. */
    private static final long[] PACKED_EXTENSIONS = FILE_EXTENSIONS.stream()
            .mapToLong(x -> pack(x.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, x.length())).sorted().toArray();

    static {
        for (String x : FILE_EXTENSIONS) {
            if (x.length() > 7 || !x.equals(x.toLowerCase(Locale.ROOT))) {
                throw new ExceptionInInitializerError("file extension longer than 7 characters or not lower case: " + x);
            }
        }
    }

    /** Whether the letters {@code [s, e)} are one of {@link #FILE_EXTENSIONS}, ignoring ASCII case; no allocation. */
    private static boolean isFileExtension(byte[] t, int s, int e) {
        return e - s <= 7 && java.util.Arrays.binarySearch(PACKED_EXTENSIONS, pack(t, s, e)) >= 0;
    }

    /** Up to 7 bytes, ASCII letters lower-cased, one per byte (the last in the lowest), shifted left by 4 above the length. */
    private static long pack(byte[] t, int s, int e) {
        long v = 0;
        for (int i = s; i < e; i++) {
            v = (v << 8) | Ascii.lower(t[i]);
        }
        return (v << 4) ^ (e - s); // the length keeps "ab" apart from "\0ab"
    }

    static String mask(byte[] t, int start, int end) {
        return Masking.email(Ascii.latin1(t, start, end));
    }
}
