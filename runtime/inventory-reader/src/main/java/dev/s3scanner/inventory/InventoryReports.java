package dev.s3scanner.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads S3 Inventory reports from S3: finds the latest manifest under an inventory prefix, loads a
 * manifest after checking it against its {@code manifest.checksum}, checks a data file's MD5 and
 * size against the manifest, and opens data files for streaming.
 *
 * <p>Source: Amazon S3 User Guide, "Locating your inventory list": a report is
 * {@code <prefix>/<source-bucket>/<config-id>/<YYYY-MM-DDTHH-MMZ>/manifest.json} plus
 * {@code manifest.checksum} (the MD5 of {@code manifest.json}, written when the report is
 * complete), and each data file's MD5 is the manifest's {@code MD5checksum}.
 */
public final class InventoryReports {
    /** A manifest's file name. */
    public static final String MANIFEST = "manifest.json";
    /** The file beside it holding its MD5; its presence marks a complete report. */
    public static final String CHECKSUM = "manifest.checksum";

    private final S3Client s3;

    /** @param s3 a client that can read the inventory's destination bucket */
    public InventoryReports(S3Client s3) {
        this.s3 = Objects.requireNonNull(s3, "s3");
    }

    /**
     * The manifest a location names: itself when its key ends in {@code manifest.json}, otherwise
     * the latest complete report's manifest under it (see {@link #latestManifest}).
     *
     * @throws InventoryException when a prefix holds no complete report
     */
    public S3Location resolve(S3Location location) {
        return location.key().endsWith(MANIFEST) ? location : latestManifest(location);
    }

    /** Latest report first: by report folder name, then by key. */
    private static final Comparator<String> LATEST_FIRST = Comparator
            .comparing(InventoryReports::reportFolder).thenComparing(Comparator.<String>naturalOrder()).reversed();

    private static String reportFolder(String manifestKey) {
        String folder = manifestKey.substring(0, manifestKey.length() - MANIFEST.length());
        if (folder.endsWith("/")) {
            folder = folder.substring(0, folder.length() - 1);
        }
        return folder.substring(folder.lastIndexOf('/') + 1);
    }

    /**
     * The latest complete report under a prefix: of the keys ending in {@code /manifest.json} whose
     * {@code manifest.checksum} exists too, the one in the greatest report folder (S3 Inventory names
     * a report's folder by its UTC date and time, {@code YYYY-MM-DDTHH-MMZ}, so folder-name order is
     * time order, also across configurations under one source bucket; ties go to the greater key).
     *
     * @throws InventoryException when there is none
     */
    public S3Location latestManifest(S3Location prefix) {
        Set<String> keys = new HashSet<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(prefix.bucket()).prefix(prefix.key())).contents()) {
                keys.add(o.key());
            }
        } catch (SdkException e) {
            throw new InventoryException("cannot list inventory reports under " + prefix + ": " + e.getMessage(), e);
        }
        String latest = null;
        for (String k : keys) {
            if ((k.equals(MANIFEST) || k.endsWith("/" + MANIFEST)) && keys.contains(checksumKey(k))
                    && (latest == null || LATEST_FIRST.compare(k, latest) < 0)) {
                latest = k;
            }
        }
        if (latest == null) {
            throw new InventoryException("no complete inventory report (manifest.json with manifest.checksum) under " + prefix);
        }
        return new S3Location(prefix.bucket(), latest);
    }

    private static String checksumKey(String manifestKey) {
        return manifestKey.substring(0, manifestKey.length() - MANIFEST.length()) + CHECKSUM;
    }

    /**
     * Reads a manifest and checks it against its {@code manifest.checksum}.
     *
     * @throws InventoryException when either is missing, the MD5 differs, or the manifest is malformed
     */
    public InventoryManifest loadManifest(S3Location manifest) {
        byte[] json = read(manifest, "inventory manifest");
        S3Location checksumLocation = new S3Location(manifest.bucket(), checksumKey(manifest.key()));
        String expected = new String(read(checksumLocation, "inventory manifest checksum"), StandardCharsets.US_ASCII)
                .trim().toLowerCase(Locale.ROOT);
        String actual = HexFormat.of().formatHex(md5().digest(json));
        if (!actual.equals(expected)) {
            throw new InventoryException("inventory manifest " + manifest + " does not match its manifest.checksum: MD5 "
                    + actual + ", expected " + expected);
        }
        return InventoryManifest.parse(manifest, json);
    }

    /** Where data file {@code index} of the manifest is. */
    public static S3Location dataFileLocation(InventoryManifest manifest, int index) {
        return new S3Location(manifest.dataBucket(), manifest.files().get(index).key());
    }

    /**
     * Reads data file {@code index} once, checking its MD5 and size against the manifest.
     *
     * @throws InventoryException when they differ (the file is corrupt) or it cannot be read
     */
    public void verifyDataFile(InventoryManifest manifest, int index) {
        InventoryManifest.DataFile file = manifest.files().get(index);
        S3Location location = dataFileLocation(manifest, index);
        MessageDigest md5 = md5();
        long size = 0;
        try (InputStream in = new DigestInputStream(open(location, "inventory data file"), md5)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                size += n;
            }
        } catch (IOException e) {
            throw new InventoryException("cannot read inventory data file " + location + ": " + e.getMessage(), e);
        }
        String actual = HexFormat.of().formatHex(md5.digest());
        if (!actual.equals(file.md5Checksum())) {
            throw new InventoryException("inventory data file " + location + " is corrupt: MD5 " + actual
                    + ", the manifest says " + file.md5Checksum());
        }
        if (file.size() >= 0 && size != file.size()) {
            throw new InventoryException("inventory data file " + location + " is corrupt: " + size
                    + " bytes, the manifest says " + file.size());
        }
    }

    /**
     * Opens data file {@code index} for streaming (the caller closes it).
     *
     * @throws InventoryException when it cannot be read
     */
    public InputStream openDataFile(InventoryManifest manifest, int index) {
        return open(dataFileLocation(manifest, index), "inventory data file");
    }

    private InputStream open(S3Location location, String what) {
        try {
            return s3.getObject(b -> b.bucket(location.bucket()).key(location.key()));
        } catch (NoSuchKeyException e) {
            throw new InventoryException(what + " " + location + " does not exist", e);
        } catch (SdkException e) {
            throw new InventoryException("cannot read " + what + " " + location + ": " + e.getMessage(), e);
        }
    }

    private byte[] read(S3Location location, String what) {
        try (InputStream in = open(location, what)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new InventoryException("cannot read " + what + " " + location + ": " + e.getMessage(), e);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }
}
