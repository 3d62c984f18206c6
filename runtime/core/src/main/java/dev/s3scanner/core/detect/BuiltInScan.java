package dev.s3scanner.core.detect;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One pass over a window for any set of built-in detectors.
 *
 * <p>The loop reads eight bytes at a time and skips blocks with no byte in 0x30-0x41 (a SWAR range
 * test). In the other blocks, SWAR masks of digits, word bytes (letters, digits, underscore),
 * {@code @} and {@code A} give the anchors in one go: a digit (SSN, card, phone) or {@code A}
 * (access key id) that starts a word, and every {@code @} (email). A digit or {@code A} inside a
 * word (hex digests, base64, ids, times after a letter) cannot start a value, so it is never looked
 * at. Before a digit's handler runs, a quick look at the run (its length from one 8-byte load, the
 * byte after it, the byte before it) drops the numbers that start no value (two-digit fields,
 * 5-7 digit ids, dates, decimals); the rest are validated in place and, on a match, the loop
 * continues after the match (leftmost, non-overlapping). Secret access keys come from a second,
 * sparse pass (see {@link AwsSecretAccessKeyDetector}). Where two detectors' matches overlap, the
 * earlier one in {@link #PRIORITY} wins.
 *
 * <p>To report each value exactly once across overlapping windows, the anchor loop starts
 * {@value #RESYNC} bytes before {@code from} (so it segments the text the same way the previous
 * window did) and runs {@value #LEAD} bytes past {@code to} (an email's start lies up to 64 bytes
 * before its {@code @}); only matches starting in {@code [from, to)} are reported.
 */
final class BuiltInScan {
    static final int KEY_ID = 1;
    static final int SECRET = 2;
    static final int CARD = 4;
    static final int SSN = 8;
    static final int EMAIL = 16;
    static final int PHONE = 32;
    static final int ALL = KEY_ID | SECRET | CARD | SSN | EMAIL | PHONE;
    /** Detector kinds in overlap priority order. */
    static final int[] PRIORITY = {KEY_ID, SECRET, CARD, SSN, EMAIL, PHONE};

    static final int RESYNC = 256;
    static final int LEAD = 66;

    /** Receives raw matches as window indexes. */
    @FunctionalInterface
    interface Emitter {
        void emit(int kind, int start, int end);
    }

    private final int kinds;

    BuiltInScan(int kinds) {
        if (kinds == 0 || (kinds & ~ALL) != 0) {
            throw new IllegalArgumentException("unknown detector kinds " + kinds);
        }
        this.kinds = kinds;
    }

    int kinds() {
        return kinds;
    }

    /** The detector id of a kind. */
    static String id(int kind) {
        switch (kind) {
            case KEY_ID: return DetectorId.AWS_ACCESS_KEY_ID;
            case SECRET: return DetectorId.AWS_SECRET_ACCESS_KEY;
            case CARD: return DetectorId.CREDIT_CARD;
            case SSN: return DetectorId.US_SSN;
            case EMAIL: return DetectorId.EMAIL;
            case PHONE: return DetectorId.US_PHONE;
            default: throw new IllegalArgumentException("unknown detector kind " + kind);
        }
    }

    /** The kind of a built-in detector id, or 0 when the id is not a built-in one. */
    static int kind(String id) {
        switch (id) {
            case DetectorId.AWS_ACCESS_KEY_ID: return KEY_ID;
            case DetectorId.AWS_SECRET_ACCESS_KEY: return SECRET;
            case DetectorId.CREDIT_CARD: return CARD;
            case DetectorId.US_SSN: return SSN;
            case DetectorId.EMAIL: return EMAIL;
            case DetectorId.US_PHONE: return PHONE;
            default: return 0;
        }
    }

    static String mask(int kind, byte[] t, int start, int end) {
        switch (kind) {
            case KEY_ID: return AwsAccessKeyIdDetector.mask(t, start, end);
            case SECRET: return AwsSecretAccessKeyDetector.mask(t, start, end);
            case CARD: return CreditCardDetector.mask(t, start, end);
            case SSN: return SsnDetector.mask(t, start, end);
            case EMAIL: return EmailDetector.mask(t, start, end);
            case PHONE: return UsPhoneDetector.mask(t, start, end);
            default: throw new IllegalArgumentException("unknown detector kind " + kind);
        }
    }

    /** Reports every value of the enabled kinds starting in {@code [from, to)}, in start order. */
    void find(byte[] t, int limit, int from, int to, Consumer<Match> sink) {
        Found found = new Found();
        scan(t, limit, from, to, found);
        found.report(t, from, to, sink);
    }

    /** Emits raw matches (including some starting outside {@code [from, to)}) in no particular order. */
    void scan(byte[] t, int limit, int from, int to, Emitter out) {
        final long digitLanes = (kinds & (CARD | SSN | PHONE)) != 0 ? -1L : 0L;
        final long atLanes = (kinds & EMAIL) != 0 ? -1L : 0L;
        final long keyLanes = (kinds & KEY_ID) != 0 ? -1L : 0L;
        final int kinds = this.kinds;
        int i = Math.max(0, from - RESYNC);
        int end = Math.min(limit, to + LEAD);
        while (i < end) {
            long hits;
            int block = i;
            if (i + 8 <= end) {
                long x = (long) LONGS.get(t, i);
                if (candidates(x) == 0) { // no byte in 0x30-0x41 (digits, '@', 'A'): nothing to look at
                    i += 8;
                    continue;
                }
                // digits and 'A' at the start of a word, and every '@'
                long word = word(x);
                long wordBefore = (word << 8) | (i > 0 && Ascii.isWord(t[i - 1]) ? 0x80L : 0L);
                hits = (((digits(x) & digitLanes) | (eq(x, 'A') & keyLanes)) & ~wordBefore) | (eq(x, '@') & atLanes);
                if (hits == 0) {
                    i += 8;
                    continue;
                }
            } else {
                hits = tailAnchors(t, i, end, digitLanes != 0, atLanes != 0, keyLanes != 0);
                if (hits == 0) {
                    break;
                }
            }
            int next = block + 8;
            while (hits != 0) {
                int p = block + (Long.numberOfTrailingZeros(hits) >>> 3);
                hits &= hits - 1;
                if (t[p] <= '9' && !mayStartValue(t, limit, p)) {
                    continue; // a number that starts no value (checked here, so most digits cost no call)
                }
                int q = anchor(t, limit, p, kinds, out);
                if (q >= next) {
                    next = q; // the handler moved past this block: read again from there
                    break;
                }
                if (q > p + 1) {
                    hits &= -1L << ((q - block) << 3); // drop the anchors the handler consumed
                }
            }
            i = next;
        }
        if ((kinds & SECRET) != 0) {
            AwsSecretAccessKeyDetector.scan(t, limit, from, to, out);
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LOWS = 0x7F7F7F7F7F7F7F7FL;

    /**
     * The high bit of each byte of {@code x} (little-endian lanes) that lies in 0x30-0x41, the range
     * holding every anchor byte; zero when there is none ("has between", Hacker's Delight 6-1 style).
     */
    static long candidates(long x) {
        return between(x, 0x30, 0x41);
    }

    /** The high bit of each byte of {@code x} in {@code [lo, hi]} ({@code hi <= 0x7F}); bytes of 0x80 and more never. */
    private static long between(long x, int lo, int hi) {
        long low = x & LOWS;
        return (ONES * (127 + hi + 1) - low) & ~x & (low + ONES * (127 - lo + 1)) & HIGHS;
    }

    /** The high bit of each byte of {@code x} equal to {@code c} (exact: no false positives). */
    private static long eq(long x, int c) {
        long y = x ^ (ONES * c);
        return ~(((y & LOWS) + LOWS) | y) & HIGHS;
    }

    /** The high bit of each ASCII digit of {@code x}. */
    static long digits(long x) {
        return between(x, '0', '9');
    }

    /** The high bit of each word byte of {@code x}: a letter, digit or underscore ({@link Ascii#isWord}). */
    static long word(long x) {
        return between(x, '0', '9') | between(x | (ONES * 0x20), 'a', 'z') | eq(x, '_');
    }

    /** The high bit of each byte of {@code x} in the base64 alphabet ({@link Ascii#isBase64}: letters, digits, {@code /}, {@code +}). */
    static long base64(long x) {
        return between(x, '0', '9') | between(x | (ONES * 0x20), 'a', 'z') | eq(x, '/') | eq(x, '+');
    }

    /** The first index of the run of base64 bytes ending just before {@code i} ({@code i} when there is none). */
    static int base64RunStart(byte[] t, int i) {
        while (i >= 8) {
            long out = ~base64((long) LONGS.get(t, i - 8)) & HIGHS; // bytes i-8 .. i-1, the last in the top lane
            if (out != 0) {
                return i - (Long.numberOfLeadingZeros(out) >>> 3);
            }
            i -= 8;
        }
        while (i > 0 && Ascii.isBase64(t[i - 1])) {
            i--;
        }
        return i;
    }

    /** The first index at or after {@code i} (and before {@code limit}) that is not a base64 byte, or {@code limit}. */
    static int base64RunEnd(byte[] t, int i, int limit) {
        while (i + 8 <= limit) {
            long out = ~base64((long) LONGS.get(t, i)) & HIGHS;
            if (out != 0) {
                return i + (Long.numberOfTrailingZeros(out) >>> 3);
            }
            i += 8;
        }
        while (i < limit && Ascii.isBase64(t[i])) {
            i++;
        }
        return i;
    }

    /** The anchor bits (as in {@link #scan}) of the last, partial block {@code [i, end)}. */
    private static long tailAnchors(byte[] t, int i, int end, boolean digits, boolean at, boolean key) {
        long hits = 0;
        for (int k = i; k < end; k++) {
            byte c = t[k];
            boolean anchor = c == '@' ? at
                    : ((Ascii.isDigit(c) && digits) || (c == 'A' && key)) && (k == 0 || !Ascii.isWord(t[k - 1]));
            if (anchor) {
                hits |= 0x80L << (8 * (k - i));
            }
        }
        return hits;
    }

    /**
     * Handles the anchor at {@code p} (a digit or {@code A} that starts a word, or an {@code @});
     * returns where the loop goes on, at least {@code p + 1}.
     */
    private static int anchor(byte[] t, int limit, int p, int kinds, Emitter out) {
        byte c = t[p];
        if (c == '@') {
            long m = EmailDetector.matchAt(t, limit, p);
            if (m >= 0) {
                out.emit(EMAIL, (int) (m >>> 32), (int) m);
                return Math.max((int) m, p + 1);
            }
            return p + 1;
        }
        if (c == 'A') {
            if (AwsAccessKeyIdDetector.matchAt(t, limit, p)) {
                out.emit(KEY_ID, p, p + AwsAccessKeyIdDetector.LENGTH);
                return p + AwsAccessKeyIdDetector.LENGTH;
            }
            return p + 1;
        }
        return onDigit(t, limit, p, kinds, out); // the loop has called mayStartValue
    }

    /**
     * A quick look at the digit run starting at {@code p}: false when {@link #onDigit} would find no
     * value there whatever the detectors (most numbers in logs and data: dates, times, counters), so
     * the loop need not call it. Reads the run length from one 8-byte load.
     */
    private static boolean mayStartValue(byte[] t, int limit, int p) {
        if (p + 16 > limit) {
            return true;
        }
        if (p > 0 && t[p - 1] != '(' && t[p - 1] != '+' && !Ascii.numberStartOk(t, p)) {
            return false; // only "(NPA) ..." and "+1..." start where a number may not (after "x.", "x-")
        }
        int r = Long.numberOfTrailingZeros(~digits((long) LONGS.get(t, p)) & HIGHS) >>> 3; // 1-8; 8 means "8 or more"
        switch (r) {
            case 1: // only a phone number's country code "1"
                return t[p] == '1';
            case 3: { // SSN "AAA-GG-SSSS" / "AAA GG SSSS", phone "NPA-NXX-XXXX" (also dots and spaces) and "(NPA) NXX-XXXX"
                byte n = t[p + 3];
                return n == '-' || n == ' ' || n == '.' || (p > 0 && t[p - 1] == '(');
            }
            case 4: { // a card number in groups: "4111 1111 ..." or "4111-1111-...", "3782 822463 10005"
                byte n = t[p + 4];
                if (n != ' ' && n != '-') {
                    return false;
                }
                int g = Long.numberOfTrailingZeros(~digits((long) LONGS.get(t, p + 5)) & HIGHS) >>> 3;
                return g == 4 || g == 6;
            }
            case 8:
                return true;
            default: // 2, 5, 6 and 7 digits start no value
                return false;
        }
    }

    /** Handles the digit at {@code s}; returns where the loop goes on. */
    private static int onDigit(byte[] t, int limit, int s, int kinds, Emitter out) {
        int e = Ascii.digitRunEnd(t, s, limit);
        int r = e - s;
        if (r == 2 || r > 19 || (r >= 5 && r <= 8) || r == 12) {
            return e; // no shape starts with a run of this length
        }
        boolean leftOk = Ascii.numberStartOk(t, s);
        if (leftOk && (kinds & CARD) != 0 && (r == 4 || r >= 13)) {
            int m = CreditCardDetector.matchAt(t, limit, s, e);
            if (m > 0) {
                out.emit(CARD, s, m);
                return m;
            }
        }
        if (leftOk && (kinds & SSN) != 0 && (r == 3 || r == 9)) {
            int m = SsnDetector.matchAt(t, limit, s, e);
            if (m > 0) {
                out.emit(SSN, s, m);
                return m;
            }
        }
        if ((kinds & PHONE) != 0 && (r == 1 || r == 3 || r == 10 || r == 11)) {
            long m = UsPhoneDetector.matchAt(t, limit, s, e, leftOk);
            if (m >= 0) {
                int end = (int) m;
                out.emit(PHONE, (int) (m >>> 32), end);
                return end;
            }
        }
        return e;
    }

    /** Raw matches of one window, resolved and reported. */
    static final class Found implements Emitter {
        int size;
        int[] kind = new int[8];
        int[] start = new int[8];
        int[] end = new int[8];

        @Override
        public void emit(int k, int s, int e) {
            if (size == kind.length) {
                kind = Arrays.copyOf(kind, size * 2);
                start = Arrays.copyOf(start, size * 2);
                end = Arrays.copyOf(end, size * 2);
            }
            kind[size] = k;
            start[size] = s;
            end[size] = e;
            size++;
        }

        /**
         * Drops matches that overlap a higher-priority one; the rest stay, sorted by start. Linear
         * when the matches arrive in start order without overlaps (the common case); otherwise
         * sorted once, and priorities are compared only within each cluster of overlapping matches.
         */
        void resolve() {
            if (size < 2) {
                return;
            }
            boolean sorted = true;
            boolean overlap = false;
            for (int i = 1; i < size; i++) {
                if (start[i] < start[i - 1]) {
                    sorted = false;
                    break;
                }
                overlap |= start[i] < end[i - 1];
            }
            if (sorted && !overlap) {
                return;
            }
            if (!sorted) {
                sortByStart();
            }
            boolean[] dropped = new boolean[size];
            int c = 0;
            while (c < size) {
                int clusterEnd = end[c];
                int d = c + 1;
                while (d < size && start[d] < clusterEnd) {
                    clusterEnd = Math.max(clusterEnd, end[d]);
                    d++;
                }
                if (d - c > 1) {
                    resolveCluster(c, d, dropped);
                }
                c = d;
            }
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (!dropped[i]) {
                    kind[n] = kind[i];
                    start[n] = start[i];
                    end[n] = end[i];
                    n++;
                }
            }
            size = n;
        }

        /** Within {@code [c, d)}: keep matches in priority order, then start order, dropping any that overlap a kept one. */
        private void resolveCluster(int c, int d, boolean[] dropped) {
            Integer[] byRank = new Integer[d - c];
            for (int i = c; i < d; i++) {
                byRank[i - c] = i;
            }
            Arrays.sort(byRank, (a, b) -> rank(kind[a]) != rank(kind[b]) ? Integer.compare(rank(kind[a]), rank(kind[b]))
                    : Integer.compare(start[a], start[b]));
            for (int x = 0; x < byRank.length; x++) {
                int a = byRank[x];
                for (int y = 0; y < x && !dropped[a]; y++) {
                    int b = byRank[y];
                    if (!dropped[b] && start[a] < end[b] && start[b] < end[a]) {
                        dropped[a] = true;
                    }
                }
            }
        }

        private void sortByStart() {
            long[] keys = new long[size];
            for (int i = 0; i < size; i++) {
                keys[i] = ((long) start[i] << 32) | ((long) rank(kind[i]) << 28) | i;
            }
            Arrays.sort(keys);
            int[] k2 = new int[kind.length];
            int[] s2 = new int[kind.length];
            int[] e2 = new int[kind.length];
            for (int i = 0; i < size; i++) {
                int j = (int) (keys[i] & 0xFFFFFFF);
                k2[i] = kind[j];
                s2[i] = start[j];
                e2[i] = end[j];
            }
            kind = k2;
            start = s2;
            end = e2;
        }

        void report(byte[] t, int from, int to, Consumer<Match> sink) {
            resolve();
            for (int i = 0; i < size; i++) {
                if (start[i] >= from && start[i] < to) {
                    sink.accept(new Match(id(kind[i]), start[i], end[i], mask(kind[i], t, start[i], end[i])));
                }
            }
        }

        private static int rank(int kind) {
            return Integer.numberOfTrailingZeros(kind);
        }
    }
}
