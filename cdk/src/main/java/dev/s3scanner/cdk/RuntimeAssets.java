package dev.s3scanner.cdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.lambda.Code;

/**
 * The runtime artifacts embedded in this construct jar, as CDK assets.
 *
 * <p>At package time the build copies the runtime modules' outputs into the jar under
 * {@value #RESOURCE_DIR}: the lister, inventory-reader and refresher Lambda jars and a zip of the worker image's
 * Docker build context ({@code Dockerfile}, {@code target/s3scanner-worker.jar},
 * {@code target/lib/}). At synth time each is extracted once to
 * {@code <cache>/<sha-256 of the resource>-<name>/}, where {@code <cache>} is the system property
 * {@value #CACHE_PROPERTY}, else {@code ${java.io.tmpdir}/s3scanner-cdk-assets}. The directory
 * name depends only on the content and every extracted file gets the same fixed modification
 * time, so CDK's asset hashes (which fingerprint relative paths and contents) are the same on
 * every run and every machine. Synthesizing the worker image needs no Docker engine: CDK only
 * stages the build context; the image is built when the assets are published.
 */
public final class RuntimeAssets {

    /** Classpath folder holding the embedded artifacts. */
    public static final String RESOURCE_DIR = "dev/s3scanner/cdk/assets/";
    /** The lister Lambda jar (API, list-batch and list-failure handlers). */
    public static final String LISTER_JAR = "s3scanner-lister-lambda.jar";
    /** The inventory-reader Lambda jar (inventory-batch handler). */
    public static final String INVENTORY_READER_JAR = "s3scanner-inventory-reader-lambda.jar";
    /** The refresher Lambda jar (refresh and migrate handlers). */
    public static final String REFRESHER_JAR = "s3scanner-refresher-lambda.jar";
    /** Zip of the worker image's Docker build context. */
    public static final String WORKER_CONTEXT_ZIP = "s3scanner-worker-image-context.zip";
    /** System property naming the extraction cache folder. */
    public static final String CACHE_PROPERTY = "s3scanner.cdk.assetCache";

    private static final FileTime FIXED_TIME = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));

    private RuntimeAssets() {
    }

    /**
     * @return the embedded lister Lambda jar as Lambda code
     * @throws IllegalStateException when the jar was built without the runtime artifacts
     */
    public static Code listerCode() {
        return Code.fromAsset(extractFile(LISTER_JAR).toString());
    }

    /**
     * @return the embedded inventory-reader Lambda jar as Lambda code
     * @throws IllegalStateException when the jar was built without the runtime artifacts
     */
    public static Code inventoryReaderCode() {
        return Code.fromAsset(extractFile(INVENTORY_READER_JAR).toString());
    }

    /**
     * @return the embedded refresher Lambda jar as Lambda code
     * @throws IllegalStateException when the jar was built without the runtime artifacts
     */
    public static Code refresherCode() {
        return Code.fromAsset(extractFile(REFRESHER_JAR).toString());
    }

    /**
     * @return the embedded worker build context as a container image asset (built at publish time)
     * @throws IllegalStateException when the jar was built without the runtime artifacts
     */
    public static ContainerImage workerImage() {
        return ContainerImage.fromAsset(extractZip(WORKER_CONTEXT_ZIP).toString());
    }

    /** @return the extraction cache folder */
    static Path cacheRoot() {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        return Paths.get(System.getProperty("java.io.tmpdir"), "s3scanner-cdk-assets");
    }

    static Path extractFile(String name) {
        byte[] bytes = read(name);
        Path dir = cacheRoot().resolve(sha256(bytes) + "-" + name);
        Path target = dir.resolve(name);
        if (Files.isRegularFile(target)) {
            return target;
        }
        return publish(dir, tmp -> {
            Path f = tmp.resolve(name);
            Files.write(f, bytes);
            Files.setLastModifiedTime(f, FIXED_TIME);
        }).resolve(name);
    }

    static Path extractZip(String name) {
        byte[] bytes = read(name);
        Path dir = cacheRoot().resolve(sha256(bytes) + "-" + name);
        Path context = dir.resolve("context");
        if (Files.isDirectory(context)) {
            return context;
        }
        return publish(dir, tmp -> {
            Path root = tmp.resolve("context");
            Files.createDirectories(root);
            try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(bytes))) {
                for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                    Path out = root.resolve(e.getName()).normalize();
                    if (!out.startsWith(root)) {
                        throw new IllegalStateException("embedded asset " + name + " has an entry outside its folder: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(out);
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            try (Stream<Path> all = Files.walk(root)) {
                for (Path f : (Iterable<Path>) all::iterator) {
                    Files.setLastModifiedTime(f, FIXED_TIME);
                }
            }
        }).resolve("context");
    }

    private interface Writer {
        void write(Path tmpDir) throws IOException;
    }

    /** Writes into a private temporary folder, then renames it to {@code dir} (first writer wins). */
    private static Path publish(Path dir, Writer writer) {
        try {
            Files.createDirectories(dir.getParent());
            Path tmp = Files.createTempDirectory(dir.getParent(), ".extract-");
            try {
                writer.write(tmp);
                try {
                    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    // another process published the same content first: use theirs
                    if (!Files.isDirectory(dir)) {
                        throw raced;
                    }
                }
            } finally {
                deleteTree(tmp);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract embedded runtime assets to " + dir, e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static byte[] read(String name) {
        String resource = RESOURCE_DIR + name;
        try (InputStream in = RuntimeAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("this s3scanner-cdk jar has no embedded " + name + " (classpath "
                        + resource + "): build it with the runtime modules (mvn -B -pl cdk -am package) or pass "
                        + "the code or image yourself (listerCode, inventoryReaderCode, refresherCode, workerImage)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read embedded asset " + resource, e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
