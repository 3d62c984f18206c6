package dev.s3scanner.core.detect;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a {@link CustomDetector} over a window with RE2/J, on the window's bytes as UTF-8 (so match
 * offsets are byte offsets). Keywords are compared as UTF-8 bytes, ignoring ASCII case; the
 * distance is counted in bytes from the end of the keyword to the end of the match, as Macie
 * counts it in characters. Matches longer than {@value #MAX_MATCH} bytes are not reported.
 */
final class RegexDetector implements Detector {
    /** Longest match reported, in bytes: what the window overlap guarantees to see whole. */
    static final int MAX_MATCH = 256;
    private final String name;
    private final Pattern pattern;
    private final byte[][] keywords;
    private final int distance;
    private final List<String> ignoreWords;

    RegexDetector(CustomDetector d) {
        this.name = d.name();
        this.pattern = UserRegex.compile("custom detector '" + d.name() + "' regex", d.regex(), 0);
        this.keywords = new byte[d.keywords().size()][];
        for (int i = 0; i < keywords.length; i++) {
            keywords[i] = d.keywords().get(i).toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        }
        this.distance = d.maximumMatchDistance();
        this.ignoreWords = d.ignoreWords();
    }

    @Override
    public String id() {
        return name;
    }

    @Override
    public void find(byte[] text, int length, int from, int to, Consumer<Match> sink) {
        byte[] input = length == text.length ? text : Arrays.copyOf(text, length);
        Matcher m = pattern.matcher(input);
        if (!m.find(Math.max(0, from - BuiltInScan.RESYNC))) {
            return;
        }
        do {
            int s = m.start();
            int e = m.end();
            if (s >= to) {
                return;
            }
            if (s >= from && e > s && e - s <= MAX_MATCH && keywordNear(input, s, e) && !ignored(input, s, e)) {
                sink.accept(new Match(name, s, e, Masking.custom(new String(input, s, e - s, StandardCharsets.UTF_8))));
            }
        } while (m.find());
    }

    private boolean keywordNear(byte[] t, int s, int e) {
        if (keywords.length == 0) {
            return true;
        }
        for (byte[] k : keywords) {
            // the keyword ends at or before s, and e - keywordEnd <= distance
            int lo = Math.max(0, e - distance - k.length);
            for (int i = lo; i + k.length <= s; i++) {
                int j = 0;
                while (j < k.length && Ascii.lower(t[i + j]) == (k[j] & 0xff)) {
                    j++;
                }
                if (j == k.length) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean ignored(byte[] t, int s, int e) {
        if (ignoreWords.isEmpty()) {
            return false;
        }
        String value = new String(t, s, e - s, StandardCharsets.UTF_8);
        for (String w : ignoreWords) {
            if (value.contains(w)) {
                return true;
            }
        }
        return false;
    }
}
