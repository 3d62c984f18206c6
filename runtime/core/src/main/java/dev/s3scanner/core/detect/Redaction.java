package dev.s3scanner.core.detect;

import java.nio.charset.Charset;

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
    static String context(byte[] t, char[] chars, int len, int index, Spans spans) {
        return new Region(t, chars, len, regionStart(spans, index), regionEnd(spans, index, len), spans, index).context(spans, index);
    }

    /** First window position the context of {@code spans}' match {@code k} needs decoded and cleaned. */
    static int regionStart(Spans spans, int k) {
        return Math.max(0, spans.start[k] - CONTEXT - MARGIN);
    }

    /** One past the last window position the context of {@code spans}' match {@code k} needs decoded and cleaned. */
    static int regionEnd(Spans spans, int k, int len) {
        return Math.min(len, spans.end[k] + CONTEXT + MARGIN);
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
        Region(byte[] t, char[] chars, int len, int from, int to, Spans spans, int hint) {
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
                map = new int[we - ws + 1];
                text = decodeUtf8(t, ws, we, map); // well-formed UTF-8 in one pass: what the lines below give for it
                if (text == null) {
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
            }
            this.a = text;
            this.pos = map;
            boolean[] inSpan = new boolean[a.length];
            for (int k = spans.firstOverlapping(hint, ws); k < spans.size && spans.start[k] < we; k++) {
                int f = index(pos, Math.max(spans.start[k], ws) - ws);
                int e = index(pos, Math.min(spans.end[k], we) - ws);
                for (int i = f; i < e; i++) {
                    inSpan[i] = true;
                }
            }
            clean(a, inSpan);
        }

        /** The context of {@code spans.get(index)}, a match inside this region. */
        String context(Spans spans, int index) {
            int mStart = spans.start[index];
            int cs = Math.max(ws, mStart - CONTEXT);
            int ce = Math.min(we, spans.end[index] + CONTEXT);
            if (pos != null) {
                cs = boundary(t, cs, mStart);
                ce = boundary(t, ce, Math.min(len, we));
            }
            // [cs, ce) with spans replaced by their masks (stars where the region's edge cuts one)
            int c0 = index(pos, cs - ws);
            int c1 = index(pos, ce - ws);
            StringBuilder sb = new StringBuilder(c1 - c0 + 8);
            int i = c0;
            for (int k = spans.firstOverlapping(index, cs); k < spans.size && i < c1; k++) {
                int oStart = spans.start[k];
                int oEnd = spans.end[k];
                int so = index(pos, Math.max(oStart, ws) - ws);
                int eo = index(pos, Math.min(oEnd, we) - ws);
                if (so >= c1) {
                    break;
                }
                if (eo <= i) {
                    continue;
                }
                if (so > i) {
                    sb.append(a, i, so - i);
                }
                if (so >= i && eo <= c1 && oStart >= ws && oEnd <= we) {
                    sb.append(spans.masked(k, t));
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
        // what the passes below need, counted on the way: digits, the longest run of token characters, '@'
        int digitCount = 0;
        int run = 0;
        int longestRun = 0;
        boolean at = false;
        for (int i = 0; i < n; i++) {
            if (inSpan[i]) {
                run = 0;
                continue;
            }
            char c = a[i];
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                a[i] = ' ';
                run = 0;
                continue;
            } else if (c == '\uFFFD') {
                a[i] = '?';
                run = 0;
                continue;
            }
            int k = cls(c);
            digitCount += k & C_DIGIT;
            run = (k & C_TOKEN) != 0 ? run + 1 : 0;
            longestRun = Math.max(longestRun, run);
            at |= c == '@';
        }
        // digit groups holding 9 or more digits
        int i = digitCount >= 9 ? 0 : n;
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
        // long tokens with letters and digits (the digit pass turns digits into '#', also a token character)
        i = longestRun >= 20 ? 0 : n;
        while (i < n) {
            if (inSpan[i] || !token(a[i])) {
                i++;
                continue;
            }
            int k = i;
            boolean letter = false;
            boolean dig = false;
            while (k < n && !inSpan[k]) {
                char ch = a[k];
                int c = cls(ch);
                if ((c & C_TOKEN) == 0) {
                    break;
                }
                letter |= (c & C_LETTER) != 0;
                dig |= (c & C_DIGIT) != 0 || ch == '#';
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
        for (int x = at ? 0 : n; x < n; x++) {
            if (!inSpan[x] && a[x] == '@' && x + 1 < n && (asciiLetter(a[x + 1]) || digit(a[x + 1]))) {
                for (int p = x - 1; p >= 0 && !inSpan[p] && local(a[p]); p--) {
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

    /**
     * Decodes {@code [from, to)} when it is well-formed UTF-8 (Unicode 3.9, table 3-7: no overlong
     * forms, surrogates or code points past U+10FFFF, no cut sequence), filling {@code pos} as
     * {@link #utf8Positions} does; null (with {@code pos} partly filled) when it is not.
     */
    private static char[] decodeUtf8(byte[] t, int from, int to, int[] pos) {
        char[] out = new char[to - from];
        int c = 0;
        int i = from;
        while (i < to) {
            int b = t[i];
            if (b >= 0) {
                pos[i - from] = c;
                out[c++] = (char) b;
                i++;
                continue;
            }
            b &= 0xff;
            int n;
            int lo = 0x80;
            int hi = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                n = 2;
            } else if (b >= 0xE0 && b <= 0xEF) {
                n = 3;
                if (b == 0xE0) {
                    lo = 0xA0;
                } else if (b == 0xED) {
                    hi = 0x9F;
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                n = 4;
                if (b == 0xF0) {
                    lo = 0x90;
                } else if (b == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                return null;
            }
            if (i + n > to) {
                return null;
            }
            int b1 = t[i + 1] & 0xff;
            if (b1 < lo || b1 > hi) {
                return null;
            }
            int cp = b & (0xFF >> (n + 1));
            cp = (cp << 6) | (b1 & 0x3F);
            for (int k = 2; k < n; k++) {
                int bk = t[i + k] & 0xff;
                if ((bk & 0xC0) != 0x80) {
                    return null;
                }
                cp = (cp << 6) | (bk & 0x3F);
            }
            for (int k = 0; k < n; k++) {
                pos[i - from + k] = c;
            }
            if (cp >= 0x10000) {
                out[c++] = Character.highSurrogate(cp);
                out[c++] = Character.lowSurrogate(cp);
            } else {
                out[c++] = (char) cp;
            }
            i += n;
        }
        pos[to - from] = c;
        return c == out.length ? out : java.util.Arrays.copyOf(out, c);
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

    private static final byte C_DIGIT = 1;
    private static final byte C_JOINER = 2;
    private static final byte C_TOKEN = 4;
    private static final byte C_LETTER = 8;
    private static final byte C_LOCAL = 16;
    /** Classes of the characters below 128 for {@link #clean}; every other character has none. */
    private static final byte[] CLASS = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            boolean digit = c >= '0' && c <= '9';
            boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            int k = 0;
            k |= digit ? C_DIGIT : 0;
            k |= c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' ? C_JOINER : 0;
            k |= digit || letter || c == '/' || c == '+' || c == '=' || c == '_' || c == '-' || c == '#' ? C_TOKEN : 0;
            k |= letter ? C_LETTER : 0;
            k |= digit || letter || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '#' ? C_LOCAL : 0;
            CLASS[c] = (byte) k;
        }
    }

    private static int cls(char c) {
        return c < 128 ? CLASS[c] : 0;
    }

    private static boolean asciiLetter(char c) {
        return (cls(c) & C_LETTER) != 0;
    }

    private static boolean joiner(char c) {
        return (cls(c) & C_JOINER) != 0;
    }

    private static boolean digit(char c) {
        return (cls(c) & C_DIGIT) != 0;
    }

    private static boolean token(char c) {
        return (cls(c) & C_TOKEN) != 0;
    }

    private static boolean local(char c) {
        return (cls(c) & C_LOCAL) != 0;
    }

    /**
     * The matches of a window, as the context builder sees them, sorted by start: built-in ones
     * (a {@link BuiltInScan} kind, masked only when shown) and others (kind 0, id and mask given).
     */
    static final class Spans {
        int size;
        int[] kind;
        int[] start;
        int[] end;
        /** Per match: the detector id of a match that is not built-in, else null. */
        String[] detector;
        /** Per match: its masked value, once made. */
        String[] masked;
        /** Whether no two matches overlap (so ends increase with starts). */
        boolean disjoint;

        /** The built-in matches of a window, resolved (sorted by start, no overlaps); the arrays are shared. */
        static Spans of(BuiltInScan.Found found) {
            Spans s = new Spans();
            s.size = found.size;
            s.kind = found.kind;
            s.start = found.start;
            s.end = found.end;
            s.masked = new String[found.size];
            boolean disjoint = true;
            for (int k = 1; k < s.size && disjoint; k++) {
                disjoint = s.start[k] >= s.end[k - 1];
            }
            s.disjoint = disjoint;
            return s;
        }

        /** Built-in matches (resolved) and others, sorted by start; built-in first at equal starts. */
        static Spans of(BuiltInScan.Found found, java.util.List<Match> extra) {
            int n = found.size + extra.size();
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                int st = i < found.size ? found.start[i] : extra.get(i - found.size).start();
                keys[i] = ((long) st << 32) | i; // stable: the index breaks ties
            }
            java.util.Arrays.sort(keys);
            Spans s = new Spans();
            s.size = n;
            s.kind = new int[n];
            s.start = new int[n];
            s.end = new int[n];
            s.detector = new String[n];
            s.masked = new String[n];
            for (int k = 0; k < n; k++) {
                int i = (int) keys[k];
                if (i < found.size) {
                    s.kind[k] = found.kind[i];
                    s.start[k] = found.start[i];
                    s.end[k] = found.end[i];
                } else {
                    Match m = extra.get(i - found.size);
                    s.start[k] = m.start();
                    s.end[k] = m.end();
                    s.detector[k] = m.detector();
                    s.masked[k] = m.masked();
                }
            }
            boolean disjoint = true;
            for (int k = 1; k < n && disjoint; k++) {
                disjoint = s.start[k] >= s.end[k - 1];
            }
            s.disjoint = disjoint;
            return s;
        }

        String detector(int k) {
            return detector == null || detector[k] == null ? BuiltInScan.id(kind[k]) : detector[k];
        }

        String masked(int k, byte[] t) {
            String m = masked[k];
            if (m == null) {
                m = BuiltInScan.mask(kind[k], t, start[k], end[k]);
                masked[k] = m;
            }
            return m;
        }

        /**
         * Index of the first match ending after {@code position} among those from the first one
         * starting within 1,024 positions before it up to {@code hint} (matches are short).
         */
        int firstOverlapping(int hint, int position) {
            // the matches before hint that start after position - 1024 are a suffix of [0, hint)
            int lo = 0;
            int hi = hint;
            long bound = (long) position - 1024;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (start[mid] > bound) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            int k = lo;
            if (disjoint) { // ends increase too: search
                hi = hint;
                while (k < hi) {
                    int mid = (k + hi) >>> 1;
                    if (end[mid] <= position) {
                        k = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                return k;
            }
            while (k < hint && end[k] <= position) {
                k++;
            }
            return k;
        }
    }
}
