package dev.s3scanner.local;

import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.local.LocalS3Server;
import dev.s3scanner.core.local.LocalSqsServer;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.lister.api.AllowedBuckets;
import dev.s3scanner.lister.api.Api;
import dev.s3scanner.lister.api.ResultsCursor;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.function.Function;
import javax.sql.DataSource;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What {@code scanner serve} runs: the API ({@link Api}, the Lambda function's code) over real HTTP
 * on 127.0.0.1 ({@link ApiHttpServer}), with the whole pipeline behind it in the same JVM
 * ({@link LocalPipeline}: the listing loop in place of the state machine, worker threads, the
 * progress-view refresher), PostgreSQL (embedded, or {@code --jdbc-url}), an in-process SQS server,
 * and S3: real AWS, an S3-compatible endpoint, or a folder whose sub-folders are served as buckets
 * by an in-process S3 server.
 */
public final class LocalApiServer implements AutoCloseable {
    private final Deque<AutoCloseable> resources;
    private final ApiHttpServer http;
    private final JobStore store;
    private final DataSource dataSource;
    private final String databaseDescription;

    private LocalApiServer(Deque<AutoCloseable> resources, ApiHttpServer http, JobStore store, DataSource dataSource,
                           String databaseDescription) {
        this.resources = resources;
        this.http = http;
        this.store = store;
        this.dataSource = dataSource;
        this.databaseDescription = databaseDescription;
    }

    /**
     * How to serve.
     *
     * @param port            port on 127.0.0.1, 0 for any free one
     * @param jdbcUrl         PostgreSQL JDBC URL, or {@code null} for the embedded database in {@code dataDir}
     * @param dataDir         the embedded database's data directory
     * @param bucketDir       a folder whose sub-folders are served as buckets, or {@code null} for S3
     * @param endpointUrl     an S3-compatible endpoint when {@code bucketDir} is {@code null}, or {@code null} for AWS
     * @param region          AWS region for S3, or {@code null} for {@code AWS_REGION} (default us-east-1)
     * @param workers         worker receiver threads, 1–256
     * @param maxObjectBytes  objects larger than this are skipped ({@code too_large})
     * @param allowed         buckets {@code POST /scan} accepts
     * @param refreshInterval how often {@code job_progress} is refreshed
     */
    public record Settings(int port, String jdbcUrl, Path dataDir, Path bucketDir, URI endpointUrl, String region,
                           int workers, long maxObjectBytes, AllowedBuckets allowed, Duration refreshInterval) {
        public Settings {
            Objects.requireNonNull(allowed, "allowed");
            Objects.requireNonNull(refreshInterval, "refreshInterval");
            if (port < 0 || port > 65535) {
                throw new UserException(2, "--port must be between 0 and 65535, was " + port);
            }
            if (workers < 1 || workers > 256) {
                throw new UserException(2, "--workers must be between 1 and 256, was " + workers);
            }
            if (bucketDir != null && endpointUrl != null) {
                throw new UserException(2, "--bucket-dir and --endpoint-url cannot be used together");
            }
        }
    }

    /**
     * Starts everything.
     *
     * @throws UserException (exit 2) for a bad setting or a port in use, (exit 3) when the database
     *                       cannot be opened
     */
    public static LocalApiServer start(Settings settings) {
        return start(settings, AwsClients::s3);
    }

    /** Starts everything, building the S3 client with {@code s3Factory} (tests add interceptors). */
    static LocalApiServer start(Settings settings, Function<AwsClients.Settings, S3Client> s3Factory) {
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            if (settings.bucketDir() != null && !Files.isDirectory(settings.bucketDir())) {
                throw new UserException(2, "--bucket-dir is not a folder: " + settings.bucketDir());
            }
            LocalDatabase database = LocalDatabase.open(settings.jdbcUrl(), settings.dataDir(), settings.workers() + 8);
            resources.push(database);
            LocalSqsServer sqsServer = LocalSqsServer.start();
            resources.push(sqsServer);
            LocalS3Server s3Server = settings.bucketDir() == null ? null : LocalS3Server.start(settings.bucketDir());
            if (s3Server != null) {
                resources.push(s3Server);
            }
            int connections = settings.workers() * 4 + 8;
            AwsClients.Settings local = AwsClients.Settings.local(s3Server == null ? null : s3Server.endpoint(),
                    sqsServer.endpoint(), connections);
            AwsClients.Settings s3Settings = s3Server != null ? local : new AwsClients.Settings(
                    settings.region() != null ? settings.region() : AwsClients.Settings.aws(1).region(),
                    settings.endpointUrl(), null, DefaultCredentialsProvider.builder().build(), connections);
            S3Client s3 = s3Factory.apply(s3Settings);
            resources.push(s3);
            SqsClient sqs = AwsClients.sqs(local);
            resources.push(sqs);
            JobStore store = new JobStore(database.dataSource());
            LocalPipeline pipeline = new LocalPipeline(store, database.dataSource(), s3, sqs, settings.workers(),
                    settings.maxObjectBytes(), s3Server == null, settings.refreshInterval());
            resources.push(pipeline);
            byte[] cursorKey = new byte[32];
            new SecureRandom().nextBytes(cursorKey);
            Api api = new Api(() -> store, pipeline, settings.allowed(), new ResultsCursor(() -> cursorKey));
            ApiHttpServer http;
            try {
                http = ApiHttpServer.start(settings.port(), api, 8);
            } catch (IOException e) {
                throw new UserException(2, "cannot listen on 127.0.0.1:" + settings.port() + ": " + e.getMessage());
            }
            resources.push(http);
            return new LocalApiServer(resources, http, store, database.dataSource(), database.description());
        } catch (IOException e) {
            closeAll(resources);
            throw new UserException(2, e.getMessage());
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    /** The API's base URL, {@code http://127.0.0.1:PORT}. */
    public URI uri() {
        return http.uri();
    }

    /** The job store behind the API. */
    public JobStore store() {
        return store;
    }

    /** The database behind the API. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Where the data is, for messages. */
    public String databaseDescription() {
        return databaseDescription;
    }

    @Override
    public void close() {
        closeAll(resources);
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                // keep closing the rest
            }
        }
    }
}
