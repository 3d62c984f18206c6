package dev.s3scanner.worker;

import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.listing.ListedPageRecorder;
import dev.s3scanner.core.listing.ListingClassifier;
import dev.s3scanner.core.local.LocalS3Server;
import dev.s3scanner.core.local.LocalSqsServer;
import dev.s3scanner.core.message.ScanTaskCodec;
import dev.s3scanner.core.queue.ScanTaskSender;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.ListedObject;
import dev.s3scanner.core.store.NewJob;
import dev.s3scanner.core.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Real servers for worker tests: a fresh PostgreSQL database, an in-process SQS server and an
 * in-process S3 server over a temporary folder whose sub-folders are buckets.
 */
final class WorkerFixture implements AutoCloseable {
    final TestDatabase db;
    final JobStore store;
    final LocalSqsServer sqsServer;
    final LocalS3Server s3Server;
    final Path buckets;
    final SqsClient sqs;
    final ExecutorService sendPool = Executors.newFixedThreadPool(2);

    WorkerFixture() throws IOException {
        db = TestDatabase.create();
        store = db.store();
        sqsServer = LocalSqsServer.start();
        buckets = Files.createTempDirectory("s3scanner-worker-test");
        s3Server = LocalS3Server.start(buckets);
        sqs = AwsClients.sqs(AwsClients.Settings.local(null, sqsServer.endpoint(), 16));
    }

    /** An S3 client on the in-process server, with optional fault-injecting interceptors. */
    S3Client s3(ExecutionInterceptor... interceptors) {
        AwsClients.Settings s = AwsClients.Settings.local(s3Server.endpoint(), sqsServer.endpoint(), 64);
        return S3Client.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(s.credentials())
                .endpointOverride(s3Server.endpoint())
                .forcePathStyle(true)
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> {
                    for (ExecutionInterceptor i : interceptors) {
                        o.addExecutionInterceptor(i);
                    }
                })
                .build();
    }

    /** Creates a bucket folder holding the given files (key → content). */
    String bucket(String name, Map<String, byte[]> files) throws IOException {
        Path dir = buckets.resolve(name);
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.write(f, e.getValue());
        }
        return name;
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A queue with a dead-letter queue; returns {queueUrl, dlqUrl}. */
    String[] queue(String name, int maxReceiveCount, int visibilitySeconds) {
        String dlq = sqs.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String url = sqs.createQueue(b -> b.queueName(name).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilitySeconds),
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}"))).queueUrl();
        return new String[] {url, dlq};
    }

    /** Lists the bucket, records every object in a new job and enqueues scan tasks (the lister's path). */
    Job listAndEnqueue(S3Client s3, String bucket, String queueUrl, int objectsPerTask) {
        Job job = store.createJob(NewJob.of(bucket, ""));
        List<ListedObject> objects = new ArrayList<>();
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket))) {
            for (S3Object o : page.contents()) {
                objects.add(ListingClassifier.classify(o.key(), o.eTag(), o.size(), null, o.storageClassAsString(),
                        o.lastModified(), null, null));
            }
        }
        ListedPageRecorder recorder = new ListedPageRecorder(store, new ScanTaskSender(sqs, queueUrl, sendPool, 3, 10),
                ScanTaskCodec.DEFAULT_MAX_BODY_BYTES, objectsPerTask);
        recorder.record(job, "", null, objects);
        store.finishListing(job.jobId());
        return job;
    }

    /** Messages visible in a queue (approximate, as SQS reports it). */
    int visibleMessages(String queueUrl) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    @Override
    public void close() throws IOException {
        sendPool.shutdownNow();
        sqs.close();
        s3Server.close();
        sqsServer.close();
        db.close();
        try (Stream<Path> walk = Files.walk(buckets)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
