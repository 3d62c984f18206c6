package dev.s3scanner.lister;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.config.DatabaseSettings;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.logging.LogFields;
import dev.s3scanner.core.store.DataSources;
import dev.s3scanner.core.store.JobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Step Functions {@code Catch} target: marks a job failed when its listing fails, so it never sits
 * in {@code listing} forever. Input: {@code {"job_id": "…", "error": {"Error": "…", "Cause": "…"}}};
 * output: {@code {"job_id": "…", "failed": true|false}}.
 */
public final class ListFailureHandler implements RequestStreamHandler {
    static {
        LogFields.useLogbackConfiguration("s3scanner-lister-logback.xml");
    }

    private static final JsonMapper JSON = new JsonMapper();
    private static final int MAX_REASON = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(ListFailureHandler.class);

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
        boolean failed;
        try (MDC.MDCCloseable c = MDC.putCloseable(LogFields.JOB_ID, jobId.toString())) {
            failed = store.failJob(jobId, reason);
            LOG.warn("listing failed ({}): job {}", error.path("Error").asText("unknown error"),
                    failed ? "marked failed" : "was already final");
        }
        JSON.writeValue(output, JSON.createObjectNode().put("job_id", jobId.toString()).put("failed", failed));
    }
}
