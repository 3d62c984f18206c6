package dev.s3scanner.lister.api;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a regular expression that comes from a user (a custom detector's {@code regex}, an
 * allow-list pattern) before it is stored with a job. In order:
 * <ol>
 *   <li>1 to {@value #MAX_LENGTH} characters (Amazon Macie's limit for custom data identifiers).</li>
 *   <li>No construct that makes a backtracking engine take exponential (or high-polynomial) time,
 *       "catastrophic backtracking" (OWASP, "Regular expression Denial of Service - ReDoS"): a
 *       repetition whose body can match the same text in more than one way, which is
 *       <ul>
 *         <li>a variable-length repetition nested in another repetition, where what the inner one
 *             repeats can also be what follows it: {@code (a+)+}, {@code (\w+\s?)*},
 *             {@code (.*a){20}}, {@code (a?a)+}, {@code (\d{1,3}\s?)+} (while {@code ([a-z]+\.)+} and
 *             {@code (a*b)*} are unambiguous and accepted);</li>
 *         <li>an alternation in a repetition whose alternatives can start alike where one of them is
 *             a single character or both are equal: {@code (a|a)*}, {@code (\w|\d)+}, {@code (a|aa)*}.</li>
 *       </ul>
 *       The check is structural (first-character sets), so it is a safe over-approximation for
 *       these shapes rather than a proof of ambiguity. The worker matches with RE2/J, whose
 *       run time is linear in the input whatever the pattern; the rule keeps every stored pattern
 *       safe under any engine it may later meet.</li>
 *   <li>Counted repetitions, multiplied through nesting, expand to at most {@value #MAX_PROGRAM}
 *       instructions (checked before compiling: RE2/J expands {@code ((a{1000}){1000}){1000}}
 *       until the heap runs out), and the compiled RE2 program is at most that size.</li>
 *   <li>RE2 syntax (<a href="https://github.com/google/re2/wiki/Syntax">RE2 syntax</a>): no
 *       look-around, no back-references.</li>
 *   <li>It must not match the empty string (a finding at every position).</li>
 * </ol>
 * Every rejection is an {@link ApiException} with code {@link ErrorCode#INVALID_REGEX} whose
 * message starts with the field's path.
 */
public final class RegexRules {
    /** Longest pattern accepted, in characters. */
    public static final int MAX_LENGTH = 512;
    /** Largest expanded size and compiled program accepted, in RE2 instructions. */
    public static final int MAX_PROGRAM = 5000;
    private static final String[] EMPTY_PROBES = {"", " ", "a b", "1-2", "x@y.z", "\n\n"};

    private RegexRules() {
    }

    /**
     * Checks {@code regex} under the rules above.
     *
     * @param path  the field, for messages ({@code custom_detectors[0].regex})
     * @param regex the pattern
     * @throws ApiException ({@link ErrorCode#INVALID_REGEX}) when a rule is broken
     */
    public static void check(String path, String regex) {
        if (regex.isEmpty()) {
            throw invalid(path + " must not be empty");
        }
        if (regex.length() > MAX_LENGTH) {
            throw invalid(path + " is " + regex.length() + " characters long; the limit is " + MAX_LENGTH);
        }
        Node tree = new Parser(regex).parse();
        if (tree != null) {
            if (tree.size() > MAX_PROGRAM) {
                throw invalid(path + " expands to more than " + MAX_PROGRAM
                        + " instructions (nested counted repetitions); simplify it");
            }
            String why = tree.ambiguity(CharSet.NONE, false);
            if (why != null) {
                throw invalid(path + " can take exponential time to match (catastrophic backtracking): " + why
                        + "; make the repetition unambiguous");
            }
        }
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw invalid(path + " is not a valid RE2 regular expression (" + e.getDescription()
                    + "); look-around and back-references are not supported");
        }
        if (p.programSize() > MAX_PROGRAM) {
            throw invalid(path + " compiles to " + p.programSize() + " instructions; the limit is " + MAX_PROGRAM);
        }
        for (String probe : EMPTY_PROBES) {
            Matcher m = p.matcher(probe);
            while (m.find()) {
                if (m.start() == m.end()) {
                    throw invalid(path + " matches an empty string; it must match at least one character");
                }
            }
        }
    }

    private static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_REGEX, message);
    }

    // ------------------------------------------------------------------ character sets

    /** A set of characters: the 128 ASCII ones exactly, all others as one flag. Immutable. */
    record CharSet(long lo, long hi, boolean nonAscii) {
        static final CharSet NONE = new CharSet(0, 0, false);
        static final CharSet ALL = new CharSet(-1L, -1L, true);

        static CharSet of(int c) {
            if (c >= 128) {
                return new CharSet(0, 0, true);
            }
            return c < 64 ? new CharSet(1L << c, 0, false) : new CharSet(0, 1L << (c - 64), false);
        }

        static CharSet range(int from, int to) {
            CharSet s = NONE;
            for (int c = Math.max(0, from); c <= Math.min(127, to); c++) {
                s = s.union(of(c));
            }
            return to >= 128 ? s.union(new CharSet(0, 0, true)) : s;
        }

        CharSet union(CharSet o) {
            return new CharSet(lo | o.lo, hi | o.hi, nonAscii || o.nonAscii);
        }

        CharSet complement() {
            return new CharSet(~lo, ~hi, !nonAscii);
        }

        boolean intersects(CharSet o) {
            return (lo & o.lo) != 0 || (hi & o.hi) != 0 || (nonAscii && o.nonAscii);
        }

        boolean isEmpty() {
            return lo == 0 && hi == 0 && !nonAscii;
        }

        /** With both cases of every ASCII letter (for {@code (?i)}). */
        CharSet caseFolded() {
            CharSet s = this;
            for (int c = 'a'; c <= 'z'; c++) {
                if (intersects(of(c)) || intersects(of(c - 32))) {
                    s = s.union(of(c)).union(of(c - 32));
                }
            }
            return s;
        }

        static final CharSet DIGIT = range('0', '9');
        static final CharSet WORD = range('0', '9').union(range('a', 'z')).union(range('A', 'Z')).union(of('_'));
        static final CharSet SPACE = of(' ').union(range('\t', '\r'));
    }

    // ------------------------------------------------------------------ syntax tree

    /** A parsed pattern. */
    abstract static class Node {
        /** Whether it can match the empty string. */
        abstract boolean nullable();

        /** The characters a non-empty match can start with. */
        abstract CharSet first();

        /** An upper bound on its RE2 program size (saturating). */
        abstract long size();

        /**
         * Why it is ambiguous under repetition, or {@code null}.
         *
         * @param follow what can come right after it
         * @param inLoop whether it is inside a repetition of more than one iteration
         */
        abstract String ambiguity(CharSet follow, boolean inLoop);

        /** Whether it matches exactly one character. */
        boolean singleChar() {
            return false;
        }

        /** The pattern text it came from. */
        String text = "";
    }

    static final class Atom extends Node {
        private final CharSet chars; // empty: a zero-width assertion

        Atom(CharSet chars) {
            this.chars = chars;
        }

        @Override
        boolean nullable() {
            return chars.isEmpty();
        }

        @Override
        CharSet first() {
            return chars;
        }

        @Override
        long size() {
            return 1;
        }

        @Override
        String ambiguity(CharSet follow, boolean inLoop) {
            return null;
        }

        @Override
        boolean singleChar() {
            return !chars.isEmpty();
        }
    }

    static final class Seq extends Node {
        private final List<Node> items;

        Seq(List<Node> items) {
            this.items = items;
        }

        @Override
        boolean nullable() {
            for (Node n : items) {
                if (!n.nullable()) {
                    return false;
                }
            }
            return true;
        }

        @Override
        CharSet first() {
            CharSet s = CharSet.NONE;
            for (Node n : items) {
                s = s.union(n.first());
                if (!n.nullable()) {
                    break;
                }
            }
            return s;
        }

        @Override
        long size() {
            long total = 0;
            for (Node n : items) {
                total = sat(total + n.size());
            }
            return total;
        }

        @Override
        String ambiguity(CharSet follow, boolean inLoop) {
            CharSet after = follow;
            String why = null;
            for (int i = items.size() - 1; i >= 0; i--) {
                Node n = items.get(i);
                String w = n.ambiguity(after, inLoop);
                if (w != null) {
                    why = w; // keep the leftmost
                }
                after = n.nullable() ? n.first().union(after) : n.first();
            }
            return why;
        }

        @Override
        boolean singleChar() {
            return items.size() == 1 && items.get(0).singleChar();
        }
    }

    static final class Alt extends Node {
        private final List<Node> alternatives;

        Alt(List<Node> alternatives) {
            this.alternatives = alternatives;
        }

        @Override
        boolean nullable() {
            for (Node n : alternatives) {
                if (n.nullable()) {
                    return true;
                }
            }
            return false;
        }

        @Override
        CharSet first() {
            CharSet s = CharSet.NONE;
            for (Node n : alternatives) {
                s = s.union(n.first());
            }
            return s;
        }

        @Override
        long size() {
            long total = 0;
            for (Node n : alternatives) {
                total = sat(total + n.size() + 1);
            }
            return total;
        }

        @Override
        String ambiguity(CharSet follow, boolean inLoop) {
            if (inLoop) {
                for (int i = 0; i < alternatives.size(); i++) {
                    for (int j = i + 1; j < alternatives.size(); j++) {
                        Node a = alternatives.get(i);
                        Node b = alternatives.get(j);
                        boolean alike = a.text.equals(b.text) || a.singleChar() || b.singleChar();
                        if (alike && a.first().intersects(b.first())) {
                            return "the alternatives '" + a.text + "' and '" + b.text
                                    + "' can match the same text inside a repetition";
                        }
                    }
                }
            }
            for (Node n : alternatives) {
                String w = n.ambiguity(follow, inLoop);
                if (w != null) {
                    return w;
                }
            }
            return null;
        }

        @Override
        boolean singleChar() {
            for (Node n : alternatives) {
                if (!n.singleChar()) {
                    return false;
                }
            }
            return !alternatives.isEmpty();
        }
    }

    static final class Repeat extends Node {
        private final Node body;
        private final int min;
        private final int max; // -1: unbounded

        Repeat(Node body, int min, int max) {
            this.body = body;
            this.min = min;
            this.max = max;
        }

        @Override
        boolean nullable() {
            return min == 0 || body.nullable();
        }

        @Override
        CharSet first() {
            return body.first();
        }

        @Override
        long size() {
            long count = max < 0 ? Math.max(1, min) + 1L : Math.max(1, max);
            return sat(mul(body.size(), count) + 2);
        }

        @Override
        String ambiguity(CharSet follow, boolean inLoop) {
            boolean variable = max < 0 || max > min;
            boolean repeats = max < 0 || max > 1;
            CharSet bodyFirst = body.first();
            if (inLoop && variable && !bodyFirst.isEmpty() && bodyFirst.intersects(follow)) {
                return "the repetition '" + text + "' is nested in another repetition and what it repeats can also follow it";
            }
            CharSet inner = repeats ? bodyFirst.union(follow) : follow;
            return body.ambiguity(inner, inLoop || repeats);
        }
    }

    private static long sat(long v) {
        return v < 0 || v > Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : v;
    }

    private static long mul(long a, long b) {
        if (a != 0 && b > (Long.MAX_VALUE / 4) / a) {
            return Long.MAX_VALUE / 4;
        }
        return a * b;
    }

    // ------------------------------------------------------------------ parser

    /**
     * A recursive-descent reader of RE2 syntax that never throws: on anything it does not
     * understand it gives up ({@link #parse()} returns {@code null}) and leaves the verdict to RE2/J's
     * own parser. Nesting deeper than {@value #MAX_DEPTH} also gives up (RE2 rejects it too).
     */
    static final class Parser {
        private static final int MAX_DEPTH = 200;
        private final String s;
        private int i;
        private int depth;
        private boolean fold;
        private boolean failed;

        Parser(String s) {
            this.s = s;
        }

        /** The tree, or {@code null} when the pattern is malformed. */
        Node parse() {
            try {
                Node n = alternation();
                return failed || i != s.length() ? null : n;
            } catch (RuntimeException e) {
                return null; // malformed in a way this reader does not model; RE2/J decides
            }
        }

        private Node alternation() {
            int start = i;
            List<Node> alts = new ArrayList<>();
            alts.add(sequence());
            while (!failed && i < s.length() && s.charAt(i) == '|') {
                i++;
                alts.add(sequence());
            }
            Node n = alts.size() == 1 ? alts.get(0) : new Alt(alts);
            n.text = s.substring(start, i);
            return n;
        }

        private Node sequence() {
            int start = i;
            List<Node> items = new ArrayList<>();
            while (!failed && i < s.length() && s.charAt(i) != '|' && s.charAt(i) != ')') {
                int atomStart = i;
                Node atom = atom();
                if (atom == null) {
                    continue; // a flag group such as (?i)
                }
                atom.text = s.substring(atomStart, i);
                items.add(repeats(atom, atomStart));
            }
            Node n = new Seq(items);
            n.text = s.substring(start, i);
            return n;
        }

        private Node repeats(Node atom, int atomStart) {
            Node n = atom;
            while (!failed && i < s.length()) {
                char c = s.charAt(i);
                int min;
                int max;
                if (c == '*') {
                    min = 0;
                    max = -1;
                    i++;
                } else if (c == '+') {
                    min = 1;
                    max = -1;
                    i++;
                } else if (c == '?') {
                    min = 0;
                    max = 1;
                    i++;
                } else if (c == '{') {
                    int close = s.indexOf('}', i);
                    int[] counts = close < 0 ? null : counts(s.substring(i + 1, close));
                    if (counts == null) {
                        return n; // a literal '{' (RE2 reads it so); the sequence goes on from here
                    }
                    min = counts[0];
                    max = counts[1];
                    i = close + 1;
                } else {
                    return n;
                }
                if (i < s.length() && s.charAt(i) == '?') {
                    i++; // non-greedy: same language
                }
                n = new Repeat(n, min, max);
                n.text = s.substring(atomStart, i);
            }
            return n;
        }

        private static int[] counts(String body) {
            int comma = body.indexOf(',');
            String lo = comma < 0 ? body : body.substring(0, comma);
            String hi = comma < 0 ? body : body.substring(comma + 1);
            if (!lo.matches("[0-9]{1,4}") || !(hi.isEmpty() || hi.matches("[0-9]{1,4}"))) {
                return null;
            }
            int min = Integer.parseInt(lo);
            int max = hi.isEmpty() ? -1 : Integer.parseInt(hi);
            return new int[] {min, max};
        }

        private Node atom() {
            char c = s.charAt(i);
            switch (c) {
                case '(':
                    return group();
                case '[':
                    return new Atom(fold(charClass()));
                case '.':
                    i++;
                    return new Atom(CharSet.ALL);
                case '^':
                case '$':
                    i++;
                    return new Atom(CharSet.NONE);
                case '\\':
                    return escape();
                case '*':
                case '+':
                case '?':
                    failed = true; // "missing argument to repetition operator"
                    i++;
                    return new Atom(CharSet.NONE);
                default:
                    int cp = s.codePointAt(i);
                    i += Character.charCount(cp);
                    return new Atom(fold(CharSet.of(cp)));
            }
        }

        private Node group() {
            if (++depth > MAX_DEPTH) {
                failed = true;
                return new Atom(CharSet.NONE);
            }
            i++; // (
            boolean savedFold = fold;
            if (i < s.length() && s.charAt(i) == '?') {
                i++;
                if (i < s.length() && (s.charAt(i) == 'P' || s.charAt(i) == '<')) {
                    int close = s.indexOf('>', i);
                    if (close < 0) {
                        failed = true;
                        return new Atom(CharSet.NONE);
                    }
                    i = close + 1;
                } else {
                    int flagsStart = i;
                    while (i < s.length() && s.charAt(i) != ':' && s.charAt(i) != ')') {
                        i++;
                    }
                    if (i >= s.length()) {
                        failed = true;
                        return new Atom(CharSet.NONE);
                    }
                    String flags = s.substring(flagsStart, i);
                    boolean on = !flags.startsWith("-") && flags.indexOf('i') >= 0
                            && (flags.indexOf('-') < 0 || flags.indexOf('i') < flags.indexOf('-'));
                    if (s.charAt(i) == ')') {
                        i++; // (?i): applies to the rest of the enclosing group
                        fold = on || (fold && flags.indexOf('i') < 0);
                        depth--;
                        return null;
                    }
                    i++; // ':'
                    fold = on || (fold && flags.indexOf('i') < 0);
                }
            }
            Node inner = alternation();
            if (i >= s.length() || s.charAt(i) != ')') {
                failed = true;
                return new Atom(CharSet.NONE);
            }
            i++;
            fold = savedFold;
            depth--;
            return inner;
        }

        private Node escape() {
            if (i + 1 >= s.length()) {
                failed = true;
                i++;
                return new Atom(CharSet.NONE);
            }
            char e = s.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'd':
                    return new Atom(CharSet.DIGIT);
                case 'D':
                    return new Atom(CharSet.DIGIT.complement());
                case 'w':
                    return new Atom(CharSet.WORD);
                case 'W':
                    return new Atom(CharSet.WORD.complement());
                case 's':
                    return new Atom(CharSet.SPACE);
                case 'S':
                    return new Atom(CharSet.SPACE.complement());
                case 'b':
                case 'B':
                case 'A':
                case 'z':
                    return new Atom(CharSet.NONE);
                case 'p':
                case 'P':
                    if (i < s.length() && s.charAt(i) == '{') {
                        int close = s.indexOf('}', i);
                        i = close < 0 ? s.length() : close + 1;
                    } else {
                        i++;
                    }
                    return new Atom(CharSet.ALL);
                case 'Q': {
                    int end = s.indexOf("\\E", i);
                    String literal = s.substring(i, end < 0 ? s.length() : end);
                    i = end < 0 ? s.length() : end + 2;
                    List<Node> chars = new ArrayList<>();
                    literal.codePoints().forEach(cp -> chars.add(new Atom(fold(CharSet.of(cp)))));
                    if (chars.isEmpty()) {
                        return new Atom(CharSet.NONE);
                    }
                    Node seq = new Seq(chars);
                    return chars.size() == 1 ? chars.get(0) : seq;
                }
                case 'x':
                    return new Atom(CharSet.of(hex()));
                default:
                    return new Atom(fold(CharSet.of(simpleEscape(e))));
            }
        }

        /** After {@code \x}: {@code HH} or {@code {H…}}; the code point. */
        private int hex() {
            if (i < s.length() && s.charAt(i) == '{') {
                int close = s.indexOf('}', i);
                String h = close < 0 ? "" : s.substring(i + 1, close);
                i = close < 0 ? s.length() : close + 1;
                return parseHex(h);
            }
            String h = s.substring(i, Math.min(s.length(), i + 2));
            i += h.length();
            return parseHex(h);
        }

        private int parseHex(String h) {
            if (!h.matches("[0-9A-Fa-f]{1,8}")) {
                failed = true;
                return 0;
            }
            long v = Long.parseLong(h, 16);
            return v > 0x10FFFF ? 0x10FFFF : (int) v;
        }

        private static int simpleEscape(char e) {
            return switch (e) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                case 'f' -> '\f';
                case 'v' -> 0x0B;
                case 'a' -> 0x07;
                default -> e;
            };
        }

        /** A bracket expression; {@code i} is at its {@code [}. */
        private CharSet charClass() {
            i++; // [
            boolean negated = i < s.length() && s.charAt(i) == '^';
            if (negated) {
                i++;
            }
            CharSet set = CharSet.NONE;
            boolean firstItem = true;
            while (i < s.length() && (s.charAt(i) != ']' || firstItem)) {
                firstItem = false;
                if (s.startsWith("[:", i)) {
                    int close = s.indexOf(":]", i + 2);
                    if (close > 0) {
                        set = set.union(posix(s.substring(i + 2, close)));
                        i = close + 2;
                        continue;
                    }
                }
                CharSet low = classChar();
                int lowCp = singleCodePoint(low);
                if (lowCp >= 0 && i + 1 < s.length() && s.charAt(i) == '-' && s.charAt(i + 1) != ']') {
                    i++;
                    CharSet high = classChar();
                    int highCp = singleCodePoint(high);
                    if (highCp < lowCp) {
                        failed = true; // RE2: invalid character class range
                        return CharSet.ALL;
                    }
                    set = set.union(CharSet.range(lowCp, highCp));
                } else {
                    set = set.union(low);
                }
            }
            if (i >= s.length()) {
                failed = true;
                return CharSet.ALL;
            }
            i++; // ]
            return negated ? set.complement() : set;
        }

        private CharSet classChar() {
            char c = s.charAt(i);
            if (c != '\\') {
                int cp = s.codePointAt(i);
                i += Character.charCount(cp);
                return CharSet.of(cp);
            }
            if (i + 1 >= s.length()) {
                failed = true;
                i++;
                return CharSet.NONE;
            }
            char e = s.charAt(i + 1);
            i += 2;
            return switch (e) {
                case 'd' -> CharSet.DIGIT;
                case 'D' -> CharSet.DIGIT.complement();
                case 'w' -> CharSet.WORD;
                case 'W' -> CharSet.WORD.complement();
                case 's' -> CharSet.SPACE;
                case 'S' -> CharSet.SPACE.complement();
                case 'p', 'P' -> {
                    if (i < s.length() && s.charAt(i) == '{') {
                        int close = s.indexOf('}', i);
                        i = close < 0 ? s.length() : close + 1;
                    } else {
                        i++;
                    }
                    yield CharSet.ALL;
                }
                case 'x' -> CharSet.of(hex());
                default -> CharSet.of(simpleEscape(e));
            };
        }

        /** The one code point a set holds when it came from a single character, else -1. */
        private int singleCodePoint(CharSet set) {
            if (set.nonAscii() && set.lo() == 0 && set.hi() == 0) {
                return 128; // some non-ASCII character: ranges over it are all non-ASCII
            }
            if (set.nonAscii() || Long.bitCount(set.lo()) + Long.bitCount(set.hi()) != 1) {
                return -1;
            }
            return set.lo() != 0 ? Long.numberOfTrailingZeros(set.lo()) : 64 + Long.numberOfTrailingZeros(set.hi());
        }

        private static CharSet posix(String name) {
            return switch (name) {
                case "digit" -> CharSet.DIGIT;
                case "space" -> CharSet.SPACE;
                case "alpha" -> CharSet.range('a', 'z').union(CharSet.range('A', 'Z'));
                case "lower" -> CharSet.range('a', 'z');
                case "upper" -> CharSet.range('A', 'Z');
                case "alnum" -> CharSet.range('a', 'z').union(CharSet.range('A', 'Z')).union(CharSet.DIGIT);
                case "word" -> CharSet.WORD;
                case "xdigit" -> CharSet.DIGIT.union(CharSet.range('a', 'f')).union(CharSet.range('A', 'F'));
                default -> CharSet.range(0, 127);
            };
        }

        private CharSet fold(CharSet set) {
            return fold ? set.caseFolded() : set;
        }
    }
}
