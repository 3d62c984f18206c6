package dev.s3scanner.core.detect;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Checks and compiles regular expressions that come from users (custom detectors and allow-list
 * patterns).
 *
 * <p>The rule, in order:
 * <ol>
 *   <li>1 to {@value #MAX_LENGTH} characters (Amazon Macie's limit for custom data identifiers).</li>
 *   <li>RE2 syntax, compiled by RE2/J ({@code com.google.re2j}): matching takes time linear in the
 *       input, so there is no catastrophic backtracking whatever the pattern. The price is that
 *       look-around ({@code (?=…)}, {@code (?<!…)}) and back-references ({@code \1}) are not
 *       supported; {@code \b} is.</li>
 *   <li>Counted repetitions, multiplied through nested groups, must expand to at most
 *       {@value #MAX_PROGRAM} instructions, checked before compiling (RE2/J itself expands
 *       {@code ((a{1000}){1000}){1000}} until the heap runs out), and the compiled program must
 *       also be at most {@value #MAX_PROGRAM} instructions, which bounds the work per input byte.</li>
 *   <li>The pattern must not match an empty string anywhere in a few probe texts: an empty match
 *       would be a finding at every position.</li>
 * </ol>
 * Every rejection is an {@link IllegalArgumentException} whose message starts with
 * {@code what} (for example {@code custom_detectors[0].regex}) and says which rule failed.
 */
final class UserRegex {
    /** Longest pattern accepted, in characters. */
    static final int MAX_LENGTH = 512;
    /** Largest expanded size and compiled program accepted, in RE2 instructions. */
    static final int MAX_PROGRAM = 5000;
    private static final String[] EMPTY_PROBES = {"", " ", "a b", "1-2", "x@y.z", "\n\n"};

    private UserRegex() {
    }

    /** Compiles {@code regex} under the rule above, with {@code flags} from {@link Pattern}. */
    static Pattern compile(String what, String regex, int flags) {
        if (regex == null || regex.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (regex.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " is " + regex.length() + " characters long; the limit is " + MAX_LENGTH);
        }
        long estimate = expandedSize(regex);
        if (estimate > MAX_PROGRAM) {
            throw new IllegalArgumentException(what + " expands to more than " + MAX_PROGRAM
                    + " instructions (nested counted repetitions); simplify it");
        }
        Pattern p;
        try {
            p = Pattern.compile(regex, flags);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(what + " is not a valid RE2 regular expression ("
                    + e.getMessage() + "); look-around and back-references are not supported", e);
        }
        if (p.programSize() > MAX_PROGRAM) {
            throw new IllegalArgumentException(what + " compiles to " + p.programSize()
                    + " instructions; the limit is " + MAX_PROGRAM);
        }
        for (String probe : EMPTY_PROBES) {
            Matcher m = p.matcher(probe);
            while (m.find()) {
                if (m.start() == m.end()) {
                    throw new IllegalArgumentException(what + " matches an empty string; it must match at least one character");
                }
            }
        }
        return p;
    }

    /**
     * An upper bound on the size of the program {@code regex} compiles to: atoms count one,
     * alternatives add up, a counted repetition multiplies its operand by its largest count.
     * Saturates at {@code Long.MAX_VALUE / 4}.
     */
    static long expandedSize(String regex) {
        final long cap = Long.MAX_VALUE / 4;
        java.util.ArrayDeque<long[]> stack = new java.util.ArrayDeque<>();
        long[] cur = {0, 0}; // committed total, pending atom
        int n = regex.length();
        int i = 0;
        while (i < n) {
            char c = regex.charAt(i);
            switch (c) {
                case '\\': {
                    int j = i + 2;
                    if (i + 1 < n) {
                        char e = regex.charAt(i + 1);
                        if ((e == 'p' || e == 'P' || e == 'x') && j < n && regex.charAt(j) == '{') {
                            int close = regex.indexOf('}', j);
                            j = close < 0 ? n : close + 1;
                        }
                    }
                    cur[0] = sat(cur[0] + cur[1], cap);
                    cur[1] = 1;
                    i = j;
                    break;
                }
                case '[': {
                    int j = i + 1;
                    if (j < n && regex.charAt(j) == '^') {
                        j++;
                    }
                    if (j < n && regex.charAt(j) == ']') {
                        j++;
                    }
                    while (j < n && regex.charAt(j) != ']') {
                        if (regex.charAt(j) == '\\') {
                            j++;
                        } else if (regex.charAt(j) == '[' && j + 1 < n && regex.charAt(j + 1) == ':') {
                            int close = regex.indexOf(":]", j + 2);
                            j = close < 0 ? j : close + 1;
                        }
                        j++;
                    }
                    cur[0] = sat(cur[0] + cur[1], cap);
                    cur[1] = 1;
                    i = j + 1;
                    break;
                }
                case '(':
                    stack.push(cur);
                    cur = new long[] {0, 0};
                    i++;
                    break;
                case ')': {
                    long inner = sat(cur[0] + cur[1] + 2, cap);
                    cur = stack.isEmpty() ? new long[] {0, 0} : stack.pop();
                    cur[0] = sat(cur[0] + cur[1], cap);
                    cur[1] = inner;
                    i++;
                    break;
                }
                case '|':
                    cur[0] = sat(cur[0] + cur[1] + 1, cap);
                    cur[1] = 0;
                    i++;
                    break;
                case '*':
                case '+':
                case '?':
                    cur[1] = sat(cur[1] + 2, cap);
                    i++;
                    break;
                case '{': {
                    int close = regex.indexOf('}', i);
                    long max = close < 0 ? -1 : repeatMax(regex.substring(i + 1, close));
                    if (max < 0) {
                        cur[0] = sat(cur[0] + cur[1], cap);
                        cur[1] = 1;
                        i++;
                    } else {
                        cur[1] = sat(mul(cur[1], Math.max(1, max), cap) + 2, cap);
                        i = close + 1;
                    }
                    break;
                }
                default:
                    cur[0] = sat(cur[0] + cur[1], cap);
                    cur[1] = 1;
                    i++;
            }
        }
        long total = sat(cur[0] + cur[1], cap);
        while (!stack.isEmpty()) {
            long[] outer = stack.pop();
            total = sat(outer[0] + outer[1] + total, cap);
        }
        return total;
    }

    /** The largest count of {@code n}, {@code n,} or {@code n,m}; -1 when it is not a repeat. */
    private static long repeatMax(String body) {
        int comma = body.indexOf(',');
        String lo = comma < 0 ? body : body.substring(0, comma);
        String hi = comma < 0 ? body : body.substring(comma + 1);
        if (!lo.matches("[0-9]{1,9}") || !(hi.isEmpty() || hi.matches("[0-9]{1,9}"))) {
            return -1;
        }
        return hi.isEmpty() ? Long.parseLong(lo) + 1 : Long.parseLong(hi);
    }

    private static long sat(long v, long cap) {
        return v < 0 || v > cap ? cap : v;
    }

    private static long mul(long a, long b, long cap) {
        if (a != 0 && b > cap / a) {
            return cap;
        }
        return a * b;
    }
}
