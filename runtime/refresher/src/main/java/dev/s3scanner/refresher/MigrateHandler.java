package dev.s3scanner.refresher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.zaxxer.hikari.HikariDataSource;
import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.config.ConfigException;
import dev.s3scanner.core.config.DatabaseSettings;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.logging.LogFields;
import dev.s3scanner.core.store.DataSources;
import dev.s3scanner.db.SchemaLayout;
import dev.s3scanner.db.SchemaMigrator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Deploy-time migration function (invoked by a CDK Trigger): applies the Flyway migrations in the
 * layout {@code SCANNER_PARTITIONED} asks for ({@code true} for the {@code large} and
 * {@code enterprise} tiers; unset or {@code false} otherwise; see {@link SchemaMigrator}).
 * Writes {@code {"migrations_applied": n, "layout": "partitioned"|"unpartitioned"}} (the layout the
 * database has afterwards); a failed migration fails the invocation, and with it the deployment.
 */
public final class MigrateHandler implements RequestStreamHandler {
    static {
        LogFields.useLogbackConfiguration("s3scanner-refresher-logback.xml");
    }

    private final Env env;

    /** Lambda's constructor: reads the settings from the process environment. */
    public MigrateHandler() {
        this(Env.system());
    }

    /** With explicit settings (tests). */
    public MigrateHandler(Env env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /**
     * @throws ConfigException when {@code SCANNER_PARTITIONED} is neither true nor false, or the
     *                         database settings are incomplete
     */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        SchemaLayout layout;
        try {
            layout = SchemaLayout.fromSetting(env.optional(SchemaLayout.ENV).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        DatabaseSettings db = DatabaseSettings.fromEnv(env);
        // Flyway holds one connection for its lock and works on a second one: a pool of 1 would wait forever
        try (HikariDataSource ds = DataSources.create(db, 2, "scanner-migrate", arn -> {
            try (SecretsManagerClient sm = AwsClients.secretsManager(AwsClients.Settings.aws(1))) {
                return sm.getSecretValue(b -> b.secretId(arn)).secretString();
            }
        })) {
            SchemaMigrator migrator = new SchemaMigrator(ds, layout);
            int applied = migrator.migrate();
            String now = migrator.currentLayout().name().toLowerCase(Locale.ROOT);
            output.write(("{\"migrations_applied\":" + applied + ",\"layout\":\"" + now + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }
}
