package dev.s3scanner.core.detect;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One pass over a window for any set of built-in detectors.
 *
 * <p>A 256-entry byte-class table sends the loop past every byte that cannot begin a value. It
 * stops only at anchors: the first digit of a run (SSN, card, phone), {@code @} (email) and
 * {@code A} (access key id); each anchor is validated in place and, on a match, the loop continues
 * after the match (leftmost, non-overlapping). Secret access keys come from a second, sparse pass
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
        final int kinds = this.kinds;
        int i = Math.max(0, from - RESYNC);
        int end = Math.min(limit, to + LEAD);
        while (i < end) {
            byte a = table[t[i] & 0xff];
            if (a == 0) {
                i++;
                continue;
            }
            if (a == A_DIGIT) {
                i = onDigit(t, limit, i, kinds, out);
            } else if (a == A_AT) {
                long m = EmailDetector.matchAt(t, limit, i);
                if (m >= 0) {
                    out.emit(EMAIL, (int) (m >>> 32), (int) m);
                    i = (int) m;
                } else {
                    i++;
                }
            } else {
                if (AwsAccessKeyIdDetector.matchAt(t, limit, i)) {
                    out.emit(KEY_ID, i, i + AwsAccessKeyIdDetector.LENGTH);
                    i += AwsAccessKeyIdDetector.LENGTH;
                } else {
                    i++;
                }
            }
        }
        if ((kinds & SECRET) != 0) {
            AwsSecretAccessKeyDetector.scan(t, limit, from, to, out);
        }
    }

    /** Handles the digit at {@code s}; returns where the loop goes on. */
    private static int onDigit(byte[] t, int limit, int s, int kinds, Emitter out) {
        int e = Ascii.digitRunEnd(t, s, limit);
        if (s > 0 && Ascii.isDigit(t[s - 1])) {
            return e; // inside a run (only at the first byte the loop looks at)
        }
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

        /** Drops matches that overlap a higher-priority one; the rest stay, sorted by start. */
        void resolve() {
            if (size < 2) {
                return;
            }
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> start[a] != start[b] ? Integer.compare(start[a], start[b])
                    : Integer.compare(rank(kind[a]), rank(kind[b])));
            boolean overlap = false;
            for (int i = 1; i < size && !overlap; i++) {
                overlap = start[order[i]] < end[order[i - 1]];
            }
            int[] k2 = new int[size];
            int[] s2 = new int[size];
            int[] e2 = new int[size];
            int n = 0;
            boolean[] dropped = new boolean[size];
            if (overlap) {
                Integer[] byRank = order.clone();
                Arrays.sort(byRank, (a, b) -> rank(kind[a]) != rank(kind[b]) ? Integer.compare(rank(kind[a]), rank(kind[b]))
                        : Integer.compare(start[a], start[b]));
                for (int x = 0; x < size; x++) {
                    int a = byRank[x];
                    for (int y = 0; y < x && !dropped[a]; y++) {
                        int b = byRank[y];
                        if (!dropped[b] && start[a] < end[b] && start[b] < end[a]) {
                            dropped[a] = true;
                        }
                    }
                }
            }
            for (int x = 0; x < size; x++) {
                int a = order[x];
                if (!dropped[a]) {
                    k2[n] = kind[a];
                    s2[n] = start[a];
                    e2[n] = end[a];
                    n++;
                }
            }
            kind = k2;
            start = s2;
            end = e2;
            size = n;
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
