package dev.s3scanner.core.detect;

import java.util.List;
import java.util.function.Consumer;

/**
 * AWS secret access keys.
 *
 * <p>A secret access key is 40 characters of the base64 alphabet {@code [A-Za-z0-9/+]}
 * (<a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html">IAM
 * access keys</a>). A candidate is a run of exactly 40 such characters: not followed by {@code =}
 * (base64 padding of a longer blob), not joined by {@code -}, {@code _} or {@code .} to another
 * such run (URL-safe tokens, JWT segments), with upper- and lower-case letters and at least one
 * digit, {@code /} or {@code +} (so identifiers and hex digests are not candidates). It is reported
 * only with evidence nearby:
 * <ul>
 *   <li>a keyword ({@link #KEYWORDS}, any case, may touch digits or underscores, as in
 *       {@code aws_secret_access_key} or {@code SecretAccessKey}) ending at most
 *       {@value #KEYWORD_DISTANCE} bytes before it, or</li>
 *   <li>an AWS access key id ({@link AwsAccessKeyIdDetector}) within {@value #PAIR_DISTANCE} bytes
 *       before or after it.</li>
 * </ul>
 *
 * <p>Runs are found by probing every 40th byte and widening only around probes that land in the
 * alphabet (eight bytes at a time), so text with no long tokens costs about one check per 40 bytes.
 *
 * <p>The masked value keeps the last four characters.
 */
public final class AwsSecretAccessKeyDetector implements Detector {
    /** Keywords that make a candidate a secret key. */
    public static final List<String> KEYWORDS = List.of("secret", "aws_key", "awskey", "aws-key");
    /** Bytes between the end of a keyword and the start of the key. */
    public static final int KEYWORD_DISTANCE = 100;
    /** Bytes between an access key id and the key, either side. */
    public static final int PAIR_DISTANCE = 256;
    /** Length of a secret access key. */
    static final int LENGTH = 40;
    private static final BuiltInScan SCAN = new BuiltInScan(BuiltInScan.SECRET);

    @Override
    public String id() {
        return DetectorId.AWS_SECRET_ACCESS_KEY;
    }

    @Override
    public void find(byte[] text, int length, int from, int to, Consumer<Match> sink) {
        SCAN.find(text, length, from, to, sink);
    }

    /** Reports every key starting in {@code [from, to)}. */
    static void scan(byte[] t, int limit, int from, int to, BuiltInScan.Emitter out) {
        int p = from + LENGTH - 1;
        int last = to + LENGTH - 1; // a run starting before 'to' holds a probe before this
        while (p < last && p < limit) {
            if (!Ascii.isBase64(t[p])) {
                p += LENGTH;
                continue;
            }
            int s = BuiltInScan.base64RunStart(t, p);
            int e = BuiltInScan.base64RunEnd(t, p + 1, limit);
            if (e - s == LENGTH && s >= from && s < to && candidate(t, limit, s, e) && evidence(t, limit, s, e)) {
                out.emit(BuiltInScan.SECRET, s, e);
            }
            p = e + LENGTH;
        }
    }

    private static boolean candidate(byte[] t, int limit, int s, int e) {
        if (e < limit) {
            byte n = t[e];
            if (n == '=') {
                return false;
            }
            if ((n == '-' || n == '_' || n == '.') && e + 1 < limit && Ascii.isBase64(t[e + 1])) {
                return false;
            }
        }
        if (s >= 2) {
            byte b = t[s - 1];
            if ((b == '-' || b == '_' || b == '.') && Ascii.isBase64(t[s - 2])) {
                return false;
            }
        }
        boolean upper = false;
        boolean lower = false;
        boolean other = false;
        for (int i = s; i < e; i++) {
            byte c = t[i];
            if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c >= 'a' && c <= 'z') {
                lower = true;
            } else {
                other = true;
            }
        }
        return upper && lower && other;
    }

    private static boolean evidence(byte[] t, int limit, int s, int e) {
        for (String k : KEYWORDS) {
            if (Ascii.contains(t, s - KEYWORD_DISTANCE - k.length(), s, k)) {
                return true;
            }
        }
        int lo = Math.max(0, s - PAIR_DISTANCE - AwsAccessKeyIdDetector.LENGTH);
        int hi = Math.min(limit, e + PAIR_DISTANCE + AwsAccessKeyIdDetector.LENGTH);
        for (int i = lo; i < hi; i++) {
            if (t[i] == 'A' && AwsAccessKeyIdDetector.matchAt(t, limit, i)) {
                return true;
            }
        }
        return false;
    }

    static String mask(byte[] t, int start, int end) {
        return Masking.keepEnds(Ascii.latin1(t, start, end), 0, 4);
    }
}
