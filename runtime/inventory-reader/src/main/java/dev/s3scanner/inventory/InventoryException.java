package dev.s3scanner.inventory;

/**
 * An S3 Inventory report that cannot be used: a manifest that does not match its
 * {@code manifest.checksum}, a data file whose MD5 differs from the manifest's, an unreadable
 * gzip or CSV stream, an undecodable key, or a format this reader does not read. Permanent:
 * retrying reads the same bytes. The message is the reason shown to users.
 */
public final class InventoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param reason the reason, shown to users */
    public InventoryException(String reason) {
        super(reason);
    }

    /**
     * @param reason the reason, shown to users
     * @param cause  the underlying error
     */
    public InventoryException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
