package dev.s3scanner.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An S3 Inventory report's {@code manifest.json}: which bucket it lists, the data files' format
 * and column order, and each data file with its size and MD5.
 *
 * <p>Source: Amazon S3 User Guide, "Locating your inventory list" (manifest fields
 * {@code sourceBucket}, {@code destinationBucket}, {@code version}, {@code creationTimestamp},
 * {@code fileFormat} = {@code CSV} | {@code ORC} | {@code Parquet}, {@code fileSchema},
 * {@code files[].key|size|MD5checksum}).
 *
 * @param location          where the manifest is
 * @param sourceBucket      the bucket the inventory lists
 * @param destinationBucket the bucket holding the report (an ARN, as written in the manifest)
 * @param fileFormat        {@code CSV}, {@code ORC} or {@code Parquet}, as written
 * @param fileSchema        the column names in order, e.g. {@code [Bucket, Key, Size, ...]}
 * @param files             the data files, in manifest order
 */
public record InventoryManifest(S3Location location, String sourceBucket, String destinationBucket, String fileFormat,
                                List<String> fileSchema, List<DataFile> files) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public InventoryManifest {
        Objects.requireNonNull(location, "location");
        fileSchema = List.copyOf(fileSchema);
        files = List.copyOf(files);
    }

    /**
     * One data file of the report.
     *
     * @param key         its key in the destination bucket
     * @param size        its size in bytes
     * @param md5Checksum the MD5 of its bytes (hex), as the manifest gives it
     */
    public record DataFile(String key, long size, String md5Checksum) {
    }

    /**
     * Parses a manifest.
     *
     * @param location where it was read from
     * @param json     its bytes
     * @throws InventoryException when it is not JSON or lacks {@code sourceBucket}, {@code fileFormat},
     *                            {@code fileSchema} or {@code files}
     */
    public static InventoryManifest parse(S3Location location, byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new InventoryException("inventory manifest " + location + " is not JSON: " + e.getMessage(), e);
        }
        String source = required(root, "sourceBucket", location);
        String format = required(root, "fileFormat", location);
        List<String> schema = Arrays.stream(required(root, "fileSchema", location).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        JsonNode filesNode = root.get("files");
        if (filesNode == null || !filesNode.isArray()) {
            throw new InventoryException("inventory manifest " + location + " has no files array");
        }
        List<DataFile> files = new ArrayList<>();
        for (JsonNode f : filesNode) {
            files.add(new DataFile(required(f, "key", location), f.path("size").asLong(-1),
                    required(f, "MD5checksum", location).toLowerCase(Locale.ROOT)));
        }
        return new InventoryManifest(location, source, root.path("destinationBucket").asText(null), format, schema, files);
    }

    private static String required(JsonNode node, String field, S3Location location) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            throw new InventoryException("inventory manifest " + location + " has no " + field);
        }
        return v.asText();
    }

    /** The bucket holding the data files: {@code destinationBucket} without its ARN prefix, else the manifest's bucket. */
    public String dataBucket() {
        if (destinationBucket == null || destinationBucket.isBlank()) {
            return location.bucket();
        }
        String arnPrefix = "arn:aws:s3:::";
        return destinationBucket.startsWith(arnPrefix) ? destinationBucket.substring(arnPrefix.length()) : destinationBucket;
    }
}
