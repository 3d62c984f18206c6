package dev.s3scanner.core.detect;

import java.util.function.Consumer;

/**
 * Payment card numbers (primary account numbers).
 *
 * <p>A candidate is 13–19 digits, either as one run or in groups separated by one kind of
 * separator (space or dash): groups of four with a last group of one to four digits
 * ({@code 4111 1111 1111 1111}, {@code 6011-0009-9013-9424-123}), or American Express's 4-6-5 and
 * Diners Club's 4-6-4 layouts. It must not touch a letter, digit, underscore or {@code @}, nor
 * continue a decimal ({@code 0.4111…}) or a dashed token. It is reported when
 * <ul>
 *   <li>it passes the Luhn mod-10 check (ISO/IEC 7812-1, Annex B), and</li>
 *   <li>its issuer identification number and length match a known scheme: Visa (4; 13, 16 or 19
 *       digits), Mastercard (51–55 and the 2-series 2221–2720; 16), American Express (34, 37; 15),
 *       Discover (6011, 644–649, 65, 622126–622925; 16–19), Diners Club International (300–305,
 *       3095, 36, 38, 39; 14–19), JCB (3528–3589; 16–19), UnionPay (62; 16–19), Maestro (5018,
 *       5020, 5038, 5893, 6304, 6759, 6761–6763; 13–19), Mir (2200–2204; 16–19), RuPay (60, 65,
 *       81, 82, 508; 16) and Verve (506099–506198, 650002–650027; 16, 18, 19).</li>
 * </ul>
 * Ranges from the schemes' published IIN tables as collected in ISO/IEC 7812 registrations
 * (Mastercard's 2-series: Mastercard announcement, 2016).
 *
 * <p>The masked value keeps the separators and the last four digits: {@code **** **** **** 1111}.
 */
public final class CreditCardDetector implements Detector {
    private static final BuiltInScan SCAN = new BuiltInScan(BuiltInScan.CARD);

    @Override
    public String id() {
        return DetectorId.CREDIT_CARD;
    }

    @Override
    public void find(byte[] text, int length, int from, int to, Consumer<Match> sink) {
        SCAN.find(text, length, from, to, sink);
    }

    /**
     * The end of a card number starting at {@code s}, where a digit run {@code [s, runEnd)} starts
     * and the caller has checked the left boundary; {@code -1} when there is none.
     */
    static int matchAt(byte[] t, int limit, int s, int runEnd) {
        int r = runEnd - s;
        if (r >= 13 && r <= 19) {
            if (!Ascii.numberEndOk(t, runEnd, limit)) {
                return -1;
            }
            return valid(t, s, runEnd) ? runEnd : -1;
        }
        if (r != 4 || runEnd >= limit) {
            return -1;
        }
        byte sep = t[runEnd];
        if (sep != ' ' && sep != '-') {
            return -1;
        }
        if (sep == ' ' && s >= 2 && t[s - 1] == ' ' && Ascii.isDigit(t[s - 2])) {
            return -1; // the tail of a longer space-grouped number
        }
        int g1 = 0;
        int g2 = 0;
        int groups = 1;
        int digits = 4;
        boolean foursBeforeLast = true;
        int lastLen = 4;
        int e = runEnd;
        while (e + 1 < limit && t[e] == sep && Ascii.isDigit(t[e + 1])) {
            int ge = Ascii.digitRunEnd(t, e + 1, limit);
            int len = ge - e - 1;
            if (len > 6 || groups == 5 || (groups == 1 && len != 4 && len != 6)) {
                return -1; // a second group of another length could only be the last: under 13 digits
            }
            if (lastLen != 4) {
                foursBeforeLast = false;
            }
            if (groups == 1) {
                g1 = len;
            } else if (groups == 2) {
                g2 = len;
            }
            lastLen = len;
            groups++;
            digits += len;
            e = ge;
        }
        if (digits < 13 || digits > 19) {
            return -1;
        }
        boolean layout = groups == 3 ? g1 == 6 && (g2 == 5 || g2 == 4)
                : groups >= 4 && foursBeforeLast && lastLen >= 1 && lastLen <= 4;
        if (!layout || !Ascii.numberEndOk(t, e, limit)) {
            return -1;
        }
        return valid(t, s, e) ? e : -1;
    }

    /** Luhn and issuer checks over the digits in {@code [s, e)}, skipping separators. */
    private static boolean valid(byte[] t, int s, int e) {
        int[] d = new int[19];
        int n = 0;
        for (int i = s; i < e; i++) {
            byte b = t[i];
            if (b >= '0' && b <= '9') {
                d[n++] = b - '0';
            }
        }
        return issuerMatches(d, n) && luhn(d, n);
    }

    /** Luhn mod-10 check (ISO/IEC 7812-1, Annex B) of {@code n} digits. */
    static boolean luhn(int[] d, int n) {
        int sum = 0;
        boolean dbl = false;
        for (int i = n - 1; i >= 0; i--) {
            int x = d[i];
            if (dbl) {
                x *= 2;
                if (x > 9) {
                    x -= 9;
                }
            }
            sum += x;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    /** Luhn check of a string of digits; for tests and tools. */
    static boolean luhn(String digits) {
        int[] d = new int[digits.length()];
        for (int i = 0; i < d.length; i++) {
            d[i] = digits.charAt(i) - '0';
        }
        return luhn(d, d.length);
    }

    static boolean issuerMatches(int[] d, int len) {
        int p1 = d[0];
        int p2 = p1 * 10 + d[1];
        int p3 = p2 * 10 + d[2];
        int p4 = p3 * 10 + d[3];
        int p6 = p4 * 100 + d[4] * 10 + d[5];
        switch (p1) {
            case 2:
                if (p4 >= 2221 && p4 <= 2720) {
                    return len == 16; // Mastercard 2-series
                }
                return p4 >= 2200 && p4 <= 2204 && len >= 16 && len <= 19; // Mir
            case 3:
                if (p2 == 34 || p2 == 37) {
                    return len == 15; // American Express
                }
                if (p4 >= 3528 && p4 <= 3589) {
                    return len >= 16 && len <= 19; // JCB
                }
                if ((p3 >= 300 && p3 <= 305) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39) {
                    return len >= 14 && len <= 19; // Diners Club International
                }
                return false;
            case 4:
                return len == 13 || len == 16 || len == 19; // Visa
            case 5:
                if (p2 >= 51 && p2 <= 55) {
                    return len == 16; // Mastercard
                }
                if (p6 >= 506099 && p6 <= 506198) {
                    return len == 16 || len == 18 || len == 19; // Verve
                }
                if (p4 == 5018 || p4 == 5020 || p4 == 5038 || p4 == 5893) {
                    return len >= 13 && len <= 19; // Maestro
                }
                return p3 == 508 && len == 16; // RuPay
            case 6:
                if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 || (p6 >= 622126 && p6 <= 622925)) {
                    return len >= 16 && len <= 19; // Discover (65 is shared with RuPay, also 16 digits)
                }
                if (p2 == 62) {
                    return len >= 16 && len <= 19; // UnionPay
                }
                if (p4 == 6304 || p4 == 6759 || (p4 >= 6761 && p4 <= 6763)) {
                    return len >= 13 && len <= 19; // Maestro
                }
                if (p2 == 60) {
                    return len == 16; // RuPay
                }
                return p6 >= 650002 && p6 <= 650027 && (len == 16 || len == 18 || len == 19); // Verve
            case 8:
                return (p2 == 81 || p2 == 82) && len == 16; // RuPay
            default:
                return false;
        }
    }

    static String mask(byte[] t, int start, int end) {
        return Masking.keepLastDigits(Ascii.latin1(t, start, end), 4);
    }
}
