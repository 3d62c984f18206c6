package dev.s3scanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.local.LocalS3Server;
import dev.s3scanner.core.local.LocalSqsServer;
import dev.s3scanner.core.store.JobProgress;
import dev.s3scanner.core.store.JobStatus;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.NewJob;
import dev.s3scanner.core.store.StoredFinding;
import dev.s3scanner.core.testing.SampleBucket;
import dev.s3scanner.core.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The whole pipeline on one machine: the lister loop, worker threads and refresher of
 * {@link LocalPipeline}, the real PostgreSQL server, and the real SDK clients against in-process
 * S3 (s3proxy over {@code examples/}) and SQS (ElasticMQ) servers, scanning the built-in sample
 * bucket and comparing with its answer key.
 */
class PipelineTest {
    private static TestDatabase db;
    private static LocalSqsServer sqsServer;
    private static LocalS3Server s3Server;
    private static S3Client s3;
    private static SqsClient sqs;
    private static final List<String> SENT_BODIES = Collections.synchronizedList(new ArrayList<>());
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    private static UUID firstJob;
    private static UUID secondJob;
    private static LocalPipeline pipeline;

    @BeforeAll
    static void scanTwice() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        LOGS.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        LOGS.start();
        root.addAppender(LOGS);
        ((Logger) LoggerFactory.getLogger("dev.s3scanner")).setLevel(Level.DEBUG);

        db = TestDatabase.create();
        sqsServer = LocalSqsServer.start();
        s3Server = LocalS3Server.start(SampleBucket.BUCKET.getParent());
        AwsClients.Settings settings = AwsClients.Settings.local(s3Server.endpoint(), sqsServer.endpoint(), 32);
        s3 = AwsClients.s3(settings);
        sqs = SqsClient.builder().region(Region.US_EAST_1).credentialsProvider(settings.credentials())
                .endpointOverride(sqsServer.endpoint())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        SdkRequest r = context.request();
                        if (r instanceof SendMessageBatchRequest batch) {
                            batch.entries().stream().map(SendMessageBatchRequestEntry::messageBody).forEach(SENT_BODIES::add);
                        }
                    }
                }))
                .build();
        JobStore store = db.store();
        pipeline = new LocalPipeline(store, db.dataSource(), s3, sqs, 4, 16L << 30, false);
        firstJob = scan(store);
        secondJob = scan(store);
    }

    private static UUID scan(JobStore store) throws InterruptedException {
        UUID jobId = pipeline.start(NewJob.of("sample-bucket", ""));
        JobProgress p = pipeline.await(jobId, Duration.ofMillis(100), x -> { });
        assertThat(p.status()).isEqualTo(JobStatus.COMPLETED);
        return jobId;
    }

    @AfterAll
    static void stop() throws Exception {
        pipeline.close();
        s3.close();
        sqs.close();
        s3Server.close();
        sqsServer.close();
        db.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
    }

    private static Set<String> findings(UUID jobId) {
        Set<String> out = new TreeSet<>();
        for (StoredFinding f : db.store().findings(jobId, 0, null, null, 100_000)) {
            out.add(f.key() + "\t" + f.detector() + "\t" + f.byteOffset() + "\t" + f.maskedValue());
        }
        return out;
    }

    @Test
    void everyListedObjectEndsInExactlyOneExpectedTerminalState() throws Exception {
        // when
        Map<String, String> states = new TreeMap<>();
        for (List<String> row : db.query("SELECT key, state, reason FROM job_objects WHERE job_id = ?", firstJob)) {
            String previous = states.put(row.get(0), row.get(2) == null ? row.get(1) : row.get(1) + ":" + row.get(2));
            assertThat(previous).as("one row per key: " + row.get(0)).isNull();
        }

        // then
        assertThat(states).isEqualTo(new TreeMap<>(SampleBucket.expectedObjects()));
    }

    @Test
    void findingsEqualTheAnswerKey() throws Exception {
        // when
        Set<String> found = findings(firstJob);

        // then
        assertThat(found).isEqualTo(SampleBucket.expectedFindings());
    }

    @Test
    void progressCountersAgreeWithTheRows() {
        // when
        JobProgress p = db.store().liveProgress(firstJob).orElseThrow();

        // then
        assertThat(p.listed()).isEqualTo(Long.parseLong(db.scalar("SELECT count(*) FROM job_objects WHERE job_id = ?", firstJob)));
        assertThat(p.done()).isEqualTo(p.listed());
        assertThat(p.findings()).isEqualTo(Long.parseLong(db.scalar("SELECT count(*) FROM findings WHERE job_id = ?", firstJob)));
        assertThat(p.progressPercent()).isEqualTo(100.0);
    }

    @Test
    void scanningTwiceGivesTwoJobsWithIdenticalFindings() {
        // then
        assertThat(secondJob).isNotEqualTo(firstJob);
        assertThat(findings(secondJob)).isEqualTo(findings(firstJob)).isNotEmpty();
    }

    @Test
    void noRawValueIsStoredLoggedOrEnqueued() throws Exception {
        // given
        Set<String> raw = SampleBucket.rawValues();
        assertThat(raw).hasSizeGreaterThan(100);
        String tables = db.dumpAllText();
        List<String> logLines = new ArrayList<>();
        synchronized (LOGS.list) {
            LOGS.list.forEach(e -> logLines.add(e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage())));
        }
        String messages = String.join("\n", SENT_BODIES);

        // then
        assertThat(messages).isNotEmpty();
        assertThat(tables).contains("***-**-"); // masked values are there
        for (String value : raw) {
            assertThat(tables).as("tables").doesNotContain(value);
            assertThat(messages).as("queue messages").doesNotContain(value);
            assertThat(logLines).as("log lines").noneMatch(l -> l.contains(value));
        }
    }
}
