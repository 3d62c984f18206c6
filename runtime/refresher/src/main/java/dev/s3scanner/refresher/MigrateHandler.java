package dev.s3scanner.refresher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.zaxxer.hikari.HikariDataSource;
import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.config.DatabaseSettings;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.store.DataSources;
import dev.s3scanner.db.SchemaMigrator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Deploy-time migration function (invoked by a CDK Trigger): applies the Flyway migrations.
 * Writes {@code {"migrations_applied": n}}; a failed migration fails the invocation, and with it
 * the deployment.
 */
public final class MigrateHandler implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        DatabaseSettings db = DatabaseSettings.fromEnv(Env.system());
        try (HikariDataSource ds = DataSources.create(db, 1, "scanner-migrate", arn -> {
            try (SecretsManagerClient sm = AwsClients.secretsManager(AwsClients.Settings.aws(1))) {
                return sm.getSecretValue(b -> b.secretId(arn)).secretString();
            }
        })) {
            int applied = new SchemaMigrator(ds).migrate();
            output.write(("{\"migrations_applied\":" + applied + "}").getBytes(StandardCharsets.UTF_8));
        }
    }
}
