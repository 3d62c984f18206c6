package dev.s3scanner.lister;

import com.adobe.testing.s3mock.S3MockApplication;
import dev.s3scanner.core.aws.AwsClients;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Mock (a Spring Boot application) in this JVM on a random port, for exact S3 key semantics:
 * keys {@code a} and {@code a/b} together, keys ending in {@code /}, zero-byte markers. Slow to
 * start (seconds): start one per test class.
 */
final class S3MockServer implements AutoCloseable {
    private final S3MockApplication app;
    private final Path root;
    private final URI endpoint;

    private S3MockServer(S3MockApplication app, Path root) {
        this.app = app;
        this.root = root;
        this.endpoint = URI.create("http://127.0.0.1:" + app.getHttpPort());
    }

    static S3MockServer start() throws IOException {
        // the tests' SLF4J binding is not Logback: keep Spring Boot away from logging set-up
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        Path root = Files.createTempDirectory("s3mock-");
        S3MockApplication app = S3MockApplication.start(new java.util.HashMap<>(Map.of(
                S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_ROOT_DIRECTORY, root.toString(),
                S3MockApplication.PROP_SILENT, true,
                "spring.main.banner-mode", "off")));
        return new S3MockServer(app, root);
    }

    URI endpoint() {
        return endpoint;
    }

    /** A client for it (path-style, dummy credentials). */
    S3Client client() {
        return AwsClients.s3(AwsClients.Settings.local(endpoint, null, 8));
    }

    @Override
    public void close() throws IOException {
        app.stop();
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
