package dev.s3scanner.core.detect;

/** How the content of one object was handled by {@link ContentScanner}. */
public enum ScanOutcome {
    /** The content was decoded and every detector ran over all of it. */
    SCANNED,
    /** The content is binary (not text in any supported encoding); nothing was scanned. */
    BINARY,
    /** The content is in a format the scanner does not read (for example an encrypted archive). */
    UNSUPPORTED,
    /** An archive exceeded the depth, size or entry-count bounds (a possible decompression bomb). */
    ARCHIVE_LIMIT,
    /** The content is damaged (for example a truncated gzip stream). */
    CORRUPT
}
