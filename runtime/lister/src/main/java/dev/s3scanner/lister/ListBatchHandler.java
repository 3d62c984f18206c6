package dev.s3scanner.lister;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.logging.LogFields;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.lambda.powertools.metrics.Metrics;

/**
 * Step Functions task: one step of the listing loop. Input and output are {@link ListBatchState}
 * as JSON ({@code {"job_id","token","pages","listed","iteration","done"}}). An exception fails the
 * task; the state machine's retry re-runs it with the same token (idempotent), and its
 * {@code Catch} marks the job failed. Each step prints its {@code ObjectsListed} and
 * {@code PagesListed} metrics ({@link LambdaMetrics}).
 */
public final class ListBatchHandler implements RequestStreamHandler {
    static {
        LogFields.useLogbackConfiguration("s3scanner-lister-logback.xml");
    }

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final ListBatch batch;
    private final Metrics metrics;

    /** Lambda's constructor: reads the environment (fails fast when it is incomplete). */
    public ListBatchHandler() {
        this(ListerComponents.fromEnv(Env.system()).batch(), LambdaMetrics.create(Env.system()));
    }

    /** With explicit components. */
    public ListBatchHandler(ListBatch batch, Metrics metrics) {
        this.batch = batch;
        this.metrics = metrics;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ListBatchState in = JSON.readValue(input, ListBatchState.class);
        ListBatchState out = batch.step(in);
        LambdaMetrics.flushListStep(metrics, in, out);
        JSON.writeValue(output, out);
    }
}
