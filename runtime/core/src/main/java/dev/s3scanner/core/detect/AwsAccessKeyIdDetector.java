package dev.s3scanner.core.detect;

import java.util.function.Consumer;

/**
 * AWS access key ids: a four-character prefix that AWS documents for credentials, followed by 16
 * upper-case letters or digits, 20 characters in all, not inside a longer run of letters, digits or
 * underscores (a {@code /} may follow, as in a SigV4 {@code Credential=AKIA…/20240101/…} scope).
 *
 * <p>Prefixes, from the IAM User Guide,
 * <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids">unique
 * identifiers</a>: {@code AKIA} (access key), {@code ASIA} (temporary access key from AWS STS),
 * {@code ABIA} (AWS STS service bearer token) and {@code ACCA} (context-specific credential), plus
 * the legacy {@code A3T} followed by any letter or digit. Ids of users, roles and policies
 * ({@code AIDA}, {@code AROA}, {@code ANPA} …) are not credentials and are not reported.
 *
 * <p>The masked value keeps the prefix and the last four characters: {@code AKIA************MPLE}.
 */
public final class AwsAccessKeyIdDetector implements Detector {
    /** Length of an access key id. */
    static final int LENGTH = 20;
    private static final BuiltInScan SCAN = new BuiltInScan(BuiltInScan.KEY_ID);

    @Override
    public String id() {
        return DetectorId.AWS_ACCESS_KEY_ID;
    }

    @Override
    public void find(byte[] text, int length, int from, int to, Consumer<Match> sink) {
        SCAN.find(text, length, from, to, sink);
    }

    /** Whether an access key id starts at {@code p} (where {@code t[p] == 'A'}), boundaries included. */
    static boolean matchAt(byte[] t, int limit, int p) {
        if (p + LENGTH > limit || (p > 0 && Ascii.isWord(t[p - 1]))) {
            return false;
        }
        byte b1 = t[p + 1];
        byte b2 = t[p + 2];
        byte b3 = t[p + 3];
        boolean prefix = (b1 == 'K' && b2 == 'I' && b3 == 'A')
                || (b1 == 'S' && b2 == 'I' && b3 == 'A')
                || (b1 == 'B' && b2 == 'I' && b3 == 'A')
                || (b1 == 'C' && b2 == 'C' && b3 == 'A')
                || (b1 == '3' && b2 == 'T' && (Ascii.isUpper(b3) || Ascii.isDigit(b3)));
        if (!prefix) {
            return false;
        }
        for (int i = p + 4; i < p + LENGTH; i++) {
            byte b = t[i];
            if (!Ascii.isUpper(b) && !Ascii.isDigit(b)) {
                return false;
            }
        }
        return p + LENGTH == limit || !Ascii.isWord(t[p + LENGTH]);
    }

    static String mask(byte[] t, int start, int end) {
        return Masking.keepEnds(Ascii.latin1(t, start, end), 4, 4);
    }
}
