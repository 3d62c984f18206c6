package dev.s3scanner.core.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the AWS SDK v2 clients the runtime shares. Build each client once per process and share
 * it: clients are thread-safe and own a connection pool (SDK best practices).
 *
 * <p>Every client has an API-call timeout and an attempt timeout (the SDK has no default for
 * either) and the SDK's standard retry strategy (exponential backoff with jitter on throttling and
 * 5xx errors).
 */
public final class AwsClients {
    private AwsClients() {
    }

    /**
     * Where and how to reach AWS.
     *
     * @param region        region name, e.g. {@code us-east-1}
     * @param s3Endpoint    S3 endpoint override (an S3-compatible server), or {@code null} for AWS
     * @param sqsEndpoint   SQS endpoint override, or {@code null} for AWS
     * @param credentials   credentials provider
     * @param maxConnections HTTP connections per client (size it to the requests in flight)
     */
    public record Settings(String region, URI s3Endpoint, URI sqsEndpoint, AwsCredentialsProvider credentials,
                           int maxConnections) {
        public Settings {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(credentials, "credentials");
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
            }
        }

        /**
         * AWS itself, the default credential chain, the region from {@code AWS_REGION} (else
         * us-east-1). {@code SCANNER_S3_ENDPOINT} and {@code SCANNER_SQS_ENDPOINT} override the
         * endpoints (LocalStack, in-process servers).
         */
        public static Settings aws(int maxConnections) {
            return fromEnv(dev.s3scanner.core.config.Env.system(), maxConnections);
        }

        /**
         * Settings from the given environment: {@code AWS_REGION}/{@code AWS_DEFAULT_REGION},
         * {@code SCANNER_S3_ENDPOINT}, {@code SCANNER_SQS_ENDPOINT}; credentials from the default chain.
         *
         * @throws dev.s3scanner.core.config.ConfigException when an endpoint is not an http(s) URL
         */
        public static Settings fromEnv(dev.s3scanner.core.config.Env env, int maxConnections) {
            String region = env.optional("AWS_REGION").or(() -> env.optional("AWS_DEFAULT_REGION")).orElse("us-east-1");
            return new Settings(region, endpoint(env, "SCANNER_S3_ENDPOINT"), endpoint(env, "SCANNER_SQS_ENDPOINT"),
                    DefaultCredentialsProvider.builder().build(), maxConnections);
        }

        private static URI endpoint(dev.s3scanner.core.config.Env env, String name) {
            return env.optional(name).map(v -> {
                if (!v.startsWith("http://") && !v.startsWith("https://")) {
                    throw new dev.s3scanner.core.config.ConfigException(name + " must be an http(s) URL, was '" + v + "'");
                }
                return URI.create(v);
            }).orElse(null);
        }

        /** Local S3- and SQS-compatible servers with fixed dummy credentials. */
        public static Settings local(URI s3Endpoint, URI sqsEndpoint, int maxConnections) {
            return new Settings("us-east-1", s3Endpoint, sqsEndpoint,
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")), maxConnections);
        }

        /** The same settings with another S3 endpoint. */
        public Settings withS3Endpoint(URI endpoint) {
            return new Settings(region, endpoint, sqsEndpoint, credentials, maxConnections);
        }

        /** The same settings with another pool size. */
        public Settings withMaxConnections(int connections) {
            return new Settings(region, s3Endpoint, sqsEndpoint, credentials, connections);
        }
    }

    /**
     * An S3 client. With an endpoint override it uses path-style addressing and checksums only
     * where S3 requires them (S3-compatible servers often lack the newer checksum headers).
     */
    public static S3Client s3(Settings s) {
        var builder = S3Client.builder()
                .region(Region.of(s.region()))
                .credentialsProvider(s.credentials())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(s.maxConnections())
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(timeouts(Duration.ofMinutes(30), Duration.ofMinutes(10)));
        if (s.s3Endpoint() != null) {
            builder.endpointOverride(s.s3Endpoint())
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }

    /** An SQS client. */
    public static SqsClient sqs(Settings s) {
        var builder = SqsClient.builder()
                .region(Region.of(s.region()))
                .credentialsProvider(s.credentials())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(s.maxConnections())
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(timeouts(Duration.ofSeconds(60), Duration.ofSeconds(25)));
        if (s.sqsEndpoint() != null) {
            builder.endpointOverride(s.sqsEndpoint());
        }
        return builder.build();
    }

    /** A Secrets Manager client (database credentials). */
    public static SecretsManagerClient secretsManager(Settings s) {
        return SecretsManagerClient.builder()
                .region(Region.of(s.region()))
                .credentialsProvider(s.credentials())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(2))
                .overrideConfiguration(timeouts(Duration.ofSeconds(10), Duration.ofSeconds(3)))
                .build();
    }

    private static ClientOverrideConfiguration timeouts(Duration call, Duration attempt) {
        return ClientOverrideConfiguration.builder()
                .apiCallTimeout(call)
                .apiCallAttemptTimeout(attempt)
                .build();
    }
}
