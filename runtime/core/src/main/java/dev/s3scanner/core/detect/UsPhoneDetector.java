package dev.s3scanner.core.detect;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * US phone numbers in the North American Numbering Plan, written with separators:
 * {@code (212) 555-0147}, {@code 212-555-0147}, {@code 212.555.0147}, {@code +1 212 555 0147}.
 * Area and exchange codes follow NANPA's rules: first digit 2–9, no N11 service codes, no area
 * code with 9 as its second digit (reserved). Bare 10-digit runs are not reported (too many ids
 * and timestamps look like them).
 */
public final class UsPhoneDetector implements Detector {
    private static final Pattern PATTERN = Pattern.compile(
            "(?<![A-Za-z0-9_.+\\-])(?:(?:\\+1|1)[ .\\-]?)?(?:\\(([2-9]\\d{2})\\) ?|([2-9]\\d{2})([ .\\-]))([2-9]\\d{2})[ .\\-](\\d{4})(?![A-Za-z0-9_]|[.\\-]\\d)");

    @Override
    public String id() {
        return DetectorId.US_PHONE;
    }

    @Override
    public void find(String text, int from, int to, Consumer<Match> sink) {
        Matcher m = PATTERN.matcher(text).region(from, text.length());
        m.useTransparentBounds(true).useAnchoringBounds(false);
        while (m.find() && m.start() < to) {
            String area = m.group(1) != null ? m.group(1) : m.group(2);
            String exchange = m.group(4);
            if (area.charAt(1) == '9' || isN11(area) || isN11(exchange)) {
                continue;
            }
            sink.accept(new Match(id(), m.start(), m.end(), Masking.keepLastDigits(m.group(), 4)));
        }
    }

    private static boolean isN11(String code) {
        return code.charAt(1) == '1' && code.charAt(2) == '1';
    }
}
