package dev.s3scanner.core.detect;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Payment card numbers: 13–19 digits, optionally in groups separated by one kind of separator
 * (space or dash), that pass the Luhn check (ISO/IEC 7812-1) and start with a known issuer
 * identification number for their length: Visa, Mastercard (51–55 and 2221–2720), American Express,
 * Discover, Diners Club, JCB, UnionPay and Maestro.
 */
public final class CreditCardDetector implements Detector {
    private static final Pattern CANDIDATE = Pattern.compile(
            "(?<![A-Za-z0-9_.,\\-+])\\d(?:[ \\-]?\\d){12,18}(?![A-Za-z0-9_]|[.,\\-]\\d)");

    @Override
    public String id() {
        return DetectorId.CREDIT_CARD;
    }

    @Override
    public void find(String text, int from, int to, Consumer<Match> sink) {
        Matcher m = CANDIDATE.matcher(text).region(from, text.length());
        m.useTransparentBounds(true).useAnchoringBounds(false);
        while (m.find() && m.start() < to) {
            String raw = m.group();
            if (consistentSeparators(raw)) {
                String digits = raw.replace(" ", "").replace("-", "");
                if (issuerMatches(digits) && luhn(digits)) {
                    sink.accept(new Match(id(), m.start(), m.end(), Masking.keepLastDigits(raw, 4)));
                }
            }
        }
    }

    private static boolean consistentSeparators(String raw) {
        char sep = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == ' ' || c == '-') {
                if (sep == 0) {
                    sep = c;
                } else if (sep != c) {
                    return false;
                }
                if (i + 1 < raw.length() && !Character.isDigit(raw.charAt(i + 1))) {
                    return false;
                }
            }
        }
        if (sep == 0) {
            return true;
        }
        // groups of 4 (the common layout), or Amex's 4-6-5, or 4-6-4 (Diners)
        String[] groups = raw.split(sep == ' ' ? " " : "-");
        if (groups.length == 3) {
            return groups[0].length() == 4 && groups[1].length() == 6 && (groups[2].length() == 5 || groups[2].length() == 4);
        }
        for (int i = 0; i < groups.length - 1; i++) {
            if (groups[i].length() != 4) {
                return false;
            }
        }
        int last = groups[groups.length - 1].length();
        return last >= 1 && last <= 4;
    }

    /** Luhn mod-10 check (ISO/IEC 7812-1 Annex B). */
    static boolean luhn(String digits) {
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    static boolean issuerMatches(String d) {
        int len = d.length();
        int p1 = d.charAt(0) - '0';
        int p2 = Integer.parseInt(d.substring(0, 2));
        int p3 = Integer.parseInt(d.substring(0, 3));
        int p4 = Integer.parseInt(d.substring(0, 4));
        int p6 = Integer.parseInt(d.substring(0, 6));
        if (p1 == 4) {
            return len == 13 || len == 16 || len == 19; // Visa
        }
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
            return len == 16; // Mastercard
        }
        if (p2 == 34 || p2 == 37) {
            return len == 15; // American Express
        }
        if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 || (p6 >= 622126 && p6 <= 622925)) {
            return len >= 16 && len <= 19; // Discover
        }
        if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39 || p4 == 3095) {
            return len >= 14 && len <= 19; // Diners Club
        }
        if (p4 >= 3528 && p4 <= 3589) {
            return len >= 16 && len <= 19; // JCB
        }
        if (p2 == 62) {
            return len >= 16 && len <= 19; // UnionPay
        }
        if (p4 == 5018 || p4 == 5020 || p4 == 5038 || p4 == 5893 || p4 == 6304 || p4 == 6759
                || p4 == 6761 || p4 == 6762 || p4 == 6763) {
            return len >= 12 && len <= 19; // Maestro
        }
        return false;
    }
}
