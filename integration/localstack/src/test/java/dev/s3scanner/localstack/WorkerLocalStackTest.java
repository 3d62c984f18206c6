package dev.s3scanner.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.listing.ListedPageRecorder;
import dev.s3scanner.core.listing.ListingClassifier;
import dev.s3scanner.core.message.ScanTaskCodec;
import dev.s3scanner.core.queue.ScanTaskSender;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobStatus;
import dev.s3scanner.core.store.ListedObject;
import dev.s3scanner.core.store.NewJob;
import dev.s3scanner.core.testing.TestDatabase;
import dev.s3scanner.worker.Worker;
import dev.s3scanner.worker.WorkerComponents;
import dev.s3scanner.worker.WorkerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The worker against LocalStack's S3 and SQS (instead of the default build's s3proxy and
 * ElasticMQ), with the project's own client settings ({@link AwsClients}) and the machine's
 * PostgreSQL: objects listed and enqueued the lister's way are all scanned, the job completes,
 * and the queue is left empty. Skipped without a Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class WorkerLocalStackTest {

    /** Pinned: a LocalStack upgrade is a deliberate change. */
    @Container
    static final LocalStackContainer LOCALSTACK =
            new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4.0")).withServices("s3", "sqs");

    private static TestDatabase db;
    private static S3Client s3;
    private static SqsClient sqs;
    private static final ExecutorService SEND_POOL = Executors.newFixedThreadPool(2);

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        AwsClients.Settings settings = AwsClients.Settings.local(LOCALSTACK.getEndpoint(), LOCALSTACK.getEndpoint(), 32);
        s3 = AwsClients.s3(settings);
        sqs = AwsClients.sqs(settings);
    }

    @AfterAll
    static void stop() {
        SEND_POOL.shutdownNow();
        if (s3 != null) {
            s3.close();
            sqs.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void workerScansEveryObjectFromLocalStackAndEmptiesTheQueue() throws Exception {
        // given: 30 objects, each with one email address and one SSN-shaped value (test data, not real people)
        String bucket = "localstack-scan";
        s3.createBucket(b -> b.bucket(bucket));
        for (int i = 0; i < 30; i++) {
            String key = String.format("data/f%02d.csv", i);
            String body = "id,email,ssn\n" + i + ",user" + i + "@example.com,219-48-" + (1000 + i) + "\n";
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
        }
        String dlq = sqs.createQueue(b -> b.queueName("localstack-scan-dlq")).queueUrl();
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String queue = sqs.createQueue(b -> b.queueName("localstack-scan").attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "30",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"5\"}")))
                .queueUrl();
        Job job = listAndEnqueue(bucket, queue);
        Worker worker = WorkerComponents.build(db.store(), s3, sqs,
                new WorkerSettings(queue, 2, 8, 10, Duration.ofSeconds(1), Duration.ofSeconds(30), 1L << 30));

        // when
        worker.start();
        JobStatus status = awaitFinal(job, Duration.ofSeconds(90));
        worker.stop(Duration.ofSeconds(5));

        // then
        assertThat(status).isEqualTo(JobStatus.COMPLETED);
        assertThat(db.scalar("SELECT count(*) FROM job_objects WHERE job_id = ? AND state = 'succeeded'", job.jobId()))
                .isEqualTo("30");
        assertThat(db.scalar("SELECT count(*) FROM findings WHERE job_id = ?", job.jobId())).isEqualTo("60");
        assertThat(visible(queue)).isZero();
        assertThat(visible(dlq)).isZero();
    }

    /** The lister's path: ListObjectsV2, record every object, send scan tasks. */
    private static Job listAndEnqueue(String bucket, String queueUrl) {
        Job job = db.store().createJob(NewJob.of(bucket, ""));
        List<ListedObject> objects = new ArrayList<>();
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket))) {
            for (S3Object o : page.contents()) {
                objects.add(ListingClassifier.classify(o.key(), o.eTag(), o.size(), null, o.storageClassAsString(),
                        o.lastModified(), null, null));
            }
        }
        ListedPageRecorder recorder = new ListedPageRecorder(db.store(), new ScanTaskSender(sqs, queueUrl, SEND_POOL, 3, 10),
                ScanTaskCodec.DEFAULT_MAX_BODY_BYTES, 7);
        recorder.record(job, "", null, objects);
        db.store().finishListing(job.jobId());
        return job;
    }

    private static JobStatus awaitFinal(Job job, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobStatus s = db.store().findJob(job.jobId()).orElseThrow().status();
        while (!s.isFinal() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            s = db.store().findJob(job.jobId()).orElseThrow().status();
        }
        return s;
    }

    private static int visible(String queueUrl) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }
}
