package dev.s3scanner.bench;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The approach S3 Scanner replaces, reimplemented for comparison: the object decoded to a String,
 * then one {@code java.util.regex} pass per detector with the seed's patterns, and a Luhn check on
 * card candidates. It counts matches; it does not validate, mask or build context.
 */
public final class SeedScanner {
    private static final Pattern SSN = Pattern.compile("\\b\\d{3}-\\d{2}-\\d{4}\\b");
    private static final Pattern CARD = Pattern.compile("\\b(?:\\d[ -]*?){13,16}\\b");
    private static final Pattern AWS_KEY_ID = Pattern.compile("AKIA[0-9A-Z]{16}");
    private static final Pattern AWS_SECRET = Pattern.compile("aws_secret_access_key\\s*=\\s*['\"]?([A-Za-z0-9/+=]{40})['\"]?");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern PHONE = Pattern.compile("\\(?\\d{3}\\)?[ -]?\\d{3}[ -]?\\d{4}");

    /** Matches of all six patterns in one object (cards only when Luhn-valid). */
    public long scan(byte[] object) {
        String text = new String(object, StandardCharsets.UTF_8);
        long n = count(SSN, text) + count(AWS_KEY_ID, text) + count(AWS_SECRET, text) + count(EMAIL, text) + count(PHONE, text);
        Matcher m = CARD.matcher(text);
        while (m.find()) {
            if (luhn(m.group().replaceAll("[^0-9]", ""))) {
                n++;
            }
        }
        return n;
    }

    /**
     * One seed match.
     *
     * @param detector which pattern
     * @param offset   character offset in the decoded text
     * @param value    the matched text (raw: callers must mask it before storing it anywhere)
     */
    public record SeedMatch(String detector, int offset, String value) {
    }

    /** Every match of the six patterns, as the seed's worker stored them (one row each). */
    public java.util.List<SeedMatch> matches(byte[] object) {
        String text = new String(object, StandardCharsets.UTF_8);
        java.util.List<SeedMatch> out = new java.util.ArrayList<>();
        add(out, "us_ssn", SSN, text);
        add(out, "aws_access_key_id", AWS_KEY_ID, text);
        add(out, "aws_secret_access_key", AWS_SECRET, text);
        add(out, "email", EMAIL, text);
        add(out, "us_phone", PHONE, text);
        Matcher m = CARD.matcher(text);
        while (m.find()) {
            if (luhn(m.group().replaceAll("[^0-9]", ""))) {
                out.add(new SeedMatch("credit_card", m.start(), m.group()));
            }
        }
        return out;
    }

    private static void add(java.util.List<SeedMatch> out, String detector, Pattern p, String text) {
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(new SeedMatch(detector, m.start(), m.group()));
        }
    }

    private static long count(Pattern p, String text) {
        Matcher m = p.matcher(text);
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (dbl) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }
}
