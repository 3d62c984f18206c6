package dev.s3scanner.core.detect;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The runtime form of an {@link AllowList}. */
final class AllowFilter {
    private final Set<String> values = new HashSet<>();
    private final Set<String> numbers = new HashSet<>();
    private final List<Pattern> patterns = new ArrayList<>();

    AllowFilter(AllowList list) {
        for (String v : list.values()) {
            values.add(v.toLowerCase(Locale.ROOT));
            String digits = digitsOnly(v);
            if (digits != null) {
                numbers.add(digits);
            }
        }
        for (int i = 0; i < list.patterns().size(); i++) {
            patterns.add(UserRegex.compile("allow_list.patterns[" + i + "]", list.patterns().get(i), 0));
        }
    }

    /** Whether {@code value}, found by {@code detector}, is allowed (not to be reported). */
    boolean allows(String detector, String value) {
        if (values.contains(value.toLowerCase(Locale.ROOT))) {
            return true;
        }
        if (!numbers.isEmpty() && (detector.equals(DetectorId.CREDIT_CARD) || detector.equals(DetectorId.US_SSN)
                || detector.equals(DetectorId.US_PHONE))) {
            String digits = digitsOnly(value);
            if (digits != null && numbers.contains(digits)) {
                return true;
            }
        }
        for (Pattern p : patterns) {
            if (p.matches(value)) {
                return true;
            }
        }
        return false;
    }

    /** The digits of a value made only of digits and {@code " -.()+"}; null otherwise. */
    private static String digitsOnly(String v) {
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.append(c);
            } else if (" -.()+".indexOf(c) < 0) {
                return null;
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}
