package dev.s3scanner.core.detect;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipMethod;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Runs the detectors over an object's content as a stream, in bounded memory.
 *
 * <p><b>Streaming.</b> Text is read in chunks of {@link Builder#chunkBytes} bytes into one window
 * buffer that also keeps the {@value #PREFIX} bytes before the chunk and reads {@value #OVERLAP}
 * bytes past it. Detectors report only values that start inside the chunk and use the rest for
 * boundary, keyword and pairing checks, so a value that straddles a chunk boundary is found exactly
 * once, at its true offset. Memory per scan is one window of about {@code chunkBytes} (kept per
 * thread and reused; objects under 8 KiB need none) plus 64 KiB of read buffer per open archive
 * level, whatever the object's size; UTF-16 content needs about {@code 5 × chunkBytes} more.
 *
 * <p><b>Content.</b> The first 8 KiB of every entry are sniffed:
 * <ul>
 *   <li>gzip (every member of a multi-member file, read to the end of the stream, not to the first
 *       {@code available() == 0}), bzip2, zip and tar are opened, nested up to
 *       {@link Builder#maxArchiveDepth} levels, with at most {@link Builder#maxArchiveEntries}
 *       entries, {@link Builder#maxExpandedBytes} expanded bytes and, past 64 MiB expanded, a
 *       compression ratio of at most {@link Builder#maxCompressionRatio}; beyond those bounds the
 *       outcome is {@link ScanOutcome#ARCHIVE_LIMIT} with the findings made so far;</li>
 *   <li>zip entries that are encrypted or use a compression method we cannot read, UTF-32 text and
 *       xz, zstd, 7z and RAR content make the outcome {@link ScanOutcome#UNSUPPORTED} (other entries
 *       are still scanned);</li>
 *   <li>UTF-16 with a byte-order mark, and UTF-16 without one whose every other byte is NUL, is
 *       transcoded; offsets stay in the original bytes;</li>
 *   <li>a UTF-8 BOM is skipped; UTF-8, ISO-8859-1 and CP1252 are scanned as bytes (the detectors
 *       match ASCII shapes), so a malformed byte never stops the scan;</li>
 *   <li>anything else with a NUL byte or over 10% control bytes in its first 8 KiB, or a known binary
 *       format (PNG, JPEG, GIF, PDF, ELF, class, OLE2, SQLite), is skipped: the outcome is
 *       {@link ScanOutcome#BINARY} with the format in the detail. Binary entries inside an archive
 *       are skipped the same way; the archive is {@code BINARY} only when no entry was text.
 *       Printable runs inside binary content are not scanned.</li>
 * </ul>
 *
 * <p><b>Findings</b> carry the detector id, the byte offset in the decoded entry, the entry path
 * inside archives ({@code "dir/a.zip!/b.csv"}), the masked value and a redacted context
 * ({@link Redaction}); never the raw value. Values matching the job's allow list are dropped. At
 * most {@link Builder#maxFindings} are kept per object; {@link ScanResult#findingCount()} counts all.
 *
 * <p>Instances are immutable and thread-safe; one scan uses one thread.
 */
public final class ContentScanner {
    /** Bytes of look-back kept before each chunk: boundary, keyword and pairing checks, context. */
    static final int PREFIX = 512;
    /** Bytes read past each chunk, so matches starting inside it can be completed and checked. */
    static final int OVERLAP = 512;
    private static final int SNIFF = 8192;
    private static final int READ_BUFFER = 65536;
    private static final ThreadLocal<byte[]> WINDOW = new ThreadLocal<>();
    private static final long RATIO_FLOOR = 64L << 20;

    private final BuiltInScan builtIn;
    private final List<Detector> others;
    private final AllowFilter allow;
    private final int chunkBytes;
    private final int maxFindings;
    private final int maxArchiveDepth;
    private final int maxArchiveEntries;
    private final long maxExpandedBytes;
    private final int maxCompressionRatio;

    private ContentScanner(Builder b) {
        int kinds = 0;
        List<Detector> rest = new ArrayList<>();
        for (Detector d : b.detectors) {
            int k = builtInKind(d);
            if (k != 0) {
                kinds |= k;
            } else {
                rest.add(d);
            }
        }
        if (kinds == 0 && rest.isEmpty()) {
            throw new IllegalArgumentException("no detectors to run");
        }
        this.builtIn = kinds == 0 ? null : new BuiltInScan(kinds);
        this.others = List.copyOf(rest);
        this.allow = b.allowList.isEmpty() ? null : new AllowFilter(b.allowList);
        this.chunkBytes = b.chunkBytes;
        this.maxFindings = b.maxFindings;
        this.maxArchiveDepth = b.maxArchiveDepth;
        this.maxArchiveEntries = b.maxArchiveEntries;
        this.maxExpandedBytes = b.maxExpandedBytes;
        this.maxCompressionRatio = b.maxCompressionRatio;
    }

    /** A scanner with every built-in detector and default limits. */
    public static ContentScanner defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A scanner for one job's {@link DetectionOptions}, with default limits.
     *
     * @throws IllegalArgumentException when a custom regex or allow-list pattern is invalid (only
     *                                  possible for options built around their constructor checks)
     */
    public static ContentScanner forOptions(DetectionOptions options) {
        return builder().options(options).build();
    }

    /** The built-in detectors, in overlap priority order (earlier wins when two matches overlap). */
    public static List<Detector> builtInDetectors() {
        return List.of(new AwsAccessKeyIdDetector(), new AwsSecretAccessKeyDetector(), new CreditCardDetector(),
                new SsnDetector(), new EmailDetector(), new UsPhoneDetector());
    }

    private static int builtInKind(Detector d) {
        if (d instanceof AwsAccessKeyIdDetector) {
            return BuiltInScan.KEY_ID;
        }
        if (d instanceof AwsSecretAccessKeyDetector) {
            return BuiltInScan.SECRET;
        }
        if (d instanceof CreditCardDetector) {
            return BuiltInScan.CARD;
        }
        if (d instanceof SsnDetector) {
            return BuiltInScan.SSN;
        }
        if (d instanceof EmailDetector) {
            return BuiltInScan.EMAIL;
        }
        if (d instanceof UsPhoneDetector) {
            return BuiltInScan.PHONE;
        }
        return 0;
    }

    /**
     * Scans a whole stream. The stream is read to its end (or to the point where scanning stops)
     * but not closed.
     *
     * @param in the object's bytes
     * @return the outcome and the findings, in offset order within each entry, at most {@code maxFindings}
     * @throws IOException when reading {@code in} fails (not when the content is malformed: damaged
     *                     compressed data is {@link ScanOutcome#CORRUPT})
     */
    public ScanResult scan(InputStream in) throws IOException {
        CountingInputStream counting = new CountingInputStream(in);
        State st = new State(counting);
        ScanOutcome outcome;
        String detail;
        try {
            scanEntry(counting, "", 0, st);
            if (st.unreadable > 0) {
                outcome = ScanOutcome.UNSUPPORTED;
                detail = st.unreadableDetail + (st.unreadable > 1 ? " (and " + (st.unreadable - 1) + " more)" : "");
            } else if (st.text == 0 && st.binary > 0) {
                outcome = ScanOutcome.BINARY;
                detail = st.binaryDetail + (st.binary > 1 ? " (and " + (st.binary - 1) + " more entries)" : "");
            } else {
                outcome = ScanOutcome.SCANNED;
                detail = null;
            }
        } catch (ArchiveLimitException e) {
            outcome = ScanOutcome.ARCHIVE_LIMIT;
            detail = e.getMessage();
        } catch (IOException e) {
            if (counting.failed) {
                throw e;
            }
            outcome = ScanOutcome.CORRUPT;
            detail = "damaged compressed content: " + e.getMessage();
        }
        return new ScanResult(outcome, detail, st.findings, st.count, counting.count);
    }

    private void scanEntry(InputStream in, String entryPath, int depth, State st) throws IOException {
        byte[] head = new byte[SNIFF];
        int n = in.readNBytes(head, 0, SNIFF);
        Sniff sniff = Sniff.of(head, n);
        String where = entryPath.isEmpty() ? "" : " in " + entryPath;
        switch (sniff.kind) {
            case GZIP:
                checkDepth(depth, entryPath);
                GzipCompressorInputStream gz = GzipCompressorInputStream.builder().setInputStream(buffered(head, n, in))
                        .setDecompressConcatenated(true).get();
                scanEntry(limited(gz, st), entryPath, depth + 1, st);
                return;
            case BZIP2:
                checkDepth(depth, entryPath);
                scanEntry(limited(new BZip2CompressorInputStream(buffered(head, n, in), true), st), entryPath, depth + 1, st);
                return;
            case ZIP:
                checkDepth(depth, entryPath);
                scanZip(buffered(head, n, in), entryPath, depth + 1, st);
                return;
            case TAR:
                checkDepth(depth, entryPath);
                scanTar(buffered(head, n, in), entryPath, depth + 1, st);
                return;
            case UTF16LE_BOM:
            case UTF16BE_BOM:
            case UTF16LE:
            case UTF16BE: {
                boolean bom = sniff.kind == Sniff.Kind.UTF16LE_BOM || sniff.kind == Sniff.Kind.UTF16BE_BOM;
                boolean bigEndian = sniff.kind == Sniff.Kind.UTF16BE_BOM || sniff.kind == Sniff.Kind.UTF16BE;
                InputStream whole = new SequenceInputStream(new ByteArrayInputStream(head, bom ? 2 : 0, n - (bom ? 2 : 0)), in);
                scanUtf16(whole, bom ? 2 : 0, bigEndian, entryPath, st);
                st.text++;
                return;
            }
            case UTF8_BOM:
                scanText(head, 3, n, in, entryPath, st);
                st.text++;
                return;
            case TEXT:
                scanText(head, 0, n, in, entryPath, st);
                st.text++;
                return;
            case BINARY:
                if (st.binary++ == 0) {
                    st.binaryDetail = sniff.what + where;
                }
                return;
            case UNSUPPORTED:
            default:
                st.unreadable(sniff.what + " is not supported" + where);
        }
    }

    /** The entry again from its first byte (the sniffed head, then the rest), buffered for a decoder. */
    private static InputStream buffered(byte[] head, int n, InputStream rest) {
        return new BufferedInputStream(new SequenceInputStream(new ByteArrayInputStream(head, 0, n), rest), READ_BUFFER);
    }

    private InputStream limited(InputStream expanded, State st) {
        return new LimitedInputStream(expanded, st);
    }

    private void scanZip(InputStream in, String entryPath, int depth, State st) throws IOException {
        ZipArchiveInputStream zip = new ZipArchiveInputStream(in, "UTF-8", true, true);
        ZipArchiveEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
            countEntry(st);
            if (entry.isDirectory()) {
                continue;
            }
            String path = join(entryPath, entry.getName());
            if (!zip.canReadEntryData(entry)) {
                String why = entry.getGeneralPurposeBit().usesEncryption() ? "encrypted zip entry"
                        : "zip compression method " + methodName(entry.getMethod());
                st.unreadable(why + " is not supported in " + path);
                continue;
            }
            scanEntry(limited(zip, st), path, depth, st);
        }
    }

    private void scanTar(InputStream in, String entryPath, int depth, State st) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        ArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            countEntry(st);
            if (entry.isDirectory() || !tar.canReadEntryData(entry) || !tar.getCurrentEntry().isFile()) {
                continue;
            }
            scanEntry(limited(tar, st), join(entryPath, entry.getName()), depth, st);
        }
    }

    private static String methodName(int method) {
        ZipMethod m = ZipMethod.getMethodByCode(method);
        return m == null ? String.valueOf(method) : m.name();
    }

    private static String join(String outer, String inner) {
        return outer.isEmpty() ? inner : outer + "!/" + inner;
    }

    private void countEntry(State st) {
        if (++st.entries > maxArchiveEntries) {
            throw new ArchiveLimitException("archive has more than " + maxArchiveEntries + " entries");
        }
    }

    private void checkDepth(int depth, String entryPath) {
        if (depth >= maxArchiveDepth) {
            throw new ArchiveLimitException("archives nested deeper than " + maxArchiveDepth + " levels"
                    + (entryPath.isEmpty() ? "" : " at " + entryPath));
        }
    }

    /**
     * Scans 8-bit text (UTF-8, ISO-8859-1, CP1252): {@code head[0, n)} holds the entry's first bytes
     * (all of it when {@code n < SNIFF}), of which the first {@code skip} (a byte-order mark) are not
     * text; the rest of the entry follows in {@code in}. Offsets count from the entry's first byte.
     */
    private void scanText(byte[] head, int skip, int n, InputStream in, String entryPath, State st) throws IOException {
        if (n < SNIFF) { // the whole entry is in head: scan it in place
            System.arraycopy(head, skip, head, 0, n - skip);
            scanWindow(head, null, n - skip, 0, n - skip, skip, 1, entryPath, st);
            return;
        }
        byte[] buf = window(PREFIX + chunkBytes + OVERLAP);
        int len = Math.min(n - skip, buf.length);
        System.arraycopy(head, skip, buf, 0, len);
        if (skip + len < n) { // a window smaller than the head: the rest of the head is read first
            in = new SequenceInputStream(new ByteArrayInputStream(head, skip + len, n - skip - len), in);
        }
        long base = skip; // entry offset of buf[0]
        int from = 0;
        while (true) {
            len += in.readNBytes(buf, len, buf.length - len);
            boolean eof = len < buf.length;
            int to = eof ? len : len - OVERLAP;
            scanWindow(buf, null, len, from, to, base, 1, entryPath, st);
            if (eof) {
                return;
            }
            int keep = to - PREFIX;
            System.arraycopy(buf, keep, buf, 0, len - keep);
            base += keep;
            len -= keep;
            from = PREFIX;
        }
    }

    /**
     * This thread's window buffer of {@code size} bytes. Text scans never nest (archives are opened
     * before, not during, a text scan), so one buffer per thread serves every entry of every object.
     */
    private static byte[] window(int size) {
        byte[] w = WINDOW.get();
        if (w == null || w.length != size) {
            w = new byte[size];
            WINDOW.set(w);
        }
        return w;
    }

    /** Scans UTF-16 text whose first code unit is at byte {@code baseOffset} of its entry. */
    private void scanUtf16(InputStream in, long baseOffset, boolean bigEndian, String entryPath, State st)
            throws IOException {
        int cap = PREFIX + chunkBytes + OVERLAP;
        char[] chars = new char[cap];
        byte[] view = new byte[cap];
        byte[] raw = new byte[2 * cap];
        int len = 0; // code units in the window
        long base = baseOffset;
        int from = 0;
        while (true) {
            int want = 2 * (cap - len);
            int n = in.readNBytes(raw, 0, want);
            int units = n / 2;
            int hi = bigEndian ? 0 : 1;
            for (int k = 0; k < units; k++) {
                char c = (char) (((raw[2 * k + hi] & 0xff) << 8) | (raw[2 * k + 1 - hi] & 0xff));
                chars[len + k] = c;
                view[len + k] = c < 0x80 ? (byte) c : (byte) 0x80;
            }
            len += units;
            boolean eof = n < want;
            int to = eof ? len : len - OVERLAP;
            scanWindow(view, chars, len, from, to, base, 2, entryPath, st);
            if (eof) {
                return;
            }
            int keep = to - PREFIX;
            System.arraycopy(chars, keep, chars, 0, len - keep);
            System.arraycopy(view, keep, view, 0, len - keep);
            base += 2L * keep;
            len -= keep;
            from = PREFIX;
        }
    }

    private void scanWindow(byte[] t, char[] chars, int len, int from, int to, long base, int unit, String entryPath,
                            State st) {
        BuiltInScan.Found found = st.found;
        found.size = 0;
        if (builtIn != null) {
            builtIn.scan(t, len, from, to, found);
        }
        List<Match> extra = null;
        for (Detector d : others) {
            if (extra == null) {
                extra = new ArrayList<>();
            }
            d.find(t, len, from, to, extra::add);
        }
        if (found.size == 0 && (extra == null || extra.isEmpty())) {
            return;
        }
        found.resolve();
        if (st.findings.size() >= maxFindings && allow == null) {
            // past the cap only the count changes: no masks, no context
            for (int i = 0; i < found.size; i++) {
                if (found.start[i] >= from && found.start[i] < to) {
                    st.count++;
                }
            }
            if (extra != null) {
                st.count += extra.size();
            }
            return;
        }
        Redaction.Spans spans = extra == null || extra.isEmpty() ? Redaction.Spans.of(found) : Redaction.Spans.of(found, extra);
        // the findings of this window, then their contexts, one decoded region per cluster of findings
        int[] report = null;
        int n = 0;
        for (int k = 0; k < spans.size; k++) {
            int s = spans.start[k];
            if (s < from || s >= to) {
                continue;
            }
            if (allow != null && allow.allows(spans.detector(k), Redaction.slice(t, chars, s, spans.end[k]))) {
                continue;
            }
            st.count++;
            if (st.findings.size() + n < maxFindings) {
                if (report == null) {
                    report = new int[Math.min(spans.size - k, maxFindings - st.findings.size())];
                }
                report[n++] = k;
            }
        }
        int c = 0;
        while (c < n) {
            int rs = Redaction.regionStart(spans, report[c]);
            int re = Redaction.regionEnd(spans, report[c], len);
            int d = c + 1;
            while (d < n && Redaction.regionStart(spans, report[d]) <= re + 256) {
                re = Math.max(re, Redaction.regionEnd(spans, report[d], len));
                d++;
            }
            Redaction.Region region = new Redaction.Region(t, chars, len, rs, re, spans, report[c]);
            for (int x = c; x < d; x++) {
                int k = report[x];
                st.findings.add(new Finding(spans.detector(k), base + (long) unit * spans.start[k], entryPath,
                        spans.masked(k, t), region.context(spans, k)));
            }
            c = d;
        }
    }

    /** Everything one scan accumulates. */
    private static final class State {
        final CountingInputStream source;
        final BuiltInScan.Found found = new BuiltInScan.Found();
        final List<Finding> findings = new ArrayList<>();
        long count;
        int entries;
        long expanded;
        int text;
        int binary;
        String binaryDetail;
        int unreadable;
        String unreadableDetail;

        State(CountingInputStream source) {
            this.source = source;
        }

        void unreadable(String detail) {
            if (unreadable++ == 0) {
                unreadableDetail = detail;
            }
        }
    }

    private static final class ArchiveLimitException extends RuntimeException {
        ArchiveLimitException(String message) {
            super(message, null, false, false);
        }
    }

    /** Counts expanded bytes against the size and ratio limits; never closes the stream under it. */
    private final class LimitedInputStream extends InputStream {
        private final InputStream in;
        private final State st;

        LimitedInputStream(InputStream in, State st) {
            this.in = in;
            this.st = st;
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
            st.expanded += n;
            if (st.expanded > maxExpandedBytes) {
                throw new ArchiveLimitException("expanded content exceeds " + maxExpandedBytes + " bytes");
            }
            if (st.expanded > RATIO_FLOOR && st.expanded > (long) maxCompressionRatio * Math.max(1, st.source.count)) {
                throw new ArchiveLimitException("compression ratio exceeds " + maxCompressionRatio + ":1 ("
                        + st.expanded + " bytes expanded from " + st.source.count + ")");
            }
        }

        @Override
        public void close() {
            // the archive or compressor stream below is closed by its owner
        }
    }

    /** Counts bytes read from the object and remembers whether reading it failed. */
    private static final class CountingInputStream extends InputStream {
        private final InputStream in;
        long count;
        boolean failed;

        CountingInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            try {
                int b = in.read();
                if (b >= 0) {
                    count++;
                }
                return b;
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = in.read(b, off, len);
                if (n > 0) {
                    count += n;
                }
                return n;
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                long s = in.skip(n);
                count += Math.max(0, s);
                return s;
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }

    /** Builds a {@link ContentScanner}. */
    public static final class Builder {
        private List<Detector> detectors = builtInDetectors();
        private AllowList allowList = AllowList.EMPTY;
        private int chunkBytes = 256 * 1024;
        private int maxFindings = 1000;
        private int maxArchiveDepth = 4;
        private int maxArchiveEntries = 10_000;
        private long maxExpandedBytes = 4L << 30;
        private int maxCompressionRatio = 1000;

        private Builder() {
        }

        /**
         * Detectors to run. Built-in ones run together in one pass, in {@link DetectionOptions#BUILT_IN}
         * priority; others run after them, each over every window. @default {@link #builtInDetectors()}
         */
        public Builder detectors(List<Detector> detectors) {
            this.detectors = List.copyOf(Objects.requireNonNull(detectors, "detectors"));
            return this;
        }

        /** The detectors and allow list of a job: replaces {@link #detectors} and {@link #allowList}. */
        public Builder options(DetectionOptions options) {
            Objects.requireNonNull(options, "options");
            List<Detector> list = new ArrayList<>();
            for (Detector d : builtInDetectors()) {
                if (options.enabledDetectors().contains(d.id())) {
                    list.add(d);
                }
            }
            for (CustomDetector c : options.customDetectors()) {
                list.add(c.toDetector());
            }
            this.detectors = List.copyOf(list);
            this.allowList = options.allowList();
            return this;
        }

        /** Values not to report. @default {@link AllowList#EMPTY} */
        public Builder allowList(AllowList allowList) {
            this.allowList = Objects.requireNonNull(allowList, "allowList");
            return this;
        }

        /** Bytes read per chunk; memory per scan is about twice this. @default 256 KiB; at least 4 KiB */
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

        /** Nested archive and compression levels opened (gzip, bzip2, zip and tar each count one). @default 4 */
        public Builder maxArchiveDepth(int maxArchiveDepth) {
            if (maxArchiveDepth < 0) {
                throw new IllegalArgumentException("maxArchiveDepth must be at least 0, was " + maxArchiveDepth);
            }
            this.maxArchiveDepth = maxArchiveDepth;
            return this;
        }

        /** Entries read from archives per object, nested ones included. @default 10,000 */
        public Builder maxArchiveEntries(int maxArchiveEntries) {
            if (maxArchiveEntries < 1) {
                throw new IllegalArgumentException("maxArchiveEntries must be at least 1, was " + maxArchiveEntries);
            }
            this.maxArchiveEntries = maxArchiveEntries;
            return this;
        }

        /** Bytes expanded from compressed content per object. @default 4 GiB */
        public Builder maxExpandedBytes(long maxExpandedBytes) {
            if (maxExpandedBytes < 1) {
                throw new IllegalArgumentException("maxExpandedBytes must be at least 1, was " + maxExpandedBytes);
            }
            this.maxExpandedBytes = maxExpandedBytes;
            return this;
        }

        /**
         * Largest ratio of expanded bytes to bytes read from the object, checked once more than 64 MiB
         * has been expanded (deflate peaks near 1032:1; real text rarely passes 100:1). @default 1000
         */
        public Builder maxCompressionRatio(int maxCompressionRatio) {
            if (maxCompressionRatio < 1) {
                throw new IllegalArgumentException("maxCompressionRatio must be at least 1, was " + maxCompressionRatio);
            }
            this.maxCompressionRatio = maxCompressionRatio;
            return this;
        }

        /**
         * @throws IllegalArgumentException when no detector is given, or a custom regex or allow-list
         *                                  pattern breaks the rules of {@link CustomDetector}
         */
        public ContentScanner build() {
            return new ContentScanner(this);
        }
    }
}
