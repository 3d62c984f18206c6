package dev.s3scanner.lister;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.config.DatabaseSettings;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.logging.LogFields;
import dev.s3scanner.core.metrics.MetricNames;
import dev.s3scanner.core.queue.DeadLetterProcessor;
import dev.s3scanner.core.store.DataSources;
import dev.s3scanner.core.store.JobStore;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * SQS event source on the dead-letter queue: fails the open objects of each dead-lettered scan
 * task (see {@link DeadLetterProcessor}). Reports batch item failures, so only the records whose
 * database write failed are retried (the event source mapping needs {@code ReportBatchItemFailures}).
 * Each invocation prints its {@code ObjectsDeadLettered} metric ({@link LambdaMetrics}).
 */
public final class DeadLetterHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    static {
        LogFields.useLogbackConfiguration("s3scanner-lister-logback.xml");
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    private final DeadLetterProcessor processor;
    private final Metrics metrics;

    /** Lambda's constructor: reads the database settings from the environment. */
    public DeadLetterHandler() {
        this(new DeadLetterProcessor(new JobStore(DataSources.create(DatabaseSettings.fromEnv(Env.system()), 1,
                "scanner-dead-letters", arn -> {
                    try (SecretsManagerClient sm = AwsClients.secretsManager(AwsClients.Settings.aws(1))) {
                        return sm.getSecretValue(b -> b.secretId(arn)).secretString();
                    }
                }))), LambdaMetrics.create(Env.system()));
    }

    /** With an explicit processor and metrics instance. */
    public DeadLetterHandler(DeadLetterProcessor processor, Metrics metrics) {
        this.processor = processor;
        this.metrics = metrics;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        long deadLettered = 0;
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            try {
                int receives = Integer.parseInt(m.getAttributes() == null ? "0"
                        : m.getAttributes().getOrDefault("ApproximateReceiveCount", "0"));
                deadLettered += processor.process(m.getBody(), receives);
            } catch (RuntimeException e) {
                LOG.error("dead-lettered message {} not processed: {}", m.getMessageId(), e.toString());
                failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
            }
        }
        metrics.addMetric(MetricNames.OBJECTS_DEAD_LETTERED, deadLettered, MetricUnit.COUNT);
        metrics.flush();
        return new SQSBatchResponse(failures);
    }
}
