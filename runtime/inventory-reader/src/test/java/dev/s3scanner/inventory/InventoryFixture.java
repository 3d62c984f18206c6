package dev.s3scanner.inventory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Writes S3 Inventory reports into a folder that s3proxy serves (one sub-folder per bucket). */
final class InventoryFixture {
    static final String SOURCE = "example-src-bucket";
    static final String DESTINATION = "example-inventory-bucket";

    private InventoryFixture() {
    }

    static byte[] resource(String name) {
        try (InputStream in = InventoryFixture.class.getResourceAsStream("/cases/01/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void put(Path base, String bucket, String key, byte[] bytes) {
        try {
            Path f = base.resolve(bucket).resolve(key);
            Files.createDirectories(f.getParent());
            Files.write(f, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A data file entry of a manifest. */
    record File(String key, byte[] bytes, String md5) {
        File(String key, byte[] bytes) {
            this(key, bytes, InventoryFixture.md5(bytes));
        }
    }

    /**
     * Writes the data files, a manifest listing them (with the given MD5s) and its
     * manifest.checksum (unless {@code checksum} is null) under {@code reportKey/}; returns the
     * manifest's key.
     */
    static String report(Path base, String reportKey, String format, String schema, List<File> files, boolean checksum) {
        StringBuilder filesJson = new StringBuilder();
        for (File f : files) {
            put(base, DESTINATION, f.key(), f.bytes());
            filesJson.append(filesJson.length() == 0 ? "" : ",").append("{\"key\":\"").append(f.key())
                    .append("\",\"size\":").append(f.bytes().length).append(",\"MD5checksum\":\"").append(f.md5()).append("\"}");
        }
        String manifest = "{\"sourceBucket\":\"" + SOURCE + "\",\"destinationBucket\":\"arn:aws:s3:::" + DESTINATION
                + "\",\"version\":\"2016-11-30\",\"creationTimestamp\":\"1714521600000\",\"fileFormat\":\"" + format
                + "\",\"fileSchema\":\"" + schema + "\",\"files\":[" + filesJson + "]}";
        byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
        String manifestKey = reportKey + "/manifest.json";
        put(base, DESTINATION, manifestKey, bytes);
        if (checksum) {
            put(base, DESTINATION, reportKey + "/manifest.checksum", (md5(bytes) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        return manifestKey;
    }
}
