package dev.s3scanner.core.detect;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
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
 * Byte windows are decoded as UTF-8, or as CP1252 where they are not valid UTF-8.
 */
final class Redaction {
    /** Characters of context kept on each side of a value. */
    static final int CONTEXT = 40;
    /** Extra positions looked at on each side of a piece of context when hiding what it may cut. */
    private static final int MARGIN = 64;
    private static final Charset CP1252 = Charset.forName("windows-1252");

    private Redaction() {
    }

    /**
     * The context of {@code m} in a window.
     *
     * @param t     the window bytes (for UTF-16 content, the one-byte-per-unit view)
     * @param chars for UTF-16 content the window's characters, else null
     * @param len   content length of the window, in positions
     * @param spans every match in the window, sorted by start, masked in the context
     */
    static String context(byte[] t, char[] chars, int len, Match m, List<Match> spans) {
        int cs = Math.max(0, m.start() - CONTEXT);
        int ce = Math.min(len, m.end() + CONTEXT);
        if (chars == null) {
            for (int k = 0; k < 3 && cs < m.start() && (t[cs] & 0xC0) == 0x80; k++) {
                cs++;
            }
            for (int k = 0; k < 3 && ce < len && (t[ce] & 0xC0) == 0x80; k++) {
                ce++;
            }
        }
        StringBuilder sb = new StringBuilder(ce - cs + 16);
        int i = cs;
        for (Match o : spans) {
            if (o.end() <= i || o.start() >= ce) {
                continue;
            }
            if (o.start() > i) {
                sb.append(cleanSlice(t, chars, len, i, o.start()));
            }
            if (o.start() >= i && o.end() <= ce) {
                sb.append(o.masked());
            } else {
                sb.append("*".repeat(Math.min(o.end(), ce) - Math.max(o.start(), i)));
            }
            i = Math.max(i, o.end());
        }
        if (i < ce) {
            sb.append(cleanSlice(t, chars, len, i, ce));
        }
        return sb.toString();
    }

    /**
     * The cleaned text of {@code [a, b)}, cleaned together with up to {@value #MARGIN} positions on
     * each side so that a value cut by the edge of the context is still recognised and hidden.
     */
    private static String cleanSlice(byte[] t, char[] chars, int len, int a, int b) {
        int a2 = Math.max(0, a - MARGIN);
        int b2 = Math.min(len, b + MARGIN);
        if (chars == null) {
            while (a2 < a && (t[a2] & 0xC0) == 0x80) {
                a2++;
            }
            while (b2 < len && (t[b2] & 0xC0) == 0x80) {
                b2++;
            }
        }
        String pre = slice(t, chars, a2, a);
        String mid = slice(t, chars, a, b);
        String all = clean(pre + mid + slice(t, chars, b, b2));
        return all.substring(pre.length(), pre.length() + mid.length());
    }

    /** The decoded text of window positions {@code [from, to)}. */
    static String slice(byte[] t, char[] chars, int from, int to) {
        if (chars != null) {
            return new String(chars, from, to - from);
        }
        String s = new String(t, from, to - from, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') >= 0 && !containsReplacementBytes(t, from, to)) {
            return new String(t, from, to - from, CP1252);
        }
        return s;
    }

    private static boolean containsReplacementBytes(byte[] t, int from, int to) {
        for (int i = from; i + 2 < to; i++) {
            if ((t[i] & 0xff) == 0xEF && (t[i + 1] & 0xff) == 0xBF && (t[i + 2] & 0xff) == 0xBD) {
                return true;
            }
        }
        return false;
    }

    /** Hides what may be sensitive in a piece of text that no detector matched. */
    static String clean(String s) {
        char[] a = s.toCharArray();
        int n = a.length;
        for (int i = 0; i < n; i++) {
            char c = a[i];
            if (Character.isISOControl(c)) {
                a[i] = ' ';
            } else if (c == '\uFFFD') {
                a[i] = '?';
            }
        }
        // digit groups holding 9 or more digits
        int i = 0;
        while (i < n) {
            if (!digit(a[i])) {
                i++;
                continue;
            }
            int k = i;
            int digits = 0;
            while (k < n) {
                if (digit(a[k])) {
                    digits++;
                    k++;
                } else if (joiner(a[k]) && k + 1 < n && digit(a[k + 1])) {
                    k++;
                } else if (joiner(a[k]) && k + 2 < n && joiner(a[k + 1]) && digit(a[k + 2])) {
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
            if (!token(a[i])) {
                i++;
                continue;
            }
            int k = i;
            boolean letter = false;
            boolean dig = false;
            while (k < n && token(a[k])) {
                letter |= Character.isLetter(a[k]);
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
            if (a[at] == '@' && at + 1 < n && Character.isLetterOrDigit(a[at + 1])) {
                for (int p = at - 1; p >= 0 && local(a[p]); p--) {
                    a[p] = '*';
                }
            }
        }
        return new String(a);
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
}
