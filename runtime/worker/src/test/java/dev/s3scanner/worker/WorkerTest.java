package dev.s3scanner.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3scanner.core.detect.ContentScanner;
import dev.s3scanner.core.message.ScanTask;
import dev.s3scanner.core.message.ScanTaskCodec;
import dev.s3scanner.core.queue.DeadLetterProcessor;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobStatus;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.ObjectState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The worker loop against the real queue, object store and database. */
class WorkerTest {
    private static WorkerFixture fx;
    private static S3Client s3;
    private static S3Faults faults;

    @BeforeAll
    static void start() throws Exception {
        fx = new WorkerFixture();
        faults = new S3Faults().get("poison/always-503.csv", 503, "SlowDown");
        s3 = fx.s3(faults);
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
        fx.close();
    }

    private static Map<String, byte[]> files(String prefix, int n) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            files.put(prefix + "/f" + i + ".csv", WorkerFixture.text("id,email,ssn\n" + i + ",user" + i + "@example.com,219-48-"
                    + String.format("%04d", 1000 + i) + "\n"));
        }
        return files;
    }

    private static WorkerSettings settings(String queueUrl, int visibilitySeconds) {
        return new WorkerSettings(queueUrl, 2, 8, 10, Duration.ofSeconds(1), Duration.ofSeconds(visibilitySeconds), 1L << 30);
    }

    private static JobStatus awaitStatus(JobStore store, Job job, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JobStatus s = store.findJob(job.jobId()).orElseThrow().status();
            if (s.isFinal()) {
                return s;
            }
            Thread.sleep(100);
        }
        return store.findJob(job.jobId()).orElseThrow().status();
    }

    @Test
    void workerScansEveryObjectAndEmptiesTheQueue() throws Exception {
        // given
        String bucket = fx.bucket("all-objects", files("data", 60));
        String[] q = fx.queue("all-objects", 5, 30);
        Job job = fx.listAndEnqueue(s3, bucket, q[0], 7);
        Worker worker = WorkerComponents.build(fx.store, s3, fx.sqs, settings(q[0], 30));

        // when
        worker.start();
        JobStatus status = awaitStatus(fx.store, job, Duration.ofSeconds(60));
        worker.stop(Duration.ofSeconds(5));

        // then
        assertThat(status).isEqualTo(JobStatus.COMPLETED);
        assertThat(fx.db.scalar("SELECT count(*) FROM job_objects WHERE job_id = ? AND state = 'succeeded'", job.jobId())).isEqualTo("60");
        assertThat(fx.db.scalar("SELECT count(*) FROM findings WHERE job_id = ?", job.jobId())).isEqualTo("120");
        assertThat(fx.visibleMessages(q[0])).isZero();
        assertThat(fx.visibleMessages(q[1])).isZero();
    }

    @Test
    void twoWorkersOnOneMessageProduceOneSetOfFindings() throws Exception {
        // given: the same scan task processed by two workers at once (case 13)
        String bucket = fx.bucket("double-delivery", files("d", 20));
        String[] q = fx.queue("double-delivery", 5, 30);
        Job job = fx.listAndEnqueue(s3, bucket, q[0], 100);
        Message m = fx.sqs.receiveMessage(b -> b.queueUrl(q[0]).maxNumberOfMessages(1)).messages().get(0);
        ScanTask task = ScanTaskCodec.decode(m.body());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        ContentScanner scanner = ContentScanner.defaults();
        ScanTaskProcessor a = new ScanTaskProcessor(fx.store, new ObjectScanner(s3, 1L << 30), pool, new Semaphore(4), j -> scanner);
        ScanTaskProcessor b = new ScanTaskProcessor(fx.store, new ObjectScanner(s3, 1L << 30), pool, new Semaphore(4), j -> scanner);

        // when
        CompletableFuture<ScanTaskProcessor.Disposition> first = CompletableFuture.supplyAsync(() -> run(a, task));
        CompletableFuture<ScanTaskProcessor.Disposition> second = CompletableFuture.supplyAsync(() -> run(b, task));

        // then
        assertThat(first.get()).isEqualTo(ScanTaskProcessor.Disposition.DONE);
        assertThat(second.get()).isEqualTo(ScanTaskProcessor.Disposition.DONE);
        assertThat(fx.db.scalar("SELECT count(*) FROM findings WHERE job_id = ?", job.jobId())).isEqualTo("40");
        assertThat(fx.store.liveProgress(job.jobId()).orElseThrow().findings()).isEqualTo(40);
        assertThat(fx.store.liveProgress(job.jobId()).orElseThrow().count("succeeded")).isEqualTo(20);
        assertThat(fx.store.findJob(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
        pool.shutdown();
    }

    private static ScanTaskProcessor.Disposition run(ScanTaskProcessor p, ScanTask task) {
        try {
            return p.process(task);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void redeliveredMessageForFinishedObjectsIsAcknowledgedWithoutRescanning() throws Exception {
        // given: a job already scanned, and its task delivered again
        String bucket = fx.bucket("redelivered", files("r", 5));
        String[] q = fx.queue("redelivered", 5, 30);
        Job job = fx.listAndEnqueue(s3, bucket, q[0], 100);
        String body = fx.sqs.receiveMessage(b -> b.queueUrl(q[0]).maxNumberOfMessages(1)).messages().get(0).body();
        fx.sqs.sendMessage(b -> b.queueUrl(q[0]).messageBody(body));
        Worker worker = WorkerComponents.build(fx.store, s3, fx.sqs, settings(q[0], 6));
        worker.start();
        assertThat(awaitStatus(fx.store, job, Duration.ofSeconds(60))).isEqualTo(JobStatus.COMPLETED);
        int getsBefore = faults.gets.get();

        // when: the duplicate is received after the visibility timeout of the first copy
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((fx.visibleMessages(q[0]) > 0 || worker.isBusy()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(7000);
        worker.stop(Duration.ofSeconds(5));

        // then
        assertThat(faults.gets.get()).isEqualTo(getsBefore);
        assertThat(fx.db.scalar("SELECT count(*) FROM findings WHERE job_id = ?", job.jobId())).isEqualTo("10");
        assertThat(fx.visibleMessages(q[0])).isZero();
        assertThat(fx.visibleMessages(q[1])).isZero();
    }

    @Test
    void visibilityIsExtendedWhileAnObjectTakesLongerThanTheTimeout() throws Exception {
        // given: one object whose GET takes 15 s, and a 6 s visibility timeout
        Map<String, byte[]> f = Map.of("slow/one.csv", WorkerFixture.text("219-48-3306\n"));
        String bucket = fx.bucket("slow-object", f);
        String[] q = fx.queue("slow-object", 5, 6);
        AtomicInteger slowGets = new AtomicInteger();
        S3Client slowS3 = fx.s3(new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (context.request() instanceof GetObjectRequest) {
                    slowGets.incrementAndGet();
                    sleep(15_000);
                }
            }
        });
        Job job = fx.listAndEnqueue(slowS3, bucket, q[0], 100);
        Worker worker = WorkerComponents.build(fx.store, slowS3, fx.sqs, settings(q[0], 6));

        // when
        worker.start();
        JobStatus status = awaitStatus(fx.store, job, Duration.ofSeconds(60));
        worker.stop(Duration.ofSeconds(5));

        // then: the message never became visible again, so the object was fetched once
        assertThat(status).isEqualTo(JobStatus.COMPLETED);
        assertThat(slowGets.get()).isEqualTo(1);
        assertThat(fx.visibleMessages(q[1])).isZero();
        slowS3.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void poisonTaskGoesToTheDeadLetterQueueAndItsObjectsFailWithTheLastError() throws Exception {
        // given: an object S3 always throttles, a queue that dead-letters after 2 receives
        Map<String, byte[]> f = new LinkedHashMap<>();
        f.put("poison/always-503.csv", WorkerFixture.text("219-48-3306\n"));
        f.put("poison/fine.csv", WorkerFixture.text("219-48-3307\n"));
        String bucket = fx.bucket("poison", f);
        String[] q = fx.queue("poison", 2, 6);
        Job job = fx.listAndEnqueue(s3, bucket, q[0], 100);
        Worker worker = WorkerComponents.build(fx.store, s3, fx.sqs, settings(q[0], 6));
        worker.start();

        // when: the dead-letter queue's handler runs on what arrives there
        DeadLetterProcessor deadLetters = new DeadLetterProcessor(fx.store);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && !fx.store.findJob(job.jobId()).orElseThrow().status().isFinal()) {
            for (Message m : fx.sqs.receiveMessage(b -> b.queueUrl(q[1]).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages()) {
                deadLetters.process(m.body(), 2);
                fx.sqs.deleteMessage(b -> b.queueUrl(q[1]).receiptHandle(m.receiptHandle()));
            }
        }
        worker.stop(Duration.ofSeconds(5));

        // then
        assertThat(fx.store.findJob(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
        List<List<String>> rows = fx.db.query("SELECT key, state, reason, detail FROM job_objects WHERE job_id = ? ORDER BY key", job.jobId());
        assertThat(rows.get(0)).containsExactly("poison/always-503.csv", "failed", "dead_lettered",
                "scan task dead-lettered after 2 receives; last error: GetObject s3://poison/poison/always-503.csv: 503 SlowDown");
        assertThat(rows.get(1).subList(0, 2)).containsExactly("poison/fine.csv", "succeeded");
    }

    @Test
    void objectsOfACancelledJobAreSkippedAsCancelled() throws Exception {
        // given
        String bucket = fx.bucket("cancelled", files("c", 10));
        String[] q = fx.queue("cancelled", 5, 30);
        Job job = fx.listAndEnqueue(s3, bucket, q[0], 3);
        fx.store.cancelJob(job.jobId());
        Worker worker = WorkerComponents.build(fx.store, s3, fx.sqs, settings(q[0], 30));
        int getsBefore = faults.gets.get();

        // when
        worker.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (fx.store.liveProgress(job.jobId()).orElseThrow().count("queued") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        worker.stop(Duration.ofSeconds(5));

        // then
        assertThat(fx.store.objects(job.jobId(), ObjectState.SKIPPED, 100)).hasSize(10)
                .allSatisfy(o -> assertThat(o.reason()).isEqualTo("cancelled"));
        assertThat(faults.gets.get()).isEqualTo(getsBefore);
        assertThat(fx.store.findJob(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void malformedMessageIsLeftForTheDeadLetterQueue() throws Exception {
        // given
        String[] q = fx.queue("malformed", 2, 6);
        fx.sqs.sendMessage(b -> b.queueUrl(q[0]).messageBody("{\"not\":\"a task\"}"));
        Worker worker = WorkerComponents.build(fx.store, s3, fx.sqs, settings(q[0], 6));

        // when
        worker.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (fx.visibleMessages(q[1]) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        worker.stop(Duration.ofSeconds(5));

        // then
        assertThat(fx.visibleMessages(q[1])).isEqualTo(1);
        assertThat(new DeadLetterProcessor(fx.store).process("{\"not\":\"a task\"}", 2)).isZero();
    }

    @Test
    void jobDetectionOptionsChooseTheDetectorsAndAddCustomOnes() throws Exception {
        // given: a job that asks for emails only, plus an employee-id detector, and allows one address
        Map<String, byte[]> f = Map.of("hr/staff.csv", WorkerFixture.text(
                "employee EMP-123456,ann@example.com,219-48-3306\nemployee EMP-654321,help@example.com,(212) 555-0147\n"));
        String bucket = fx.bucket("options", f);
        String[] q = fx.queue("options", 5, 30);
        Job job = fx.store.createJob(new dev.s3scanner.core.store.NewJob(java.util.UUID.randomUUID(), bucket, "", "list", bucket, """
                {"detection": {"enabled_detectors": ["email"],
                               "custom_detectors": [{"name": "employee_id", "regex": "EMP-[0-9]{6}", "keywords": ["employee"]}],
                               "allow_list": {"values": ["help@example.com"]}}}""", null));
        enqueue(job, q[0]);
        Worker worker = WorkerComponents.build(fx.store, s3, fx.sqs, settings(q[0], 30));

        // when
        worker.start();
        JobStatus status = awaitStatus(fx.store, job, Duration.ofSeconds(60));
        worker.stop(Duration.ofSeconds(5));

        // then
        assertThat(status).isEqualTo(JobStatus.COMPLETED);
        assertThat(fx.db.query("SELECT detector, masked_value FROM findings WHERE job_id = ? ORDER BY byte_offset", job.jobId()))
                .containsExactly(List.of("employee_id", "********56"), List.of("email", "a**@example.com"),
                        List.of("employee_id", "********21"));
    }

    private static void enqueue(Job job, String queueUrl) {
        List<dev.s3scanner.core.store.ListedObject> objects = new java.util.ArrayList<>();
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(job.bucket()))) {
            for (var o : page.contents()) {
                objects.add(dev.s3scanner.core.listing.ListingClassifier.classify(o.key(), o.eTag(), o.size(), null,
                        o.storageClassAsString(), o.lastModified(), null, null));
            }
        }
        new dev.s3scanner.core.listing.ListedPageRecorder(fx.store,
                new dev.s3scanner.core.queue.ScanTaskSender(fx.sqs, queueUrl, fx.sendPool, 3, 10), 24 * 1024, 100)
                .record(job, "", null, objects);
        fx.store.finishListing(job.jobId());
    }

    @Test
    void highConcurrencyStillEndsEveryObjectInExactlyOneTerminalState() throws Exception {
        // given: 1,000 objects in small tasks, 16 receivers and 64 objects in flight
        String bucket = fx.bucket("high-concurrency", files("h", 1000));
        String[] q = fx.queue("high-concurrency", 5, 30);
        Job job = fx.listAndEnqueue(s3, bucket, q[0], 7);
        Worker worker = WorkerComponents.build(fx.store, s3, fx.sqs,
                new WorkerSettings(q[0], 16, 64, 10, Duration.ofSeconds(1), Duration.ofSeconds(30), 1L << 30));

        // when
        worker.start();
        JobStatus status = awaitStatus(fx.store, job, Duration.ofMinutes(3));
        worker.stop(Duration.ofSeconds(5));

        // then
        assertThat(status).isEqualTo(JobStatus.COMPLETED);
        assertThat(fx.db.query("SELECT state, count(*), count(DISTINCT key) FROM job_objects WHERE job_id = ? GROUP BY state",
                job.jobId())).containsExactly(List.of("succeeded", "1000", "1000"));
        assertThat(fx.db.scalar("SELECT count(*) FROM findings WHERE job_id = ?", job.jobId())).isEqualTo("2000");
        assertThat(fx.store.liveProgress(job.jobId()).orElseThrow().findings()).isEqualTo(2000);
        assertThat(fx.visibleMessages(q[0])).isZero();
        assertThat(fx.visibleMessages(q[1])).isZero();
    }
}
