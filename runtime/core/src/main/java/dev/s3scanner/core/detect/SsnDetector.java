package dev.s3scanner.core.detect;

import java.util.List;
import java.util.function.Consumer;

/**
 * US Social Security numbers.
 *
 * <p>Shapes: {@code AAA-GG-SSSS} anywhere; {@code AAA GG SSSS} and a bare 9-digit {@code AAAGGSSSS}
 * only with a keyword ({@link #KEYWORDS}, whole word, any case) ending at most
 * {@value #KEYWORD_DISTANCE} bytes before the number, because order ids, ZIP+4 codes and row ids
 * have those shapes too. The number must not touch a letter, digit, underscore or {@code @}, nor
 * continue a longer dashed token ({@code 219-48-3306-77}) or a decimal.
 *
 * <p>Validity follows the Social Security Administration's rules
 * (<a href="https://www.ssa.gov/employer/randomization.html">SSN randomization</a>,
 * <a href="https://www.ssa.gov/history/ssn/misused.html">misused numbers</a>): area 000, 666 and
 * 900–999, group 00 and serial 0000 are never issued, and numbers published in advertising
 * ({@code 078-05-1120}, {@code 219-09-9999}, {@code 457-55-5462}) and the placeholder
 * {@code 123-45-6789} are not reported.
 *
 * <p>The masked value keeps the last four digits: {@code ***-**-3306}.
 */
public final class SsnDetector implements Detector {
    /** Keywords that make an unformatted or space-separated number a candidate. */
    public static final List<String> KEYWORDS = List.of("ssn", "ssns", "ss#", "social security", "social sec",
            "soc sec", "socsec");
    /** Bytes between the end of a keyword and the start of an unformatted number. */
    public static final int KEYWORD_DISTANCE = 40;
    private static final BuiltInScan SCAN = new BuiltInScan(BuiltInScan.SSN);

    @Override
    public String id() {
        return DetectorId.US_SSN;
    }

    @Override
    public void find(byte[] text, int length, int from, int to, Consumer<Match> sink) {
        SCAN.find(text, length, from, to, sink);
    }

    /**
     * The end of an SSN starting at {@code s}, where the digit run {@code [s, runEnd)} starts and the
     * caller has checked the left boundary; {@code -1} when there is none.
     */
    static int matchAt(byte[] t, int limit, int s, int runEnd) {
        int r = runEnd - s;
        if (r == 3) {
            if (s + 11 > limit) {
                return -1;
            }
            byte sep = t[s + 3];
            if ((sep != '-' && sep != ' ') || t[s + 6] != sep
                    || !Ascii.isDigit(t[s + 4]) || !Ascii.isDigit(t[s + 5])
                    || !Ascii.isDigit(t[s + 7]) || !Ascii.isDigit(t[s + 8])
                    || !Ascii.isDigit(t[s + 9]) || !Ascii.isDigit(t[s + 10])
                    || Ascii.isDigit(t, s + 11, limit)) {
                return -1;
            }
            int end = s + 11;
            if (!Ascii.numberEndOk(t, end, limit) || (end + 1 < limit && t[end] == sep && Ascii.isDigit(t[end + 1]))) {
                return -1;
            }
            if (!valid(Ascii.number(t, s, 3), Ascii.number(t, s + 4, 2), Ascii.number(t, s + 7, 4))) {
                return -1;
            }
            if (sep == ' ' && (!keywordBefore(t, s, limit) || (s >= 2 && t[s - 1] == ' ' && Ascii.isDigit(t[s - 2])))) {
                return -1;
            }
            return end;
        }
        if (r == 9) {
            if (!Ascii.numberEndOk(t, runEnd, limit)
                    || !valid(Ascii.number(t, s, 3), Ascii.number(t, s + 3, 2), Ascii.number(t, s + 5, 4))
                    || !keywordBefore(t, s, limit)) {
                return -1;
            }
            return runEnd;
        }
        return -1;
    }

    /** SSA validity of area, group and serial numbers, and not an advertised number. */
    static boolean valid(int area, int group, int serial) {
        if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) {
            return false;
        }
        int n = area * 1_000_000 + group * 10_000 + serial;
        // numbers published in advertising, and the placeholder 123-45-6789
        return n != 78051120 && n != 219099999 && n != 457555462 && n != 123456789;
    }

    private static boolean keywordBefore(byte[] t, int s, int limit) {
        for (String k : KEYWORDS) {
            if (Ascii.hasWord(t, s - KEYWORD_DISTANCE - k.length(), s, limit, k)) {
                return true;
            }
        }
        return false;
    }

    static String mask(byte[] t, int start, int end) {
        return Masking.keepLastDigits(Ascii.latin1(t, start, end), 4);
    }
}
