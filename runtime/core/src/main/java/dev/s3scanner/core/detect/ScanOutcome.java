package dev.s3scanner.core.detect;

/**
 * How the content of one object was handled by {@link ContentScanner}. Every value but
 * {@link #SCANNED} comes with a {@link ScanResult#detail()} naming the reason.
 */
public enum ScanOutcome {
    /** The content (every entry of an archive) was decoded and every detector ran over all of it. */
    SCANNED,
    /**
     * The content is binary (a NUL byte or over 10% control bytes in its first 8 KiB, or a known
     * binary format such as PNG or PDF), or an archive whose entries all are; nothing was scanned.
     */
    BINARY,
    /**
     * Some content is in a form the scanner does not read: an encrypted zip entry, a zip entry whose compression
     * method Commons Compress cannot stream, UTF-32 text, or xz,
     * zstd, 7z or RAR content. The findings of the other entries of an archive are still reported.
     */
    UNSUPPORTED,
    /**
     * An archive exceeded the depth, entry-count, expanded-size or compression-ratio bounds (a
     * possible decompression bomb); scanning stopped there, and the findings made before are reported.
     */
    ARCHIVE_LIMIT,
    /** Compressed content is damaged (for example a truncated gzip stream); the findings made before are reported. */
    CORRUPT
}
