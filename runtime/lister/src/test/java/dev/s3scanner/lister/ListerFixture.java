package dev.s3scanner.lister;

import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.listing.ListedPageRecorder;
import dev.s3scanner.core.local.LocalSqsServer;
import dev.s3scanner.core.message.ScanTaskCodec;
import dev.s3scanner.core.queue.ScanTaskSender;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.NewJob;
import dev.s3scanner.core.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What the list-batch tests share: a fresh database on the test PostgreSQL, an in-process SQS
 * server (ElasticMQ) and a send pool. One per test class.
 */
final class ListerFixture implements AutoCloseable {
    final TestDatabase db;
    final JobStore store;
    final LocalSqsServer sqsServer;
    final SqsClient sqs;
    final ExecutorService sendPool;

    ListerFixture() {
        db = TestDatabase.create();
        store = db.store();
        sqsServer = LocalSqsServer.start();
        sqs = AwsClients.sqs(AwsClients.Settings.local(null, sqsServer.endpoint(), 16));
        sendPool = Executors.newFixedThreadPool(4);
    }

    /** A new queue's URL. */
    String queue() {
        return sqs.createQueue(b -> b.queueName("q-" + UUID.randomUUID())).queueUrl();
    }

    /** A new ListObjectsV2 job. */
    UUID job(String bucket, String prefix) {
        return store.createJob(NewJob.of(bucket, prefix)).jobId();
    }

    /** A list-batch step over {@code s3} with {@code maxKeys} per page, listing one page ahead as in production. */
    ListBatch batch(S3Client s3, String queueUrl, int maxKeys, int pagesPerStep) {
        ListedPageRecorder recorder = new ListedPageRecorder(store, new ScanTaskSender(sqs, queueUrl, sendPool, 3, 1),
                ScanTaskCodec.DEFAULT_MAX_BODY_BYTES, ScanTaskCodec.DEFAULT_MAX_OBJECTS);
        return new ListBatch(store, new ObjectListing(s3, false, maxKeys), recorder, pagesPerStep, sendPool);
    }

    /** Runs steps until done; returns every state produced, last one last. */
    static List<ListBatchState> runToEnd(ListBatch batch, UUID jobId) {
        List<ListBatchState> states = new ArrayList<>();
        ListBatchState state = ListBatchState.start(jobId);
        while (!state.done()) {
            state = batch.step(state);
            states.add(state);
        }
        return states;
    }

    /** Every object key in the queue's messages, once per occurrence, in arrival order; deletes them. */
    List<String> drainKeys(String queueUrl) {
        List<String> keys = new ArrayList<>();
        while (true) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (got.isEmpty()) {
                return keys;
            }
            for (Message m : got) {
                ScanTaskCodec.decode(m.body()).objects().forEach(o -> keys.add(o.key()));
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    /** The job's rows as "key|state|reason", in byte order of the key. */
    List<String> rows(UUID jobId) {
        return db.query("SELECT key, state, coalesce(reason, '') FROM job_objects WHERE job_id = ? ORDER BY key", jobId)
                .stream().map(r -> String.join("|", r)).toList();
    }

    @Override
    public void close() {
        sendPool.shutdownNow();
        sqs.close();
        sqsServer.close();
        db.close();
    }
}
