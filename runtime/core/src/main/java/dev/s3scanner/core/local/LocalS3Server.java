package dev.s3scanner.core.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An in-process S3-compatible server (s3proxy's filesystem store) on 127.0.0.1 and a free port:
 * every sub-folder of the base directory is served as a bucket, every file under it as an object
 * whose key is its relative path. The real SDK client talks the real S3 protocol to it
 * (path-style). Needs {@code org.gaul:s3proxy} on the classpath (an optional dependency of core).
 *
 * <p>Limits of a filesystem store: keys {@code a} and {@code a/b} cannot both exist, and a key
 * ending in {@code /} is a folder.
 */
public final class LocalS3Server implements AutoCloseable {
    private final S3Proxy proxy;
    private final URI endpoint;

    private LocalS3Server(S3Proxy proxy) {
        this.proxy = proxy;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /**
     * Starts a server over {@code baseDir}.
     *
     * @throws IOException when the directory is missing
     * @throws IllegalStateException when the server does not start
     */
    public static LocalS3Server start(Path baseDir) throws IOException {
        if (!Files.isDirectory(baseDir)) {
            throw new IOException("not a directory: " + baseDir);
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(baseDir.toAbsolutePath().toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .ignoreUnknownHeaders(true)
                .build();
        try {
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                Thread.sleep(5);
            }
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not start: " + e.getMessage(), e);
        }
        return new LocalS3Server(proxy);
    }

    /** The endpoint to give the SDK client (path-style). */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not stop cleanly", e);
        }
    }
}
