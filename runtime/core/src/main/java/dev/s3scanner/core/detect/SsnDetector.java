package dev.s3scanner.core.detect;

import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * US Social Security numbers.
 *
 * <p>Formatted {@code AAA-GG-SSSS} values anywhere, and bare 9-digit values only next to a keyword
 * ({@code SSN}, {@code social security}). Validity follows the Social Security Administration's
 * rules (<a href="https://www.ssa.gov/employer/randomization.html">SSN randomization</a>,
 * <a href="https://www.ssa.gov/history/ssn/misused.html">misused numbers</a>): area 000, 666 and
 * 900–999, group 00 and serial 0000 are never issued, and advertised sample numbers are ignored.
 */
public final class SsnDetector implements Detector {
    private static final Pattern FORMATTED = Pattern.compile("(?<![A-Za-z0-9_.\\-])(\\d{3})-(\\d{2})-(\\d{4})(?![A-Za-z0-9_]|-\\d|\\.\\d)");
    private static final Pattern BARE = Pattern.compile("(?<![A-Za-z0-9_.\\-])(\\d{3})(\\d{2})(\\d{4})(?![A-Za-z0-9_]|[.\\-]\\d)");
    private static final Pattern KEYWORD = Pattern.compile("(?i)\\b(ssn|ssns|social\\s+security(\\s+(number|no|#))?|soc\\.?\\s*sec)\\b");
    private static final int KEYWORD_DISTANCE = 40;
    /** Numbers published in advertising or otherwise known to be invalid (SSA, "misused numbers"). */
    private static final Set<String> ADVERTISED = Set.of("078051120", "219099999", "457555462", "123456789");

    @Override
    public String id() {
        return DetectorId.US_SSN;
    }

    @Override
    public void find(String text, int from, int to, Consumer<Match> sink) {
        Matcher m = FORMATTED.matcher(text).region(from, text.length());
        m.useTransparentBounds(true).useAnchoringBounds(false);
        while (m.find() && m.start() < to) {
            if (valid(m.group(1), m.group(2), m.group(3))) {
                sink.accept(new Match(id(), m.start(), m.end(), Masking.keepLastDigits(m.group(), 4)));
            }
        }
        Matcher b = BARE.matcher(text).region(from, text.length());
        b.useTransparentBounds(true).useAnchoringBounds(false);
        while (b.find() && b.start() < to) {
            if (valid(b.group(1), b.group(2), b.group(3)) && keywordBefore(text, b.start())) {
                sink.accept(new Match(id(), b.start(), b.end(), Masking.keepLastDigits(b.group(), 4)));
            }
        }
    }

    static boolean valid(String area, String group, String serial) {
        int a = Integer.parseInt(area);
        if (a == 0 || a == 666 || a >= 900) {
            return false;
        }
        if (group.equals("00") || serial.equals("0000")) {
            return false;
        }
        return !ADVERTISED.contains(area + group + serial);
    }

    private static boolean keywordBefore(String text, int start) {
        int lineStart = Math.max(0, start - KEYWORD_DISTANCE);
        return KEYWORD.matcher(text).region(lineStart, start).find();
    }
}
