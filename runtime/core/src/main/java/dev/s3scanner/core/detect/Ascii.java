package dev.s3scanner.core.detect;

/**
 * Byte classes shared by the detectors. Detectors match ASCII shapes only: a byte of 0x80 or more
 * (part of a UTF-8 sequence, a Latin-1 or CP1252 letter, or a non-ASCII UTF-16 unit) is never a
 * letter or digit here, so it is always a token boundary.
 */
final class Ascii {
    static final byte DIGIT = 1;
    static final byte UPPER = 2;
    static final byte LOWER = 4;
    static final byte UNDERSCORE = 8;
    /** Characters of a base64 (standard alphabet) run: letters, digits, {@code /} and {@code +}. */
    static final byte B64 = 16;
    /** Characters allowed in the local part of an address as we detect it: {@code [A-Za-z0-9._%+-]}. */
    static final byte LOCAL = 32;

    private static final byte[] CLASS = new byte[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            CLASS[c] = DIGIT | B64 | LOCAL;
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            CLASS[c] = UPPER | B64 | LOCAL;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            CLASS[c] = LOWER | B64 | LOCAL;
        }
        CLASS['_'] = UNDERSCORE | LOCAL;
        CLASS['/'] = B64;
        CLASS['+'] = B64 | LOCAL;
        CLASS['.'] = LOCAL;
        CLASS['%'] = LOCAL;
        CLASS['-'] = LOCAL;
    }

    private Ascii() {
    }

    static boolean isDigit(byte b) {
        return (CLASS[b & 0xff] & DIGIT) != 0;
    }

    static boolean isDigit(byte[] text, int i, int limit) {
        return i >= 0 && i < limit && (CLASS[text[i] & 0xff] & DIGIT) != 0;
    }

    static boolean isUpper(byte b) {
        return (CLASS[b & 0xff] & UPPER) != 0;
    }

    static boolean isLetter(byte b) {
        return (CLASS[b & 0xff] & (UPPER | LOWER)) != 0;
    }

    /** Letter, digit or underscore: the characters that continue a word. */
    static boolean isWord(byte b) {
        return (CLASS[b & 0xff] & (DIGIT | UPPER | LOWER | UNDERSCORE)) != 0;
    }

    static boolean isAlnum(byte b) {
        return (CLASS[b & 0xff] & (DIGIT | UPPER | LOWER)) != 0;
    }

    static boolean isBase64(byte b) {
        return (CLASS[b & 0xff] & B64) != 0;
    }

    static boolean isLocal(byte b) {
        return (CLASS[b & 0xff] & LOCAL) != 0;
    }

    static int lower(byte b) {
        int c = b & 0xff;
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    /**
     * Whether a keyword (lower case ASCII) occurs entirely within {@code [lo, hi)} of {@code text}
     * (clamped to {@code [0, limit)}), compared without regard to ASCII case, as a whole word: the
     * bytes just before and after it are not letters. Digits and underscores may touch it, so
     * {@code aws_secret_key} holds {@code secret} and {@code ssn1} holds {@code ssn}.
     */
    static boolean hasWord(byte[] text, int lo, int hi, int limit, String keyword) {
        int k = keyword.length();
        int first = keyword.charAt(0);
        int end = Math.min(hi, limit);
        for (int i = Math.max(0, lo); i + k <= end; i++) {
            if (lower(text[i]) != first) {
                continue;
            }
            int j = 1;
            while (j < k && lower(text[i + j]) == keyword.charAt(j)) {
                j++;
            }
            if (j == k && (i == 0 || !isLetter(text[i - 1])) && (i + k >= limit || !isLetter(text[i + k]))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a keyword (lower case ASCII) occurs anywhere in {@code [lo, hi)}, ignoring ASCII case. */
    static boolean contains(byte[] text, int lo, int hi, String keyword) {
        int k = keyword.length();
        int first = keyword.charAt(0);
        for (int i = Math.max(0, lo); i + k <= hi; i++) {
            if (lower(text[i]) != first) {
                continue;
            }
            int j = 1;
            while (j < k && lower(text[i + j]) == keyword.charAt(j)) {
                j++;
            }
            if (j == k) {
                return true;
            }
        }
        return false;
    }

    static String latin1(byte[] text, int start, int end) {
        return new String(text, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether a number may start at {@code s}: the byte before it is not a letter, digit,
     * underscore, {@code @} or {@code +}, nor a {@code .} or {@code -} that follows a letter or digit
     * (a decimal fraction such as {@code 0.4111…}, or one part of a longer dashed token such as a UUID).
     */
    static boolean numberStartOk(byte[] text, int s) {
        if (s == 0) {
            return true;
        }
        byte p = text[s - 1];
        if (isWord(p) || p == '@' || p == '+') {
            return false;
        }
        if ((p == '.' || p == '-') && s >= 2 && isAlnum(text[s - 2])) {
            return false;
        }
        return true;
    }

    /**
     * Whether a number may end at {@code e} (exclusive): the byte after it is not a letter, digit,
     * underscore or {@code @}, nor a {@code .} followed by a digit (a decimal) or a {@code -}
     * followed by a letter or digit (a longer dashed token such as {@code 219-48-3306-77}).
     */
    static boolean numberEndOk(byte[] text, int e, int limit) {
        if (e >= limit) {
            return true;
        }
        byte n = text[e];
        if (isWord(n) || n == '@') {
            return false;
        }
        if (e + 1 < limit) {
            if (n == '.' && isDigit(text[e + 1])) {
                return false;
            }
            if (n == '-' && isAlnum(text[e + 1])) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first byte at or after {@code i} that is not a letter, digit or underscore. */
    static int wordEnd(byte[] text, int i, int limit) {
        while (i < limit && (CLASS[text[i] & 0xff] & (DIGIT | UPPER | LOWER | UNDERSCORE)) != 0) {
            i++;
        }
        return i;
    }

    /** Index one past the run of digits starting at {@code s}. */
    static int digitRunEnd(byte[] text, int s, int limit) {
        int e = s;
        while (e < limit && isDigit(text[e])) {
            e++;
        }
        return e;
    }

    /** The value of {@code n} digits starting at {@code s}; the caller has checked they are digits. */
    static int number(byte[] text, int s, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            v = v * 10 + (text[s + i] - '0');
        }
        return v;
    }
}
