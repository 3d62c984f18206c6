package dev.s3scanner.core.listing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.local.LocalSqsServer;
import dev.s3scanner.core.message.ScanTaskCodec;
import dev.s3scanner.core.queue.ScanTaskSender;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.ListedObject;
import dev.s3scanner.core.store.NewJob;
import dev.s3scanner.core.store.ObjectReason;
import dev.s3scanner.core.store.ObjectState;
import dev.s3scanner.core.store.PageRecord;
import dev.s3scanner.core.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * The shared record-and-enqueue path against the real PostgreSQL and a real SQS wire-protocol
 * server (ElasticMQ): rows and messages are idempotent by job and key.
 */
class ListedPageRecorderTest {
    private static TestDatabase db;
    private static JobStore store;
    private static LocalSqsServer sqsServer;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        store = db.store();
        sqsServer = LocalSqsServer.start();
        pool = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        sqsServer.close();
        db.close();
    }

    private static SqsClient sqs(ExecutionInterceptor... interceptors) {
        return SqsClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(AwsClients.Settings.local(null, sqsServer.endpoint(), 8).credentials())
                .endpointOverride(sqsServer.endpoint())
                .overrideConfiguration(o -> {
                    for (ExecutionInterceptor i : interceptors) {
                        o.addExecutionInterceptor(i);
                    }
                })
                .build();
    }

    private static ListedPageRecorder recorder(SqsClient sqs, String queueUrl) {
        return new ListedPageRecorder(store, new ScanTaskSender(sqs, queueUrl, pool, 3, 1), 4 * 1024, 25);
    }

    private static List<ListedObject> objects(int from, int to) {
        List<ListedObject> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(ListedObject.queued(String.format("k/%04d.txt", i), "\"e" + i + "\"", 10, null, "STANDARD", null));
        }
        return out;
    }

    /** Every key in the queue's messages, once per occurrence. */
    private static List<String> drainKeys(SqsClient sqs, String url) {
        List<String> keys = new ArrayList<>();
        while (true) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (got.isEmpty()) {
                return keys;
            }
            for (Message m : got) {
                ScanTaskCodec.decode(m.body()).objects().forEach(o -> keys.add(o.key()));
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }

    private static String keyList(int from, int to) {
        return String.join(",", objects(from, to).stream().map(ListedObject::key).toList());
    }

    @Test
    void everyQueuedObjectOfAPageIsInExactlyOneMessage() {
        // given: 240 objects and a folder marker decided at listing time
        SqsClient sqs = sqs();
        String url = sqs.createQueue(b -> b.queueName("one-page")).queueUrl();
        Job job = store.createJob(NewJob.of("bucket-a", ""));
        List<ListedObject> page = new ArrayList<>(objects(0, 240));
        page.add(ListingClassifier.classify("docs/", null, 0, null, null, null, null, null));

        // when
        ListedPageRecorder.Outcome outcome = recorder(sqs, url).record(job, "", null, page);

        // then
        assertThat(outcome.queued()).isEqualTo(240);
        assertThat(outcome.tasksSent()).isEqualTo(10);
        assertThat(String.join(",", drainKeys(sqs, url).stream().sorted().toList())).isEqualTo(keyList(0, 240));
        assertThat(db.scalar("SELECT count(*) FROM job_objects WHERE job_id = ?", job.jobId())).isEqualTo("241");
        assertThat(db.scalar("SELECT state || ':' || reason FROM job_objects WHERE job_id = ? AND key = 'docs/'", job.jobId()))
                .isEqualTo("skipped:folder_marker");
    }

    @Test
    void replayingAnEnqueuedPageAddsNoRowsAndNoMessages() {
        // given: a page recorded and enqueued
        SqsClient sqs = sqs();
        String url = sqs.createQueue(b -> b.queueName("replay")).queueUrl();
        Job job = store.createJob(NewJob.of("bucket-b", ""));
        ListedPageRecorder recorder = recorder(sqs, url);
        recorder.record(job, "tok-A", "tok-B", objects(0, 60));
        assertThat(drainKeys(sqs, url)).hasSize(60);

        // when: the same page again (a retried step with the same token)
        ListedPageRecorder.Outcome replay = recorder.record(job, "tok-A", "tok-B", objects(0, 60));

        // then
        assertThat(replay.page()).isEqualTo(new PageRecord(false, true, "tok-B"));
        assertThat(replay.queued()).isZero();
        assertThat(drainKeys(sqs, url)).isEmpty();
        assertThat(db.scalar("SELECT count(*) FROM job_objects WHERE job_id = ?", job.jobId())).isEqualTo("60");
        assertThat(store.liveProgress(job.jobId()).orElseThrow().listed()).isEqualTo(60);
    }

    @Test
    void aPageOverlappingKeysOfAnotherPageEnqueuesOnlyItsNewKeys() {
        // given: keys 0-29 recorded under one token
        SqsClient sqs = sqs();
        String url = sqs.createQueue(b -> b.queueName("overlap")).queueUrl();
        Job job = store.createJob(NewJob.of("bucket-c", ""));
        ListedPageRecorder recorder = recorder(sqs, url);
        recorder.record(job, "", "tok-1", objects(0, 30));

        // when: a page listed from another token covers keys 20-49 (a listing resumed after the
        // bucket changed)
        ListedPageRecorder.Outcome outcome = recorder.record(job, "tok-1-relisted", null, objects(20, 50));

        // then: one row and one message per key; keys 20-29 reported as duplicates and counted once
        assertThat(outcome.page().recordedNow()).isTrue();
        assertThat(outcome.page().duplicateKeys()).containsExactlyInAnyOrderElementsOf(
                objects(20, 30).stream().map(ListedObject::key).toList());
        assertThat(outcome.queued()).isEqualTo(20);
        assertThat(String.join(",", drainKeys(sqs, url).stream().sorted().toList())).isEqualTo(keyList(0, 50));
        assertThat(db.scalar("SELECT count(*) FROM job_objects WHERE job_id = ?", job.jobId())).isEqualTo("50");
        assertThat(store.liveProgress(job.jobId()).orElseThrow().listed()).isEqualTo(50);
        assertThat(store.liveProgress(job.jobId()).orElseThrow().count("queued")).isEqualTo(50);
    }

    @Test
    void objectsWhoseMessageSqsRejectsAreFailedNotLeftQueued() {
        // given: SendMessageBatch answers 200 but rejects the entry holding k/0007.txt
        // (SenderFault=true, as in case 14's fixture); one object per message here
        RejectKey reject = new RejectKey("k/0007.txt");
        SqsClient sqs = sqs(reject);
        String url = sqs.createQueue(b -> b.queueName("partial")).queueUrl();
        Job job = store.createJob(NewJob.of("bucket-d", ""));
        ListedPageRecorder recorder = new ListedPageRecorder(store, new ScanTaskSender(sqs, url, pool, 3, 1), 4096, 1);

        // when
        ListedPageRecorder.Outcome outcome = recorder.record(job, "", null, objects(0, 10));

        // then
        assertThat(outcome.enqueueFailures()).isEqualTo(1);
        assertThat(outcome.tasksSent()).isEqualTo(9);
        assertThat(db.query("SELECT key, state, reason, detail FROM job_objects WHERE job_id = ? AND state <> 'queued'",
                job.jobId())).containsExactly(List.of("k/0007.txt", "failed", ObjectReason.ENQUEUE_FAILED,
                "InvalidParameterValue: message attribute value invalid"));
        assertThat(store.objects(job.jobId(), ObjectState.QUEUED, 100)).hasSize(9);
        assertThat(db.scalar("SELECT enqueued FROM job_list_pages WHERE job_id = ?", job.jobId())).isEqualTo("t");
    }

    @Test
    void pagesOfOneBatchAreAllSentBeforeFinishReturns() {
        // given: five pages added to one batch, two per transaction
        SqsClient sqs = sqs();
        String url = sqs.createQueue(b -> b.queueName("batch")).queueUrl();
        Job job = store.createJob(NewJob.of("bucket-e", ""));
        ListedPageRecorder.Batch batch = recorder(sqs, url).batch(job, 2);
        for (int p = 0; p < 5; p++) {
            batch.add(p == 0 ? "" : "tok-" + p, p == 4 ? null : "tok-" + (p + 1), objects(p * 100, p * 100 + 100));
        }

        // when
        List<ListedPageRecorder.Outcome> outcomes = batch.finish();

        // then
        assertThat(outcomes).extracting(ListedPageRecorder.Outcome::queued).containsExactly(100, 100, 100, 100, 100);
        assertThat(drainKeys(sqs, url)).hasSize(500).doesNotHaveDuplicates();
        assertThat(db.scalar("SELECT count(*) FROM job_list_pages WHERE job_id = ? AND enqueued", job.jobId())).isEqualTo("5");
        assertThat(db.scalar("SELECT pages_listed || ' ' || (list_token IS NULL) FROM jobs WHERE job_id = ?", job.jobId()))
                .isEqualTo("5 true");
    }

    @Test
    void keysRepeatedAcrossPagesOfOneTransactionAreRecordedAndEnqueuedOnce() {
        // given: two pages of one transaction that share keys 40-49
        SqsClient sqs = sqs();
        String url = sqs.createQueue(b -> b.queueName("group-overlap")).queueUrl();
        Job job = store.createJob(NewJob.of("bucket-f", ""));
        ListedPageRecorder.Batch batch = recorder(sqs, url).batch(job, 3);

        // when
        batch.add("", "t1", objects(0, 50));
        batch.add("t1", null, objects(40, 80));
        List<ListedPageRecorder.Outcome> outcomes = batch.finish();

        // then
        assertThat(outcomes).extracting(ListedPageRecorder.Outcome::queued).containsExactly(50, 30);
        assertThat(outcomes.get(1).page().duplicateKeys()).hasSize(10);
        assertThat(String.join(",", drainKeys(sqs, url).stream().sorted().toList())).isEqualTo(keyList(0, 80));
        assertThat(db.scalar("SELECT count(*) FROM job_objects WHERE job_id = ?", job.jobId())).isEqualTo("80");
        assertThat(store.liveProgress(job.jobId()).orElseThrow().listed()).isEqualTo(80);
    }

    /** Rewrites SendMessageBatch responses so that the entry carrying one key is rejected (SenderFault). */
    private static final class RejectKey implements ExecutionInterceptor {
        private final String key;

        RejectKey(String key) {
            this.key = key;
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            if (!(context.response() instanceof SendMessageBatchResponse response)
                    || !(context.request() instanceof SendMessageBatchRequest request)) {
                return context.response();
            }
            Set<String> rejectIds = new java.util.HashSet<>();
            request.entries().forEach(e -> {
                if (ScanTaskCodec.decode(e.messageBody()).objects().stream().anyMatch(o -> o.key().equals(key))) {
                    rejectIds.add(e.id());
                }
            });
            List<SendMessageBatchResultEntry> ok = response.successful().stream().filter(e -> !rejectIds.contains(e.id())).toList();
            List<BatchResultErrorEntry> failed = new ArrayList<>(response.failed());
            rejectIds.forEach(id -> failed.add(BatchResultErrorEntry.builder().id(id).senderFault(true)
                    .code("InvalidParameterValue").message("message attribute value invalid").build()));
            return response.toBuilder().successful(ok).failed(failed).build();
        }
    }
}
