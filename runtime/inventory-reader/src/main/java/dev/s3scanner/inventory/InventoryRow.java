package dev.s3scanner.inventory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One row of an inventory data file, decoded.
 *
 * @param key            the object key: decoded exactly once from the CSV's form encoding
 *                       ({@code +} is a space, {@code %XX} are UTF-8 bytes)
 * @param size           size in bytes (0 for a delete marker)
 * @param versionId      version id, or {@code null} (unversioned report or bucket)
 * @param latest         whether this is the current version ({@code true} when the report has no IsLatest)
 * @param deleteMarker   whether this row is a delete marker ({@code false} when the report has no IsDeleteMarker)
 * @param etag           the ETag in ListObjectsV2's quoted form, or {@code null}
 * @param storageClass   storage class, or {@code null}
 * @param lastModified   last-modified time, or {@code null}
 */
public record InventoryRow(String key, long size, String versionId, boolean latest, boolean deleteMarker, String etag,
                           String storageClass, Instant lastModified) {

    /**
     * Decodes a CSV row.
     *
     * <p>S3 Inventory writes CSV keys URL-encoded (S3 User Guide, "Amazon S3 Inventory list": "the
     * key name is URL-encoded"), with form encoding: a space is {@code +}, a real {@code +} is
     * {@code %2B}. The key is decoded once, always (also when it holds no {@code %}); decoding twice
     * would turn {@code team%2Bnotes} into {@code team notes} and fail on {@code 50%25}.
     *
     * @param fields  the row's fields
     * @param columns where each field is
     * @param where   the file and row, for error messages
     * @throws InventoryException when the row has the wrong number of fields or a field cannot be read
     */
    public static InventoryRow fromCsv(String[] fields, InventoryColumns columns, String where) {
        if (fields.length != columns.count()) {
            throw new InventoryException(where + " has " + fields.length + " fields, the manifest's fileSchema has "
                    + columns.count());
        }
        String encodedKey = fields[columns.key()];
        String key;
        try {
            key = URLDecoder.decode(encodedKey, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InventoryException(where + ": key '" + encodedKey + "' is not URL-encoded: " + e.getMessage(), e);
        }
        boolean deleteMarker = columns.isDeleteMarker() >= 0 && Boolean.parseBoolean(fields[columns.isDeleteMarker()]);
        boolean latest = columns.isLatest() < 0 || Boolean.parseBoolean(fields[columns.isLatest()]);
        String sizeText = fields[columns.size()];
        long size;
        try {
            size = sizeText.isEmpty() ? 0 : Long.parseLong(sizeText);
        } catch (NumberFormatException e) {
            throw new InventoryException(where + ": Size '" + sizeText + "' is not a number", e);
        }
        Instant lastModified = null;
        if (columns.lastModified() >= 0 && !fields[columns.lastModified()].isEmpty()) {
            try {
                lastModified = Instant.parse(fields[columns.lastModified()]);
            } catch (DateTimeParseException e) {
                throw new InventoryException(where + ": LastModifiedDate '" + fields[columns.lastModified()]
                        + "' is not an ISO-8601 instant", e);
            }
        }
        String etag = field(fields, columns.etag());
        if (etag != null && !etag.startsWith("\"")) {
            etag = "\"" + etag + "\"";
        }
        return new InventoryRow(key, size, field(fields, columns.versionId()), latest, deleteMarker, etag,
                field(fields, columns.storageClass()), lastModified);
    }

    private static String field(String[] fields, int position) {
        return position < 0 || fields[position].isEmpty() ? null : fields[position];
    }
}
