package dev.s3scanner.lister;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.s3scanner.core.config.DatabaseSettings;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.store.DataSources;
import dev.s3scanner.core.store.JobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Step Functions {@code Catch} target: marks a job failed when its listing fails, so it never sits
 * in {@code listing} forever. Input: {@code {"job_id": "…", "error": {"Error": "…", "Cause": "…"}}};
 * output: {@code {"job_id": "…", "failed": true|false}}.
 */
public final class ListFailureHandler implements RequestStreamHandler {
    private static final JsonMapper JSON = new JsonMapper();
    private static final int MAX_REASON = 1000;

    private final JobStore store;

    /** Lambda's constructor: reads the database settings from the environment. */
    public ListFailureHandler() {
        this(new JobStore(DataSources.create(DatabaseSettings.fromEnv(Env.system()), 1, "scanner-list-failure", arn -> {
            try (SecretsManagerClient sm = AwsClients.secretsManager(AwsClients.Settings.aws(1))) {
                return sm.getSecretValue(b -> b.secretId(arn)).secretString();
            }
        })));
    }

    /** With an explicit store. */
    public ListFailureHandler(JobStore store) {
        this.store = store;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode in = JSON.readTree(input);
        UUID jobId = UUID.fromString(in.path("job_id").asText());
        JsonNode error = in.path("error");
        String reason = "listing failed: " + error.path("Error").asText("unknown error");
        String cause = error.path("Cause").asText("");
        if (!cause.isEmpty()) {
            reason += ": " + cause;
        }
        if (reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON);
        }
        boolean failed = store.failJob(jobId, reason);
        JSON.writeValue(output, JSON.createObjectNode().put("job_id", jobId.toString()).put("failed", failed));
    }
}
