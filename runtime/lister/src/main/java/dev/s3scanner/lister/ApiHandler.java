package dev.s3scanner.lister;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.zaxxer.hikari.HikariDataSource;
import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.config.ConfigException;
import dev.s3scanner.core.config.DatabaseSettings;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.logging.LogFields;
import dev.s3scanner.core.store.DataSources;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.lister.api.AllowedBuckets;
import dev.s3scanner.lister.api.Api;
import dev.s3scanner.lister.api.DatabaseUnavailableException;
import dev.s3scanner.lister.api.ResultsCursor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The API function behind API Gateway (HTTP API, payload format 2.0): hands every request to
 * {@link Api}.
 *
 * <p>Start-up is light for cold starts (cases/18): the constructor only reads and checks the
 * environment. The database pool (one connection, 3-second connect timeout, 20-second socket
 * timeout, well inside API Gateway's 29-second integration timeout), the Secrets Manager read
 * and the Step Functions client are created by the first request that needs them, and kept for
 * the life of the execution environment; a failed creation is retried by the next request.
 *
 * <p>Environment: the database variables of {@link DatabaseSettings}; {@code SCANNER_STATE_MACHINE_ARN}
 * (required); {@code SCANNER_ALLOWED_BUCKETS} (required, {@code *} or a comma list);
 * {@code SCANNER_CURSOR_KEY} (optional: base64 of at least 32 random bytes, the HMAC key of result
 * cursors; when unset the key is derived from the database secret, or from
 * {@code SCANNER_DB_PASSWORD}, so that every instance of the function shares it).
 */
public final class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static {
        LogFields.useLogbackConfiguration("s3scanner-lister-logback.xml");
    }

    /** Environment variable: the listing state machine's ARN. */
    public static final String STATE_MACHINE_ARN = "SCANNER_STATE_MACHINE_ARN";
    /** Environment variable: base64 HMAC key for result cursors. */
    public static final String CURSOR_KEY = "SCANNER_CURSOR_KEY";
    /** Environment variable: the S3 Inventory reports bucket (set only in inventory mode). */
    public static final String INVENTORY_BUCKET = "SCANNER_INVENTORY_BUCKET";
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    private final Api api;

    /** Lambda's constructor: reads and checks the environment, opens nothing. */
    public ApiHandler() {
        this(Env.system());
    }

    /**
     * Builds the handler from an environment.
     *
     * @throws ConfigException when a variable is missing or invalid
     */
    public ApiHandler(Env env) {
        DatabaseSettings db = DatabaseSettings.fromEnv(env);
        String stateMachineArn = env.required(STATE_MACHINE_ARN);
        AllowedBuckets allowed = AllowedBuckets.parse(env.required(AllowedBuckets.ENV));
        CursorKey cursorKey = new CursorKey(env.optional(CURSOR_KEY).map(ApiHandler::decodeKey).orElse(null));
        LazyStore store = new LazyStore(db, cursorKey);
        Supplier<SfnClient> sfn = memoize(() -> SfnClient.builder()
                .region(Region.of(AwsClients.Settings.aws(1).region()))
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(10))
                        .apiCallAttemptTimeout(Duration.ofSeconds(4)))
                .build());
        this.api = new Api(store, new StepFunctionsListingStarter(sfn, stateMachineArn), allowed,
                new ResultsCursor(cursorKey), env.optional(INVENTORY_BUCKET).isPresent());
        prime(api);
    }

    /**
     * Loads and initialises, during the function's init phase (which runs at full CPU, and which a
     * SnapStart snapshot keeps), the classes the first requests need: the JSON path through a
     * request that needs no database, the JDBC driver and the pool. Opens no connection and
     * touches no AWS service.
     */
    private static void prime(Api api) {
        api.handle(APIGatewayV2HTTPEvent.builder().withRawPath("/scan").withBody("{\"bucket\": \"Prime\"}")
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("init")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").build()).build())
                .build());
        for (String name : new String[] {"org.postgresql.Driver", "com.zaxxer.hikari.HikariDataSource",
                "com.zaxxer.hikari.pool.HikariPool"}) {
            try {
                Class.forName(name);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(name + " is missing from the function's jar", e);
            }
        }
    }

    /** With an explicit API (tests). */
    public ApiHandler(Api api) {
        this.api = Objects.requireNonNull(api, "api");
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event);
    }

    private static byte[] decodeKey(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(CURSOR_KEY + " must be base64");
        }
        if (key.length < 32) {
            throw new ConfigException(CURSOR_KEY + " must hold at least 32 bytes, has " + key.length);
        }
        return key;
    }

    private static <T> Supplier<T> memoize(Supplier<T> factory) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = factory.get();
                }
                return value;
            }
        };
    }

    /** The cursor HMAC key: configured, or derived from the database credentials when the pool is built. */
    private static final class CursorKey implements Supplier<byte[]> {
        private volatile byte[] key;

        CursorKey(byte[] configured) {
            this.key = configured;
        }

        void deriveIfUnset(String material) {
            if (key != null) {
                return;
            }
            if (material == null || material.isEmpty()) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                key = random;
                LOG.warn("{} is not set and the database has no password: result cursors are valid only on this instance",
                        CURSOR_KEY);
                return;
            }
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update("s3scanner results cursor v1\0".getBytes(StandardCharsets.UTF_8));
                key = sha.digest(material.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public byte[] get() {
            byte[] k = key;
            if (k == null) {
                throw new IllegalStateException("the cursor key is derived when the database is first used");
            }
            return k;
        }
    }

    /** The job store, with its one-connection pool built by the first request that needs it. */
    private static final class LazyStore implements Supplier<JobStore> {
        private final DatabaseSettings settings;
        private final CursorKey cursorKey;
        private JobStore store;

        LazyStore(DatabaseSettings settings, CursorKey cursorKey) {
            this.settings = settings;
            this.cursorKey = cursorKey;
        }

        @Override
        public synchronized JobStore get() {
            if (store == null) {
                String[] secret = new String[1];
                HikariDataSource ds;
                try {
                    ds = DataSources.create(settings, 1, "scanner-api", arn -> {
                        try (SecretsManagerClient sm = AwsClients.secretsManager(AwsClients.Settings.aws(1))) {
                            secret[0] = sm.getSecretValue(b -> b.secretId(arn)).secretString();
                            return secret[0];
                        }
                    }, Duration.ofSeconds(3), Duration.ofSeconds(20));
                } catch (SdkException e) {
                    throw new DatabaseUnavailableException("cannot read the database secret: " + e.getClass().getSimpleName(), e);
                }
                cursorKey.deriveIfUnset(settings.usesSecret() ? secret[0] : settings.password());
                store = new JobStore(ds);
            }
            return store;
        }
    }
}
