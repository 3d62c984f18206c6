package dev.s3scanner.core.detect;

import java.nio.charset.Charset;
import java.util.List;

/**
 * Builds a finding's context: the text around the value with every detected value in it replaced
 * by its masked form, and whatever else might be sensitive hidden whichever detectors the job
 * enabled:
 * <ul>
 *   <li>digit groups joined by one or two of {@code " -.()/"} that hold 9 or more digits: each
 *       digit becomes {@code #} (SSN, phone and card shapes, including near misses, and some
 *       timestamps);</li>
 *   <li>runs of 20 or more of {@code [A-Za-z0-9/+=_-]} holding both a letter and a digit: each
 *       character becomes {@code #} (keys, tokens, ids);</li>
 *   <li>the local part before any {@code @} that is followed by a letter or digit: each character
 *       becomes {@code *};</li>
 *   <li>control characters become spaces, undecodable bytes {@code ?}.</li>
 * </ul>
 * These rules look {@value #MARGIN} positions past each edge of the context, so a value the edge
 * cuts is still recognised. Byte windows are decoded as UTF-8, or as CP1252 where they are not
 * valid UTF-8.
 */
final class Redaction {
    /** Characters of context kept on each side of a value. */
    static final int CONTEXT = 40;
    /** Extra positions looked at on each side of the context when hiding what it may cut. */
    private static final int MARGIN = 64;
    private static final Charset CP1252 = Charset.forName("windows-1252");

    private Redaction() {
    }

    /**
     * The context of the match {@code spans.get(index)} in a window, from a region of its own.
     *
     * @param t     the window bytes (for UTF-16 content, the one-byte-per-unit view)
     * @param chars for UTF-16 content the window's characters, else null
     * @param len   content length of the window, in positions
     * @param index the index of the finding's match in {@code spans}
     * @param spans every match in the window, sorted by start; each is shown masked
     */
    static String context(byte[] t, char[] chars, int len, int index, List<Span> spans) {
        Span m = spans.get(index);
        return new Region(t, chars, len, regionStart(m), regionEnd(m, len), spans, index).context(spans, index);
    }

    /** First window position a finding's context needs decoded and cleaned. */
    static int regionStart(Span m) {
        return Math.max(0, m.start() - CONTEXT - MARGIN);
    }

    /** One past the last window position a finding's context needs decoded and cleaned. */
    static int regionEnd(Span m, int len) {
        return Math.min(len, m.end() + CONTEXT + MARGIN);
    }

    /**
     * A stretch of a window decoded and cleaned once, from which the contexts of the findings in it
     * are cut. Findings close together (a CSV row of values) share one region, so the text around
     * them is decoded and cleaned once, not once per finding.
     */
    static final class Region {
        private final byte[] t;
        private final int len;
        private final int ws;
        private final int we;
        private final char[] a;
        private final int[] pos;

        /**
         * @param from  first window position to decode ({@link #regionStart} of the first finding)
         * @param to    one past the last ({@link #regionEnd} of the last finding)
         * @param hint  index in {@code spans} of a match inside the region
         */
        Region(byte[] t, char[] chars, int len, int from, int to, List<Span> spans, int hint) {
            this.t = t;
            this.len = len;
            int ws = from;
            int we = to;
            if (chars == null) {
                ws = boundary(t, ws, len);
                we = boundary(t, we, len);
            }
            this.ws = ws;
            this.we = we;
            // decode [ws, we) into a[], with pos[i] the char index of window position ws + i
            int[] map = null;
            char[] text;
            if (chars != null) {
                text = java.util.Arrays.copyOfRange(chars, ws, we);
            } else if (ascii(t, ws, we)) {
                text = new char[we - ws];
                for (int i = ws; i < we; i++) {
                    text[i - ws] = (char) t[i];
                }
            } else {
                String s = new String(t, ws, we - ws, java.nio.charset.StandardCharsets.UTF_8);
                boolean utf8 = s.indexOf('\uFFFD') < 0 || containsReplacementBytes(t, ws, we);
                map = utf8 ? utf8Positions(t, ws, we) : null;
                if (map != null && map[we - ws] == s.length()) {
                    text = s.toCharArray();
                } else {
                    map = null; // not UTF-8: CP1252, one character per byte
                    text = new String(t, ws, we - ws, CP1252).toCharArray();
                }
            }
            this.a = text;
            this.pos = map;
            boolean[] inSpan = new boolean[a.length];
            for (int k = firstOverlapping(spans, hint, ws); k < spans.size() && spans.get(k).start() < we; k++) {
                Span o = spans.get(k);
                int f = index(pos, Math.max(o.start(), ws) - ws);
                int e = index(pos, Math.min(o.end(), we) - ws);
                for (int i = f; i < e; i++) {
                    inSpan[i] = true;
                }
            }
            clean(a, inSpan);
        }

        /** The context of {@code spans.get(index)}, a match inside this region. */
        String context(List<Span> spans, int index) {
            Span m = spans.get(index);
            int cs = Math.max(ws, m.start() - CONTEXT);
            int ce = Math.min(we, m.end() + CONTEXT);
            if (pos != null) {
                cs = boundary(t, cs, m.start());
                ce = boundary(t, ce, Math.min(len, we));
            }
            // [cs, ce) with spans replaced by their masks (stars where the region's edge cuts one)
            int c0 = index(pos, cs - ws);
            int c1 = index(pos, ce - ws);
            StringBuilder sb = new StringBuilder(c1 - c0 + 8);
            int i = c0;
            for (int k = firstOverlapping(spans, index, cs); k < spans.size() && i < c1; k++) {
                Span o = spans.get(k);
                int so = index(pos, Math.max(o.start(), ws) - ws);
                int eo = index(pos, Math.min(o.end(), we) - ws);
                if (so >= c1) {
                    break;
                }
                if (eo <= i) {
                    continue;
                }
                if (so > i) {
                    sb.append(a, i, so - i);
                }
                if (so >= i && eo <= c1 && o.start() >= ws && o.end() <= we) {
                    sb.append(o.masked(t));
                } else {
                    sb.append("*".repeat(Math.min(eo, c1) - Math.max(so, i)));
                }
                i = Math.max(i, eo);
            }
            if (i < c1) {
                sb.append(a, i, c1 - i);
            }
            return sb.toString();
        }
    }

    /** Index of the first span ending after {@code position}, searching back from {@code hint} (matches are short). */
    private static int firstOverlapping(List<Span> spans, int hint, int position) {
        int k = hint;
        while (k > 0 && spans.get(k - 1).start() + 1024 > position) {
            k--;
        }
        while (k < hint && spans.get(k).end() <= position) {
            k++;
        }
        return k;
    }

    /** The decoded text of window positions {@code [from, to)}, for allow-list checks. */
    static String slice(byte[] t, char[] chars, int from, int to) {
        if (chars != null) {
            return new String(chars, from, to - from);
        }
        String s = new String(t, from, to - from, java.nio.charset.StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') >= 0 && !containsReplacementBytes(t, from, to)) {
            return new String(t, from, to - from, CP1252);
        }
        return s;
    }

    /** Hides, in place, what may be sensitive among the characters not in a span. */
    static void clean(char[] a, boolean[] inSpan) {
        int n = a.length;
        for (int i = 0; i < n; i++) {
            if (inSpan[i]) {
                continue;
            }
            char c = a[i];
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                a[i] = ' ';
            } else if (c == '\uFFFD') {
                a[i] = '?';
            }
        }
        // digit groups holding 9 or more digits
        int i = 0;
        while (i < n) {
            if (inSpan[i] || !digit(a[i])) {
                i++;
                continue;
            }
            int k = i;
            int digits = 0;
            while (k < n && !inSpan[k]) {
                if (digit(a[k])) {
                    digits++;
                    k++;
                } else if (joiner(a[k]) && k + 1 < n && !inSpan[k + 1] && digit(a[k + 1])) {
                    k++;
                } else if (joiner(a[k]) && k + 2 < n && joiner(a[k + 1]) && !inSpan[k + 2] && digit(a[k + 2])) {
                    k += 2;
                } else {
                    break;
                }
            }
            if (digits >= 9) {
                for (int p = i; p < k; p++) {
                    if (digit(a[p])) {
                        a[p] = '#';
                    }
                }
            }
            i = k;
        }
        // long tokens with letters and digits
        i = 0;
        while (i < n) {
            if (inSpan[i] || !token(a[i])) {
                i++;
                continue;
            }
            int k = i;
            boolean letter = false;
            boolean dig = false;
            while (k < n && !inSpan[k] && token(a[k])) {
                letter |= asciiLetter(a[k]);
                dig |= digit(a[k]) || a[k] == '#';
                k++;
            }
            if (k - i >= 20 && letter && dig) {
                for (int p = i; p < k; p++) {
                    a[p] = '#';
                }
            }
            i = k;
        }
        // local parts of addresses
        for (int at = 0; at < n; at++) {
            if (!inSpan[at] && a[at] == '@' && at + 1 < n && (asciiLetter(a[at + 1]) || digit(a[at + 1]))) {
                for (int p = at - 1; p >= 0 && !inSpan[p] && local(a[p]); p--) {
                    a[p] = '*';
                }
            }
        }
    }

    /** Moves {@code i} forward past UTF-8 continuation bytes (at most 3), not beyond {@code limit}. */
    private static int boundary(byte[] t, int i, int limit) {
        for (int k = 0; k < 3 && i < limit && (t[i] & 0xC0) == 0x80; k++) {
            i++;
        }
        return i;
    }

    private static boolean ascii(byte[] t, int from, int to) {
        for (int i = from; i < to; i++) {
            if (t[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** For valid UTF-8 in {@code [from, to)}: the char index of each byte position (and of {@code to}). */
    private static int[] utf8Positions(byte[] t, int from, int to) {
        int[] pos = new int[to - from + 1];
        int c = 0;
        int i = from;
        while (i < to) {
            int b = t[i] & 0xff;
            int n = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
            int units = n == 4 ? 2 : 1;
            for (int k = 0; k < n && i + k < to; k++) {
                pos[i + k - from] = c;
            }
            i += n;
            c += units;
        }
        pos[to - from] = c;
        return pos;
    }

    private static int index(int[] pos, int offset) {
        return pos == null ? offset : pos[Math.min(offset, pos.length - 1)];
    }

    private static boolean containsReplacementBytes(byte[] t, int from, int to) {
        for (int i = from; i + 2 < to; i++) {
            if ((t[i] & 0xff) == 0xEF && (t[i + 1] & 0xff) == 0xBF && (t[i + 2] & 0xff) == 0xBD) {
                return true;
            }
        }
        return false;
    }

    private static boolean asciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean joiner(char c) {
        return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/';
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean token(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                || c == '/' || c == '+' || c == '=' || c == '_' || c == '-' || c == '#';
    }

    private static boolean local(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '#';
    }

    /** A match in a window, as the context builder sees it: its mask is made only when shown. */
    static final class Span {
        private final int kind;
        private final int start;
        private final int end;
        private final String detector;
        private String masked;

        /** A built-in detector's match. */
        Span(int kind, int start, int end) {
            this.kind = kind;
            this.start = start;
            this.end = end;
            this.detector = BuiltInScan.id(kind);
        }

        /** Another detector's match, already masked. */
        Span(Match m) {
            this.kind = 0;
            this.start = m.start();
            this.end = m.end();
            this.detector = m.detector();
            this.masked = m.masked();
        }

        int start() {
            return start;
        }

        int end() {
            return end;
        }

        String detector() {
            return detector;
        }

        String masked(byte[] t) {
            if (masked == null) {
                masked = BuiltInScan.mask(kind, t, start, end);
            }
            return masked;
        }
    }
}
