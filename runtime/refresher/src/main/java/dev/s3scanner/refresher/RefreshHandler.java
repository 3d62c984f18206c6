package dev.s3scanner.refresher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.config.DatabaseSettings;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.store.DataSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * EventBridge {@code rate(1 minute)} target: refreshes {@code job_progress} (see
 * {@link ProgressViewRefresher}). Writes {@code {"refreshed": bool, "duration_ms": n}}; a failed
 * refresh fails the invocation so the function's error metric and alarm see it.
 */
public final class RefreshHandler implements RequestStreamHandler {
    private final ProgressViewRefresher refresher;

    /** Lambda's constructor: reads the database settings from the environment. */
    public RefreshHandler() {
        this(new ProgressViewRefresher(DataSources.create(DatabaseSettings.fromEnv(Env.system()), 1, "scanner-refresher",
                arn -> {
                    try (SecretsManagerClient sm = AwsClients.secretsManager(AwsClients.Settings.aws(1))) {
                        return sm.getSecretValue(b -> b.secretId(arn)).secretString();
                    }
                }), Duration.ofSeconds(50)));
    }

    /** With an explicit refresher. */
    public RefreshHandler(ProgressViewRefresher refresher) {
        this.refresher = refresher;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ProgressViewRefresher.Result r;
        try {
            r = refresher.refresh();
        } catch (SQLException e) {
            throw new IllegalStateException("job_progress refresh failed: " + e.getMessage(), e);
        }
        output.write(("{\"refreshed\":" + r.refreshed() + ",\"duration_ms\":" + r.duration().toMillis() + "}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
