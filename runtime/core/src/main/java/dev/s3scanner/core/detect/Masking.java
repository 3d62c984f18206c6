package dev.s3scanner.core.detect;

/** Masks sensitive values so that only a few identifying characters remain. */
public final class Masking {
    private Masking() {
    }

    /**
     * Replaces every digit except the last {@code keep} digits with {@code *}, keeping separators.
     * {@code "4111 1111 1111 1111"} with keep 4 gives {@code "**** **** **** 1111"}.
     */
    public static String keepLastDigits(String value, int keep) {
        int digits = 0;
        for (int i = 0; i < value.length(); i++) {
            if (isAsciiDigit(value.charAt(i))) {
                digits++;
            }
        }
        StringBuilder out = new StringBuilder(value.length());
        int seen = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isAsciiDigit(c)) {
                seen++;
                out.append(seen > digits - keep ? c : '*');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Keeps the first {@code head} and last {@code tail} characters and stars the rest. */
    public static String keepEnds(String value, int head, int tail) {
        if (value.length() <= head + tail) {
            return "*".repeat(value.length());
        }
        return value.substring(0, head) + "*".repeat(value.length() - head - tail)
                + value.substring(value.length() - tail);
    }

    /** {@code "jane.doe@example.com"} gives {@code "j*******@example.com"}; a one-character local part is starred. */
    public static String email(String value) {
        int at = value.lastIndexOf('@');
        if (at <= 0) {
            return "*".repeat(value.length());
        }
        if (at == 1) {
            return "*" + value.substring(at);
        }
        return value.charAt(0) + "*".repeat(at - 1) + value.substring(at);
    }

    /**
     * A custom detector's value: every character starred except the last quarter, at most four
     * ({@code "EMP-123456"} gives {@code "********56"}); values under four characters are all stars.
     */
    public static String custom(String value) {
        int n = value.codePointCount(0, value.length());
        int keep = Math.min(4, n / 4);
        int cut = value.offsetByCodePoints(0, n - keep);
        return "*".repeat(n - keep) + value.substring(cut);
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
