package dev.s3scanner.inventory;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.logging.LogFields;
import dev.s3scanner.lister.LambdaMetrics;
import dev.s3scanner.lister.ListBatchState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.lambda.powertools.metrics.Metrics;

/**
 * Step Functions task for inventory jobs ({@code source = inventory}): one step of reading the
 * job's S3 Inventory report. Input and output have the list-batch state's shape,
 * {@code {"job_id","token","pages","listed","iteration","done"}}, with {@code token} an opaque
 * position in the report ({@code "<file index>:<row offset>"}), so the same state machine loop
 * (and hand-off to a fresh execution) drives both sources. A report that cannot be used fails the
 * job with the reason and the task with {@link InventoryException} (permanent: do not retry it).
 *
 * <p>Handler string: {@code dev.s3scanner.inventory.InventoryBatchHandler::handleRequest} in
 * {@code runtime/inventory-reader/target/s3scanner-inventory-reader-<version>-lambda.jar} (the
 * shaded {@code lambda} artifact, which {@code cdk/} embeds).
 */
public final class InventoryBatchHandler implements RequestStreamHandler {
    static {
        LogFields.useLogbackConfiguration("s3scanner-inventory-reader-logback.xml");
    }

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final InventoryBatch batch;
    private final Metrics metrics;

    /** Lambda's constructor: reads the environment (fails fast when it is incomplete). */
    public InventoryBatchHandler() {
        this(InventoryComponents.fromEnv(Env.system()).batch(), LambdaMetrics.create(Env.system()));
    }

    /** With an explicit step and metrics instance. */
    public InventoryBatchHandler(InventoryBatch batch, Metrics metrics) {
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
