package dev.s3scanner.inventory;

import java.util.List;

/**
 * Positions of the fields this reader uses within a data file's rows, taken from the manifest's
 * {@code fileSchema} (field names as in the S3 User Guide, "Amazon S3 Inventory list": Bucket,
 * Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, ETag, StorageClass, …).
 * A position is -1 when the report does not have that field.
 *
 * @param bucket         Bucket
 * @param key            Key (URL-encoded in CSV reports)
 * @param versionId      VersionId
 * @param isLatest       IsLatest
 * @param isDeleteMarker IsDeleteMarker
 * @param size           Size
 * @param lastModified   LastModifiedDate
 * @param etag           ETag
 * @param storageClass   StorageClass
 * @param count          the number of fields in a row
 */
public record InventoryColumns(int bucket, int key, int versionId, int isLatest, int isDeleteMarker, int size,
                               int lastModified, int etag, int storageClass, int count) {

    /**
     * Reads the positions from a {@code fileSchema}.
     *
     * @throws InventoryException when the schema lacks Key or Size (Size decides folder markers and
     *                            the worker's size limit)
     */
    public static InventoryColumns of(List<String> fileSchema) {
        InventoryColumns c = new InventoryColumns(fileSchema.indexOf("Bucket"), fileSchema.indexOf("Key"),
                fileSchema.indexOf("VersionId"), fileSchema.indexOf("IsLatest"), fileSchema.indexOf("IsDeleteMarker"),
                fileSchema.indexOf("Size"), fileSchema.indexOf("LastModifiedDate"), fileSchema.indexOf("ETag"),
                fileSchema.indexOf("StorageClass"), fileSchema.size());
        if (c.key < 0) {
            throw new InventoryException("the inventory's fileSchema has no Key field: " + String.join(", ", fileSchema));
        }
        if (c.size < 0) {
            throw new InventoryException("the inventory's fileSchema has no Size field: add Size to the inventory"
                    + " configuration's optional fields (" + String.join(", ", fileSchema) + ")");
        }
        return c;
    }
}
