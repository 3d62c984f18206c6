package dev.s3scanner.core.detect;

import java.util.List;
import java.util.function.Consumer;

/**
 * US phone numbers in the North American Numbering Plan.
 *
 * <p>Shapes, each with an optional country code before it: {@code +1} followed by a space, dash,
 * dot or nothing, or {@code 1} followed by a dash or dot (or a space before a parenthesis):
 * <ul>
 *   <li>{@code NPA-NXX-XXXX} with dashes, dots or spaces ({@code 212-555-0147}, {@code 212.555.0147},
 *       {@code 212 555 0147}; a dot is not mixed with another separator);</li>
 *   <li>{@code (NPA) NXX-XXXX} and {@code (NPA)NXX-XXXX} (dash, dot or space before the last four);</li>
 *   <li>E.164 {@code +1NPANXXXXXX};</li>
 *   <li>a bare 10-digit {@code NPANXXXXXX} only with a keyword ({@link #KEYWORDS}) ending at most
 *       {@value #KEYWORD_DISTANCE} bytes before it, since ids and epoch seconds have that shape.</li>
 * </ul>
 * The number must not touch a letter, digit, underscore or {@code @}, nor continue a decimal or
 * a dashed token (so no window is taken from a card number, a UUID or an epoch timestamp).
 *
 * <p>Codes follow NANPA's rules (<a href="https://www.nationalnanpa.com/number_resource_info/">NANP
 * number resources</a>): the area code (NPA) and the central office code (NXX) start with 2–9 and
 * are not N11 service codes; area codes with 9 as the middle digit are reserved for expansion.
 * The 555-01XX numbers reserved for fiction are still reported: they are what test data uses.
 *
 * <p>The masked value keeps the punctuation and the last four digits: {@code (***) ***-0147}.
 */
public final class UsPhoneDetector implements Detector {
    /** Keywords that make a bare 10-digit number a candidate. */
    public static final List<String> KEYWORDS = List.of("phone", "tel", "telephone", "mobile", "cell", "fax", "call");
    /** Bytes between the end of a keyword and the start of a bare number. */
    public static final int KEYWORD_DISTANCE = 30;
    private static final BuiltInScan SCAN = new BuiltInScan(BuiltInScan.PHONE);

    @Override
    public String id() {
        return DetectorId.US_PHONE;
    }

    @Override
    public void find(byte[] text, int length, int from, int to, Consumer<Match> sink) {
        SCAN.find(text, length, from, to, sink);
    }

    /**
     * A phone number around the digit run {@code [s, runEnd)}, packed as {@code start << 32 | end},
     * or {@code -1}. {@code leftOk} tells whether a number may start at {@code s}.
     */
    static long matchAt(byte[] t, int limit, int s, int runEnd, boolean leftOk) {
        int r = runEnd - s;
        if (r == 3) {
            if (s >= 1 && t[s - 1] == '(') {
                int start = s - 1;
                if (start == 0 || !Ascii.isWord(t[start - 1]) && t[start - 1] != '+') {
                    int end = parenForm(t, limit, s);
                    if (end > 0) {
                        return pack(start, end);
                    }
                }
            }
            if (leftOk) {
                int end = plainForm(t, limit, s, false);
                if (end > 0) {
                    return pack(s, end);
                }
            }
            return -1;
        }
        if (r == 1 && t[s] == '1') {
            boolean plus = s >= 1 && t[s - 1] == '+';
            int start = plus ? s - 1 : s;
            if (plus ? start > 0 && (Ascii.isWord(t[start - 1]) || t[start - 1] == '@') : !leftOk) {
                return -1;
            }
            int i = runEnd;
            byte sep = i < limit ? t[i] : 0;
            if (sep == ' ' || sep == '-' || sep == '.') {
                i++;
            }
            if (i + 1 < limit && t[i] == '(' && Ascii.isDigit(t[i + 1])) {
                int end = Ascii.digitRunEnd(t, i + 1, limit) == i + 4 ? parenForm(t, limit, i + 1) : -1;
                return end > 0 ? pack(start, end) : -1;
            }
            // without a plus, "1 212 555 0147" reads as a list of numbers: take the 1 only before a dash or dot
            if (i < limit && Ascii.isDigit(t[i]) && i > runEnd && (plus || sep != ' ')) {
                int e = Ascii.digitRunEnd(t, i, limit);
                if (e - i == 3) {
                    int end = plainForm(t, limit, i, true);
                    return end > 0 ? pack(start, end) : -1;
                }
                if (e - i == 10 && plus && Ascii.numberEndOk(t, e, limit) && codesValid(t, i, i + 3)) {
                    return pack(start, e);
                }
            }
            return -1;
        }
        if (r == 11 && t[s] == '1' && s >= 1 && t[s - 1] == '+') {
            int start = s - 1;
            if ((start > 0 && (Ascii.isWord(t[start - 1]) || t[start - 1] == '@'))
                    || !Ascii.numberEndOk(t, runEnd, limit) || !codesValid(t, s + 1, s + 4)) {
                return -1;
            }
            return pack(start, runEnd);
        }
        if (r == 10 && leftOk && Ascii.numberEndOk(t, runEnd, limit) && codesValid(t, s, s + 3)
                && keywordBefore(t, s, limit)) {
            return pack(s, runEnd);
        }
        return -1;
    }

    /** {@code NXX-XXXX} after {@code (NPA)} whose digits start at {@code s}; the end or -1. */
    private static int parenForm(byte[] t, int limit, int s) {
        if (s + 3 >= limit || t[s + 3] != ')') {
            return -1;
        }
        int i = s + 4;
        if (i < limit && t[i] == ' ') {
            i++;
        }
        if (!Ascii.isDigit(t, i, limit) || Ascii.digitRunEnd(t, i, limit) != i + 3 || i + 8 > limit) {
            return -1;
        }
        byte sep = t[i + 3];
        if (sep != '-' && sep != '.' && sep != ' ') {
            return -1;
        }
        int end = lastFour(t, limit, i + 4, sep);
        return end > 0 && codesValid(t, s, i) ? end : -1;
    }

    /** {@code NPA-NXX-XXXX} whose first digit is at {@code s}; the end or -1. */
    private static int plainForm(byte[] t, int limit, int s, boolean afterCountryCode) {
        if (s + 12 > limit) {
            return -1;
        }
        byte sep1 = t[s + 3];
        if (sep1 != '-' && sep1 != '.' && sep1 != ' ') {
            return -1;
        }
        if (sep1 == ' ' && !afterCountryCode && s >= 2 && t[s - 1] == ' ' && Ascii.isDigit(t[s - 2])) {
            return -1; // the tail of a longer space-grouped number ("21 259 903 5696")
        }
        if (Ascii.digitRunEnd(t, s + 4, limit) != s + 7) {
            return -1;
        }
        byte sep2 = t[s + 7];
        if (sep2 != '-' && sep2 != '.' && sep2 != ' ') {
            return -1;
        }
        if ((sep1 == '.') != (sep2 == '.')) {
            return -1;
        }
        int end = lastFour(t, limit, s + 8, sep2);
        return end > 0 && codesValid(t, s, s + 4) ? end : -1;
    }

    /** Exactly four digits at {@code i}, then a valid end; the end or -1. */
    private static int lastFour(byte[] t, int limit, int i, byte sep) {
        if (Ascii.digitRunEnd(t, i, limit) != i + 4) {
            return -1;
        }
        int end = i + 4;
        if (!Ascii.numberEndOk(t, end, limit)) {
            return -1;
        }
        if (end + 1 < limit && t[end] == sep && Ascii.isDigit(t[end + 1])) {
            return -1; // a longer grouped number
        }
        return end;
    }

    /** NANP rules for the area code at {@code npa} and the central office code at {@code nxx}. */
    static boolean codesValid(byte[] t, int npa, int nxx) {
        int a0 = t[npa] - '0';
        int a1 = t[npa + 1] - '0';
        int a2 = t[npa + 2] - '0';
        if (a0 < 2 || a1 == 9 || (a1 == 1 && a2 == 1)) {
            return false;
        }
        int x0 = t[nxx] - '0';
        int x1 = t[nxx + 1] - '0';
        int x2 = t[nxx + 2] - '0';
        return x0 >= 2 && !(x1 == 1 && x2 == 1);
    }

    private static boolean keywordBefore(byte[] t, int s, int limit) {
        for (String k : KEYWORDS) {
            if (Ascii.hasWord(t, s - KEYWORD_DISTANCE - k.length(), s, limit, k)) {
                return true;
            }
        }
        return false;
    }

    private static long pack(int start, int end) {
        return ((long) start << 32) | end;
    }

    static String mask(byte[] t, int start, int end) {
        return Masking.keepLastDigits(Ascii.latin1(t, start, end), 4);
    }
}
