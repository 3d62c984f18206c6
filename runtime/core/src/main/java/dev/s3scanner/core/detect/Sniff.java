package dev.s3scanner.core.detect;

/** What the first bytes of an entry say it is. */
final class Sniff {
    enum Kind { TEXT, UTF8_BOM, UTF16LE_BOM, UTF16BE_BOM, UTF16LE, UTF16BE, GZIP, BZIP2, ZIP, TAR, BINARY, UNSUPPORTED }

    final Kind kind;
    /** For BINARY and UNSUPPORTED: what the content is, for the result's detail. */
    final String what;

    private Sniff(Kind kind, String what) {
        this.kind = kind;
        this.what = what;
    }

    private static Sniff of(Kind k) {
        return new Sniff(k, null);
    }

    /**
     * Classifies content by its first bytes ({@code head}, up to 8 KiB): compression and archive
     * magic numbers, byte-order marks, known binary formats, then NUL bytes (as git and grep decide
     * that a file is binary) or more than 10% control bytes.
     */
    static Sniff of(byte[] head, int n) {
        if (n >= 2 && u(head, 0) == 0x1f && u(head, 1) == 0x8b) {
            return of(Kind.GZIP);
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)
                || (head[2] == 7 && head[3] == 8))) {
            return of(Kind.ZIP);
        }
        if (n >= 4 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h' && head[3] >= '1' && head[3] <= '9') {
            return of(Kind.BZIP2);
        }
        if (n >= 262 && head[257] == 'u' && head[258] == 's' && head[259] == 't' && head[260] == 'a' && head[261] == 'r') {
            return of(Kind.TAR);
        }
        if (n >= 4 && ((u(head, 0) == 0xFF && u(head, 1) == 0xFE && head[2] == 0 && head[3] == 0)
                || (head[0] == 0 && head[1] == 0 && u(head, 2) == 0xFE && u(head, 3) == 0xFF))) {
            return new Sniff(Kind.UNSUPPORTED, "UTF-32 text");
        }
        if (n >= 2 && u(head, 0) == 0xFF && u(head, 1) == 0xFE) {
            return of(Kind.UTF16LE_BOM);
        }
        if (n >= 2 && u(head, 0) == 0xFE && u(head, 1) == 0xFF) {
            return of(Kind.UTF16BE_BOM);
        }
        if (n >= 3 && u(head, 0) == 0xEF && u(head, 1) == 0xBB && u(head, 2) == 0xBF) {
            return of(Kind.UTF8_BOM);
        }
        String unsupported = unsupportedFormat(head, n);
        if (unsupported != null) {
            return new Sniff(Kind.UNSUPPORTED, unsupported);
        }
        String binary = binaryFormat(head, n);
        if (binary != null) {
            return new Sniff(Kind.BINARY, binary);
        }
        if (n >= 16) {
            int pairs = Math.min(n / 2, 2048);
            int zeroEven = 0;
            int zeroOdd = 0;
            int i = 0;
            for (; 2 * i + 8 <= 2 * pairs; i += 4) { // four pairs at a time
                long z = zeros((long) LONGS.get(head, 2 * i));
                zeroEven += Long.bitCount(z & EVEN_LANES);
                zeroOdd += Long.bitCount(z & ~EVEN_LANES);
            }
            for (; i < pairs; i++) {
                zeroEven += head[2 * i] == 0 ? 1 : 0;
                zeroOdd += head[2 * i + 1] == 0 ? 1 : 0;
            }
            if (zeroOdd * 10 >= pairs * 9 && zeroEven * 10 <= pairs) {
                return of(Kind.UTF16LE);
            }
            if (zeroEven * 10 >= pairs * 9 && zeroOdd * 10 <= pairs) {
                return of(Kind.UTF16BE);
            }
        }
        int control = 0;
        int i = 0;
        for (; i + 8 <= n; i += 8) { // eight bytes at a time: NUL, then control bytes other than \t \n \f \r ESC
            long x = (long) LONGS.get(head, i);
            if (zeros(x) != 0) {
                return new Sniff(Kind.BINARY, "binary content (NUL bytes)");
            }
            long low = x & LOWS;
            long below20 = (ONES * (127 + 0x20) - low) & ~x & HIGHS; // bytes 0x00-0x1F (none is 0 here)
            long allowed = zeros(x ^ (ONES * '\t')) | zeros(x ^ (ONES * '\n')) | zeros(x ^ (ONES * '\r'))
                    | zeros(x ^ (ONES * '\f')) | zeros(x ^ (ONES * 0x1b));
            control += Long.bitCount(below20 & ~allowed);
        }
        for (; i < n; i++) {
            int c = head[i] & 0xff;
            if (c == 0) {
                return new Sniff(Kind.BINARY, "binary content (NUL bytes)");
            }
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) {
                control++;
            }
        }
        if (control * 10 > n) {
            return new Sniff(Kind.BINARY, "binary content (control bytes)");
        }
        return of(Kind.TEXT);
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class,
            java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LOWS = 0x7F7F7F7F7F7F7F7FL;
    /** The high bits of the bytes at even offsets of a little-endian long. */
    private static final long EVEN_LANES = 0x0080008000800080L;

    /** The high bit of each zero byte of {@code x} (exact). */
    private static long zeros(long x) {
        return ~(((x & LOWS) + LOWS) | x) & HIGHS;
    }

    private static String unsupportedFormat(byte[] h, int n) {
        if (starts(h, n, 0xFD, '7', 'z', 'X', 'Z', 0)) {
            return "xz-compressed content";
        }
        if (starts(h, n, 0x28, 0xB5, 0x2F, 0xFD)) {
            return "zstd-compressed content";
        }
        if (starts(h, n, '7', 'z', 0xBC, 0xAF, 0x27, 0x1C)) {
            return "7z archive";
        }
        if (starts(h, n, 'R', 'a', 'r', '!')) {
            return "RAR archive";
        }
        return null;
    }

    private static String binaryFormat(byte[] h, int n) {
        if (starts(h, n, 0x89, 'P', 'N', 'G')) {
            return "binary content (PNG image)";
        }
        if (starts(h, n, 0xFF, 0xD8, 0xFF)) {
            return "binary content (JPEG image)";
        }
        if (starts(h, n, 'G', 'I', 'F', '8')) {
            return "binary content (GIF image)";
        }
        if (starts(h, n, '%', 'P', 'D', 'F', '-')) {
            return "binary content (PDF document)";
        }
        if (starts(h, n, 0x7F, 'E', 'L', 'F')) {
            return "binary content (ELF executable)";
        }
        if (starts(h, n, 0xCA, 0xFE, 0xBA, 0xBE)) {
            return "binary content (Java class file)";
        }
        if (starts(h, n, 0xD0, 0xCF, 0x11, 0xE0)) {
            return "binary content (OLE2 document)";
        }
        if (starts(h, n, 'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f', 'o', 'r', 'm', 'a', 't')) {
            return "binary content (SQLite database)";
        }
        return null;
    }

    private static boolean starts(byte[] h, int n, int... magic) {
        if (n < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((h[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static int u(byte[] h, int i) {
        return h[i] & 0xff;
    }
}
