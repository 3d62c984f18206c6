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
 * test); inside a block, a 256-entry byte-class table sends it past every byte that cannot begin a
 * value. It stops only at anchors: a digit (SSN, card, phone), {@code @} (email) and {@code A} (access key
 * id). An anchor inside a word (after a letter, digit or underscore) cannot start a value, so the
 * loop skips the rest of that word (hex digests, base64, ids); other anchors are validated in place
 * and, on a match, the loop continues after the match (leftmost, non-overlapping). Secret access keys come from a second, sparse pass
 * (see {@link AwsSecretAccessKeyDetector}). Where two detectors' matches overlap, the earlier one in
 * {@link #PRIORITY} wins.
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

    private static final byte A_DIGIT = 1;
    private static final byte A_AT = 2;
    private static final byte A_KEY = 3;

    /** Receives raw matches as window indexes. */
    @FunctionalInterface
    interface Emitter {
        void emit(int kind, int start, int end);
    }

    private final int kinds;
    private final byte[] anchors = new byte[256];

    BuiltInScan(int kinds) {
        if (kinds == 0 || (kinds & ~ALL) != 0) {
            throw new IllegalArgumentException("unknown detector kinds " + kinds);
        }
        this.kinds = kinds;
        if ((kinds & (CARD | SSN | PHONE)) != 0) {
            for (int c = '0'; c <= '9'; c++) {
                anchors[c] = A_DIGIT;
            }
        }
        if ((kinds & EMAIL) != 0) {
            anchors['@'] = A_AT;
        }
        if ((kinds & KEY_ID) != 0) {
            anchors['A'] = A_KEY;
        }
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
        final byte[] table = anchors;
        int i = Math.max(0, from - RESYNC);
        int end = Math.min(limit, to + LEAD);
        while (i < end) {
            long hits;
            int block = i;
            if (i + 8 <= end) {
                // eight bytes at a time: which of them lie in 0x30-0x41 (digits, ':;<=>?', '@', 'A')?
                hits = candidates((long) LONGS.get(t, i));
                if (hits == 0) {
                    i += 8;
                    continue;
                }
            } else {
                hits = tailCandidates(t, i, end);
                if (hits == 0) {
                    break;
                }
            }
            int next = block + 8;
            while (hits != 0) {
                int p = block + (Long.numberOfTrailingZeros(hits) >>> 3);
                hits &= hits - 1;
                byte a = table[t[p] & 0xff];
                if (a == 0) {
                    continue;
                }
                int q = anchor(t, limit, p, a, kinds, out);
                if (q > p + 1 || q >= block + 8) {
                    next = q; // the handler moved past this block's remaining candidates: read again from there
                    break;
                }
            }
            i = Math.max(next, i + 1);
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
        long low = x & LOWS;
        return (ONES * (127 + 0x42) - low) & ~x & (low + ONES * (127 - 0x2F)) & HIGHS;
    }

    /** The {@link #candidates} bits for the last, partial block {@code [i, end)}. */
    private static long tailCandidates(byte[] t, int i, int end) {
        long hits = 0;
        for (int k = i; k < end; k++) {
            int c = t[k] & 0xff;
            if (c >= 0x30 && c <= 0x41) {
                hits |= 0x80L << (8 * (k - i));
            }
        }
        return hits;
    }

    /** Handles the anchor byte {@code a} at {@code p}; returns where the loop goes on (at least {@code p + 1}). */
    private static int anchor(byte[] t, int limit, int p, byte a, int kinds, Emitter out) {
        if (a != A_AT && p > 0 && Ascii.isWord(t[p - 1])) {
            // no value starts inside a word: skip the rest of it (hex digests, base64, ids)
            return Ascii.wordEnd(t, p + 1, limit);
        }
        if (a == A_DIGIT) {
            return onDigit(t, limit, p, kinds, out);
        }
        if (a == A_AT) {
            long m = EmailDetector.matchAt(t, limit, p);
            if (m >= 0) {
                out.emit(EMAIL, (int) (m >>> 32), (int) m);
                return Math.max((int) m, p + 1);
            }
            return p + 1;
        }
        if (AwsAccessKeyIdDetector.matchAt(t, limit, p)) {
            out.emit(KEY_ID, p, p + AwsAccessKeyIdDetector.LENGTH);
            return p + AwsAccessKeyIdDetector.LENGTH;
        }
        return Ascii.wordEnd(t, p + 1, limit);
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
