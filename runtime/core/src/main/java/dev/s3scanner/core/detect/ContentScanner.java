package dev.s3scanner.core.detect;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Runs the detectors over an object's content as a stream, in bounded memory.
 *
 * <p>The stream is read in chunks of {@link Builder#chunkBytes} bytes; each window also holds the
 * last bytes of the previous one, so a value that straddles a chunk boundary is found exactly once
 * at its true offset. Content handling:
 * <ul>
 *   <li>gzip (every member of a multi-member file) and zip archives are opened, to a bounded depth,
 *       entry count and expanded size; beyond those bounds the result is {@link ScanOutcome#ARCHIVE_LIMIT};</li>
 *   <li>a UTF-8 BOM is skipped; UTF-16 with a BOM is transcoded (offsets stay in the original bytes);</li>
 *   <li>UTF-8, ISO-8859-1 and CP1252 text are read byte by byte, so a malformed byte never stops the scan;</li>
 *   <li>content with NUL bytes or mostly control bytes in its first 8 KiB is {@link ScanOutcome#BINARY}.</li>
 * </ul>
 * Instances are immutable and thread-safe.
 */
public final class ContentScanner {
    /** Bytes of look-back kept before each window: keyword and boundary checks, context. */
    static final int PREFIX = 512;
    /** Bytes at the end of a window whose matches are left to the next window; longer than any value. */
    static final int OVERLAP = 512;
    private static final int SNIFF = 8192;
    private static final int CONTEXT = 40;

    private final List<Detector> detectors;
    private final int chunkBytes;
    private final int maxFindings;
    private final int maxArchiveDepth;
    private final int maxArchiveEntries;
    private final long maxExpandedBytes;

    private ContentScanner(Builder b) {
        this.detectors = List.copyOf(b.detectors);
        this.chunkBytes = b.chunkBytes;
        this.maxFindings = b.maxFindings;
        this.maxArchiveDepth = b.maxArchiveDepth;
        this.maxArchiveEntries = b.maxArchiveEntries;
        this.maxExpandedBytes = b.maxExpandedBytes;
    }

    /** A scanner with every built-in detector and default limits. */
    public static ContentScanner defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The built-in detectors, in overlap priority order (earlier wins when two matches overlap). */
    public static List<Detector> builtInDetectors() {
        return List.of(new AwsAccessKeyIdDetector(), new AwsSecretAccessKeyDetector(), new CreditCardDetector(),
                new SsnDetector(), new EmailDetector(), new UsPhoneDetector());
    }

    /**
     * Scans a whole stream. The stream is read to its end (or to the point where scanning stops)
     * but not closed.
     *
     * @param in the object's bytes
     * @return the outcome and the findings, in offset order, at most {@code maxFindings}
     * @throws IOException when reading the stream fails (not when the content is malformed)
     */
    public ScanResult scan(InputStream in) throws IOException {
        CountingInputStream counting = new CountingInputStream(in);
        Collector collector = new Collector(maxFindings);
        Limits limits = new Limits();
        ScanOutcome outcome;
        String detail = null;
        try {
            outcome = scanEntry(new BufferedInputStream(counting, 65536), "", 0, collector, limits);
            detail = limits.detail;
        } catch (ArchiveLimitException e) {
            outcome = ScanOutcome.ARCHIVE_LIMIT;
            detail = e.getMessage();
        } catch (ZipException | EOFException e) {
            outcome = ScanOutcome.CORRUPT;
            detail = "damaged compressed content: " + e.getMessage();
        }
        if (outcome == ScanOutcome.SCANNED) {
            detail = null;
        }
        return new ScanResult(outcome, detail, collector.findings, collector.count, counting.count);
    }

    private ScanOutcome scanEntry(BufferedInputStream in, String entryPath, int depth, Collector out, Limits limits)
            throws IOException {
        in.mark(SNIFF);
        byte[] head = in.readNBytes(SNIFF);
        in.reset();
        if (isGzip(head)) {
            checkDepth(depth, entryPath);
            GZIPInputStream gz = new GZIPInputStream(in, 65536);
            return scanEntry(new BufferedInputStream(new LimitedInputStream(gz, limits, maxExpandedBytes), 65536),
                    entryPath, depth + 1, out, limits);
        }
        if (isZip(head)) {
            checkDepth(depth, entryPath);
            return scanZip(in, entryPath, depth + 1, out, limits);
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE) {
            scanUtf16(in, entryPath, false, out);
            return ScanOutcome.SCANNED;
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF) {
            scanUtf16(in, entryPath, true, out);
            return ScanOutcome.SCANNED;
        }
        if (isBinary(head)) {
            limits.detail = entryPath.isEmpty() ? "binary content" : "binary content in " + entryPath;
            return entryPath.isEmpty() ? ScanOutcome.BINARY : ScanOutcome.SCANNED;
        }
        long skip = 0;
        if (head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) {
            in.skipNBytes(3);
            skip = 3;
        }
        scanText(in, skip, entryPath, out);
        return ScanOutcome.SCANNED;
    }

    private ScanOutcome scanZip(InputStream in, String entryPath, int depth, Collector out, Limits limits) throws IOException {
        ZipInputStream zip = new ZipInputStream(in);
        ZipEntry entry;
        boolean any = false;
        while ((entry = zip.getNextEntry()) != null) {
            if (++limits.entries > maxArchiveEntries) {
                throw new ArchiveLimitException("archive has more than " + maxArchiveEntries + " entries");
            }
            if (entry.isDirectory()) {
                continue;
            }
            String path = entryPath.isEmpty() ? entry.getName() : entryPath + "!/" + entry.getName();
            scanEntry(new BufferedInputStream(new LimitedInputStream(zip, limits, maxExpandedBytes), 65536),
                    path, depth, out, limits);
            any = true;
        }
        if (!any && limits.entries == 0) {
            limits.detail = "empty or unreadable zip archive";
        }
        return ScanOutcome.SCANNED;
    }

    private void checkDepth(int depth, String entryPath) {
        if (depth >= maxArchiveDepth) {
            throw new ArchiveLimitException("archives nested deeper than " + maxArchiveDepth
                    + (entryPath.isEmpty() ? "" : " at " + entryPath));
        }
    }

    private void scanText(InputStream in, long baseOffset, String entryPath, Collector out) throws IOException {
        byte[] buf = new byte[PREFIX + OVERLAP + chunkBytes];
        int len = 0;
        long windowBase = baseOffset; // absolute offset of buf[0]
        int reportFrom = 0;
        while (true) {
            int n = in.readNBytes(buf, len, buf.length - len);
            len += n;
            boolean eof = len < buf.length;
            int reportTo = eof ? len : len - OVERLAP;
            String window = new String(buf, 0, len, StandardCharsets.ISO_8859_1);
            long base = windowBase;
            scanWindow(window, reportFrom, reportTo, offset -> base + offset, entryPath, out, true);
            if (eof) {
                return;
            }
            int keepFrom = reportTo - PREFIX;
            System.arraycopy(buf, keepFrom, buf, 0, len - keepFrom);
            windowBase += keepFrom;
            len -= keepFrom;
            reportFrom = PREFIX;
        }
    }

    private void scanUtf16(InputStream in, String entryPath, boolean bigEndian, Collector out) throws IOException {
        in.skipNBytes(2);
        byte[] buf = new byte[2 * (PREFIX + OVERLAP + chunkBytes)];
        char[] chars = new char[buf.length / 2];
        int len = 0; // bytes in buf
        long windowBase = 2; // absolute byte offset of buf[0]
        int reportFrom = 0;
        while (true) {
            int n = in.readNBytes(buf, len, buf.length - len);
            len += n;
            boolean eof = len < buf.length;
            int count = len / 2;
            for (int i = 0; i < count; i++) {
                int hi = buf[2 * i + (bigEndian ? 0 : 1)] & 0xff;
                int lo = buf[2 * i + (bigEndian ? 1 : 0)] & 0xff;
                int c = (hi << 8) | lo;
                chars[i] = c < 256 ? (char) c : '\u00bf';
            }
            int reportTo = eof ? count : count - OVERLAP;
            String window = new String(chars, 0, count);
            long base = windowBase;
            scanWindow(window, reportFrom, reportTo, offset -> base + 2L * offset, entryPath, out, false);
            if (eof) {
                return;
            }
            int keepFromChars = reportTo - PREFIX;
            int keepFrom = 2 * keepFromChars;
            System.arraycopy(buf, keepFrom, buf, 0, len - keepFrom);
            windowBase += keepFrom;
            len -= keepFrom;
            reportFrom = PREFIX;
        }
    }

    private interface OffsetMap {
        long toAbsolute(int windowIndex);
    }

    private void scanWindow(String window, int reportFrom, int reportTo, OffsetMap offsets, String entryPath,
                            Collector out, boolean utf8Context) {
        List<Match> all = new ArrayList<>();
        for (Detector d : detectors) {
            d.find(window, 0, window.length(), all::add);
        }
        if (all.isEmpty()) {
            return;
        }
        List<Match> kept = resolveOverlaps(all);
        for (Match m : kept) {
            if (m.start() >= reportFrom && m.start() < reportTo) {
                out.add(new Finding(m.detector(), offsets.toAbsolute(m.start()), entryPath, m.masked(),
                        context(window, m, kept, utf8Context)));
            }
        }
    }

    private List<Match> resolveOverlaps(List<Match> all) {
        List<String> priority = new ArrayList<>();
        for (Detector d : detectors) {
            priority.add(d.id());
        }
        List<Match> byPriority = new ArrayList<>(all);
        byPriority.sort(Comparator.comparingInt((Match m) -> priority.indexOf(m.detector()))
                .thenComparingInt(Match::start));
        List<Match> kept = new ArrayList<>();
        for (Match m : byPriority) {
            boolean overlaps = false;
            for (Match k : kept) {
                if (m.start() < k.end() && k.start() < m.end()) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) {
                kept.add(m);
            }
        }
        kept.sort(Comparator.comparingInt(Match::start));
        return kept;
    }

    /** The text around {@code m}, with every match in it masked and long digit runs hidden. */
    static String context(String window, Match m, List<Match> matches, boolean utf8) {
        int from = Math.max(0, m.start() - CONTEXT);
        int to = Math.min(window.length(), m.end() + CONTEXT);
        StringBuilder sb = new StringBuilder();
        int i = from;
        for (Match other : matches) {
            if (other.end() <= i || other.start() >= to) {
                continue;
            }
            if (other.start() > i) {
                sb.append(window, i, other.start());
            }
            if (other.start() >= from) {
                sb.append(other.masked());
            } else {
                sb.append("*".repeat(Math.min(other.end(), to) - i));
            }
            i = Math.max(i, other.end());
        }
        if (i < to) {
            sb.append(window, i, to);
        }
        String text = utf8 ? new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8) : sb.toString();
        return hideDigitRuns(text);
    }

    private static String hideDigitRuns(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int run = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            if (c >= '0' && c <= '9') {
                run++;
                continue;
            }
            if (run > 0) {
                String digits = text.substring(i - run, i);
                out.append(run >= 9 ? "#".repeat(run) : digits);
                run = 0;
            }
            if (i < text.length()) {
                out.append(Character.isISOControl(c) || c == '\uFFFD' ? ' ' : c);
            }
        }
        return out.toString();
    }

    private static boolean isGzip(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    private static boolean isZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    static boolean isBinary(byte[] head) {
        if (head.length == 0) {
            return false;
        }
        int control = 0;
        for (byte b : head) {
            int c = b & 0xff;
            if (c == 0) {
                return true;
            }
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) {
                control++;
            }
        }
        return control * 10 > head.length;
    }

    private static final class Collector {
        private final int max;
        final List<Finding> findings = new ArrayList<>();
        long count;

        Collector(int max) {
            this.max = max;
        }

        void add(Finding f) {
            count++;
            if (findings.size() < max) {
                findings.add(f);
            }
        }
    }

    private static final class Limits {
        int entries;
        long expanded;
        String detail;
    }

    private static final class ArchiveLimitException extends RuntimeException {
        ArchiveLimitException(String message) {
            super(message, null, false, false);
        }
    }

    private static final class LimitedInputStream extends InputStream {
        private final InputStream in;
        private final Limits limits;
        private final long max;

        LimitedInputStream(InputStream in, Limits limits, long max) {
            this.in = in;
            this.limits = limits;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            limits.expanded += n;
            if (limits.expanded > max) {
                throw new ArchiveLimitException("expanded content exceeds " + max + " bytes");
            }
        }

        @Override
        public void close() {
            // the enclosing stream is closed by the caller
        }
    }

    private static final class CountingInputStream extends InputStream {
        private final InputStream in;
        long count;

        CountingInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /** Builds a {@link ContentScanner}. */
    public static final class Builder {
        private List<Detector> detectors = builtInDetectors();
        private int chunkBytes = 1 << 20;
        private int maxFindings = 1000;
        private int maxArchiveDepth = 3;
        private int maxArchiveEntries = 10_000;
        private long maxExpandedBytes = 4L << 30;

        private Builder() {
        }

        /** Detectors to run, in overlap priority order. @default {@link #builtInDetectors()} */
        public Builder detectors(List<Detector> detectors) {
            this.detectors = List.copyOf(Objects.requireNonNull(detectors, "detectors"));
            return this;
        }

        /** Bytes read per chunk. @default 1 MiB; must be at least 4 KiB */
        public Builder chunkBytes(int chunkBytes) {
            if (chunkBytes < 4096) {
                throw new IllegalArgumentException("chunkBytes must be at least 4096, was " + chunkBytes);
            }
            this.chunkBytes = chunkBytes;
            return this;
        }

        /** Findings kept per object; more are counted but not kept. @default 1000 */
        public Builder maxFindings(int maxFindings) {
            if (maxFindings < 1) {
                throw new IllegalArgumentException("maxFindings must be at least 1, was " + maxFindings);
            }
            this.maxFindings = maxFindings;
            return this;
        }

        /** Nested archive levels opened (gzip and zip each count one). @default 3 */
        public Builder maxArchiveDepth(int maxArchiveDepth) {
            this.maxArchiveDepth = maxArchiveDepth;
            return this;
        }

        /** Entries read from archives per object. @default 10,000 */
        public Builder maxArchiveEntries(int maxArchiveEntries) {
            this.maxArchiveEntries = maxArchiveEntries;
            return this;
        }

        /** Bytes expanded from compressed content per object. @default 4 GiB */
        public Builder maxExpandedBytes(long maxExpandedBytes) {
            this.maxExpandedBytes = maxExpandedBytes;
            return this;
        }

        public ContentScanner build() {
            return new ContentScanner(this);
        }
    }
}
