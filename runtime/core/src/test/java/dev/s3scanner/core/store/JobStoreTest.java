package dev.s3scanner.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3scanner.core.detect.Finding;
import dev.s3scanner.core.testing.TestDatabase;
import dev.s3scanner.db.SchemaLayout;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The job store against the real PostgreSQL server, once per schema layout: every test runs on a
 * database with plain {@code job_objects}/{@code findings} tables and on one where they are
 * partitioned by job.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(SchemaLayout.class)
class JobStoreTest {
    private static TestDatabase db;
    private static JobStore store;

    @Parameter
    SchemaLayout layout;

    @BeforeParameterizedClassInvocation
    static void createDatabase(SchemaLayout layout) {
        db = TestDatabase.create(layout);
        store = db.store();
    }

    @AfterParameterizedClassInvocation
    static void dropDatabase() {
        db.close();
    }

    private static Job newJob() {
        return store.createJob(NewJob.of("bucket-" + UUID.randomUUID().toString().substring(0, 8), ""));
    }

    private static List<ListedObject> objects(String... keys) {
        List<ListedObject> out = new ArrayList<>();
        for (String k : keys) {
            out.add(ListedObject.queued(k, "\"etag-" + k.hashCode() + "\"", 10, null, "STANDARD", null));
        }
        return out;
    }

    @Test
    void createdJobIsListing() {
        // when
        Job job = newJob();

        // then
        assertThat(job.status()).isEqualTo(JobStatus.LISTING);
        assertThat(store.findJob(job.jobId())).contains(job);
    }

    @Test
    void sameIdempotencyKeyReturnsTheFirstJob() {
        // given
        NewJob first = new NewJob(UUID.randomUUID(), "b1", "p/", "list", "b1", "{}", "client-key-1");
        NewJob retry = new NewJob(UUID.randomUUID(), "b1", "p/", "list", "b1", "{}", "client-key-1");

        // when
        Job a = store.createJob(first);
        Job b = store.createJob(retry);

        // then
        assertThat(b.jobId()).isEqualTo(a.jobId()).isEqualTo(first.jobId());
    }

    @Test
    void recordingAPageInsertsRowsAndCounts() {
        // given
        Job job = newJob();
        List<ListedObject> page = new ArrayList<>(objects("a.txt", "b.txt"));
        page.add(ListedObject.queued("docs/", null, 0, null, null, null)
                .withOutcome(ObjectState.SKIPPED, ObjectReason.FOLDER_MARKER, null));

        // when
        PageRecord r = store.recordPage(job.jobId(), "", "token-2", page);

        // then
        assertThat(r).isEqualTo(new PageRecord(true, false, "token-2"));
        JobProgress p = store.liveProgress(job.jobId()).orElseThrow();
        assertThat(p.listed()).isEqualTo(3);
        assertThat(p.count("queued")).isEqualTo(2);
        assertThat(p.count("skipped:folder_marker")).isEqualTo(1);
        assertThat(db.scalar("SELECT count(*) FROM job_objects WHERE job_id = ?", job.jobId())).isEqualTo("3");
    }

    @Test
    void replayingAPageAddsNothing() {
        // given
        Job job = newJob();
        store.recordPage(job.jobId(), "tok", "next", objects("a", "b"));
        store.markPageEnqueued(job.jobId(), "tok");

        // when
        PageRecord replay = store.recordPage(job.jobId(), "tok", "next", objects("a", "b"));

        // then
        assertThat(replay).isEqualTo(new PageRecord(false, true, "next"));
        assertThat(store.liveProgress(job.jobId()).orElseThrow().listed()).isEqualTo(2);
        assertThat(db.scalar("SELECT count(*) FROM job_objects WHERE job_id = ?", job.jobId())).isEqualTo("2");
    }

    @Test
    void keysKeepEveryByteThroughCopy() {
        // given: characters COPY's text format must escape, and ones it must not touch
        List<String> awkward = List.of("tab\there", "new\nline", "cr\rret", "back\\slash", "\\N", "ünï cödé/日本.txt",
                "  spaces  ", "plus+and%2B", "emoji 🙂.csv", "comma,\"quote\".txt");
        Job job = newJob();

        // when
        store.recordPage(job.jobId(), "", null, objects(awkward.toArray(String[]::new)));

        // then
        List<String> stored = db.query("SELECT key FROM job_objects WHERE job_id = ?", job.jobId())
                .stream().map(r -> r.get(0)).toList();
        assertThat(stored).containsExactlyInAnyOrderElementsOf(awkward);
    }

    @Test
    void resultsMoveEachObjectOnceAndFindingsAreNotDuplicated() {
        // given
        Job job = newJob();
        store.recordPage(job.jobId(), "", null, objects("a", "b"));
        Finding f = new Finding("us_ssn", 12, "", "***-**-3306", "ssn ***-**-3306");
        List<ObjectResult> results = List.of(ObjectResult.succeeded("a", List.of(f), 1, 100),
                ObjectResult.skipped("b", ObjectReason.BINARY, "binary content"));

        // when
        JobStore.RecordedResults first = store.recordResults(job.jobId(), results);
        JobStore.RecordedResults redelivered = store.recordResults(job.jobId(), results);

        // then
        assertThat(first).isEqualTo(new JobStore.RecordedResults(2, 1));
        assertThat(redelivered).isEqualTo(new JobStore.RecordedResults(0, 0));
        JobProgress p = store.liveProgress(job.jobId()).orElseThrow();
        assertThat(p.count("queued")).isZero();
        assertThat(p.count("succeeded")).isEqualTo(1);
        assertThat(p.count("skipped:binary")).isEqualTo(1);
        assertThat(p.findings()).isEqualTo(1);
        assertThat(p.count("bytes_scanned")).isEqualTo(100);
        assertThat(db.scalar("SELECT count(*) FROM findings WHERE job_id = ?", job.jobId())).isEqualTo("1");
    }

    @Test
    void aFindingReportedTwiceForOneObjectIsStoredAndCountedOnce() {
        // given
        Job job = newJob();
        store.recordPage(job.jobId(), "", null, objects("a"));
        Finding f = new Finding("email", 40, "", "j***@example.com", "mail j***@example.com");
        Finding other = new Finding("email", 90, "", "k***@example.com", "mail k***@example.com");

        // when
        JobStore.RecordedResults recorded = store.recordResults(job.jobId(),
                List.of(ObjectResult.succeeded("a", List.of(f, other, f), 3, 100)));

        // then
        assertThat(recorded).isEqualTo(new JobStore.RecordedResults(1, 2));
        assertThat(db.query("SELECT byte_offset, masked_value FROM findings WHERE job_id = ? ORDER BY byte_offset",
                job.jobId())).containsExactly(List.of("40", "j***@example.com"), List.of("90", "k***@example.com"));
        assertThat(store.liveProgress(job.jobId()).orElseThrow().findings()).isEqualTo(2);
    }

    @Test
    void findingTextWithTabsNewlinesAndBackslashesIsStoredExactly() {
        // given
        Job job = newJob();
        String key = "dir\\sub\tname\nline.csv";
        store.recordPage(job.jobId(), "", null, objects(key));
        String context = "a\tb\r\nc \\N d\\e j***@example.com";
        Finding f = new Finding("email", 7, "inner\\entry\t1.txt", "j***@example.com", context);

        // when
        store.recordResults(job.jobId(), List.of(ObjectResult.succeeded(key, List.of(f), 1, 100)));

        // then
        assertThat(db.query("SELECT key, entry_path, context FROM findings WHERE job_id = ?", job.jobId()))
                .containsExactly(List.of(key, "inner\\entry\t1.txt", context));
    }

    @Test
    void findingsAlreadyStoredForAnOpenObjectAreSkippedAndTheRestRecorded() {
        // given: a finding row for an object that is still queued (no code path of the store does this)
        Job job = newJob();
        store.recordPage(job.jobId(), "", null, objects("a"));
        db.scalar("INSERT INTO findings (job_id, key, entry_path, detector, byte_offset, masked_value, context) "
                + "VALUES (?, 'a', '', 'email', 40, 'j***@example.com', 'mail j***@example.com') RETURNING 1", job.jobId());
        Finding stored = new Finding("email", 40, "", "j***@example.com", "mail j***@example.com");
        Finding fresh = new Finding("email", 90, "", "k***@example.com", "mail k***@example.com");

        // when
        JobStore.RecordedResults recorded = store.recordResults(job.jobId(),
                List.of(ObjectResult.succeeded("a", List.of(stored, fresh), 2, 100)));

        // then: the object is recorded, the new finding stored, nothing twice
        assertThat(recorded).isEqualTo(new JobStore.RecordedResults(1, 1));
        assertThat(db.scalar("SELECT state FROM job_objects WHERE job_id = ? AND key = 'a'", job.jobId()))
                .isEqualTo("succeeded");
        assertThat(db.query("SELECT byte_offset FROM findings WHERE job_id = ? ORDER BY byte_offset", job.jobId()))
                .containsExactly(List.of("40"), List.of("90"));
    }

    @Test
    void zeroObjectJobCompletesWhenListingFinishes() {
        // given
        Job job = newJob();
        store.recordPage(job.jobId(), "", null, List.of());

        // when
        JobStatus status = store.finishListing(job.jobId());

        // then
        assertThat(status).isEqualTo(JobStatus.COMPLETED);
        assertThat(store.liveProgress(job.jobId()).orElseThrow().progressPercent()).isEqualTo(100.0);
    }

    @Test
    void jobCompletesWhenTheLastObjectIsRecorded() {
        // given
        Job job = newJob();
        store.recordPage(job.jobId(), "", null, objects("a", "b"));
        store.finishListing(job.jobId());
        store.recordResults(job.jobId(), List.of(ObjectResult.succeeded("a", List.of(), 0, 1)));
        assertThat(store.findJob(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.PROCESSING);

        // when
        store.recordResults(job.jobId(), List.of(ObjectResult.succeeded("b", List.of(), 0, 1)));

        // then
        assertThat(store.findJob(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void jobStillListingIsNeverReportedComplete() {
        // given: every object so far is done, but listing goes on
        Job job = newJob();
        store.recordPage(job.jobId(), "", "more", objects("a"));
        store.recordResults(job.jobId(), List.of(ObjectResult.succeeded("a", List.of(), 0, 1)));

        // when
        JobProgress p = store.liveProgress(job.jobId()).orElseThrow();

        // then
        assertThat(p.status()).isEqualTo(JobStatus.LISTING);
        assertThat(p.progressPercent()).isEqualTo(99.9);
    }

    @Test
    void cancelledJobStaysCancelled() {
        // given
        Job job = newJob();

        // when
        boolean cancelled = store.cancelJob(job.jobId());
        boolean failedAfter = store.failJob(job.jobId(), "late failure");

        // then
        assertThat(cancelled).isTrue();
        assertThat(failedAfter).isFalse();
        assertThat(store.findJob(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void countersEqualAFullCountAfterConcurrentWorkersWithRedeliveries() throws Exception {
        // given: 2,000 objects, each result delivered to three workers at once
        Job job = newJob();
        int n = 2000;
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add("obj/" + i);
        }
        for (int p = 0; p < n; p += 500) {
            store.recordPage(job.jobId(), "page-" + p, null, objects(keys.subList(p, p + 500).toArray(String[]::new)));
        }
        store.finishListing(job.jobId());
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<?>> futures = new ArrayList<>();

        // when
        for (int copy = 0; copy < 3; copy++) {
            for (int i = 0; i < n; i += 20) {
                List<ObjectResult> batch = new ArrayList<>();
                for (int k = i; k < i + 20; k++) {
                    String key = keys.get(k);
                    batch.add(k % 7 == 0
                            ? ObjectResult.skipped(key, ObjectReason.BINARY, null)
                            : ObjectResult.succeeded(key, List.of(new Finding("email", k, "", "x***@example.com", "c")), 1, 10));
                }
                futures.add(pool.submit(() -> store.recordResults(job.jobId(), batch)));
            }
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();

        // then
        JobProgress p = store.liveProgress(job.jobId()).orElseThrow();
        String countSucceeded = db.scalar("SELECT count(*) FROM job_objects WHERE job_id = ? AND state = 'succeeded'", job.jobId());
        String countSkipped = db.scalar("SELECT count(*) FROM job_objects WHERE job_id = ? AND state = 'skipped'", job.jobId());
        String countFindings = db.scalar("SELECT count(*) FROM findings WHERE job_id = ?", job.jobId());
        assertThat(p.count("succeeded")).isEqualTo(Long.parseLong(countSucceeded));
        assertThat(p.count("skipped")).isEqualTo(Long.parseLong(countSkipped));
        assertThat(p.findings()).isEqualTo(Long.parseLong(countFindings));
        assertThat(p.count("queued")).isZero();
        assertThat(p.done()).isEqualTo(n);
        assertThat(store.findJob(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void createdJobHasItsOwnPartitionsOnlyInThePartitionedLayout() {
        // when
        Job job = newJob();

        // then
        String suffix = job.jobId().toString().replace("-", "");
        String partitions = db.scalar("SELECT count(*) FROM pg_inherits WHERE inhrelid IN (to_regclass(?), to_regclass(?))",
                "job_objects_" + suffix, "findings_" + suffix);
        assertThat(partitions).isEqualTo(layout == SchemaLayout.PARTITIONED ? "2" : "0");
    }

    @Test
    void jobWhoseObjectsAreAllSkippedAtListingCompletes() {
        // given: a page of folder markers only
        Job job = newJob();
        store.recordPage(job.jobId(), "", null, List.of(
                ListedObject.queued("a/", null, 0, null, null, null).withOutcome(ObjectState.SKIPPED, ObjectReason.FOLDER_MARKER, null),
                ListedObject.queued("b/", null, 0, null, null, null).withOutcome(ObjectState.SKIPPED, ObjectReason.FOLDER_MARKER, null)));

        // when
        JobStatus status = store.finishListing(job.jobId());

        // then
        assertThat(status).isEqualTo(JobStatus.COMPLETED);
        JobProgress p = store.liveProgress(job.jobId()).orElseThrow();
        assertThat(p.listed()).isEqualTo(2);
        assertThat(p.count("skipped:folder_marker")).isEqualTo(2);
    }

    @Test
    void failedJobStaysFailedWhenWorkersDrainItsObjects() {
        // given: listing failed after one page
        Job job = newJob();
        store.recordPage(job.jobId(), "", "more", objects("a", "b"));
        store.failJob(job.jobId(), "listing failed: AccessDenied");

        // when: the workers skip what was already queued
        store.recordResults(job.jobId(), List.of(ObjectResult.skipped("a", ObjectReason.CANCELLED, "job failed"),
                ObjectResult.skipped("b", ObjectReason.CANCELLED, "job failed")));
        store.finishListing(job.jobId());

        // then
        JobProgress p = store.liveProgress(job.jobId()).orElseThrow();
        assertThat(p.status()).isEqualTo(JobStatus.FAILED);
        assertThat(p.statusReason()).isEqualTo("listing failed: AccessDenied");
        assertThat(p.count("queued")).isZero();
        assertThat(p.count("skipped:cancelled")).isEqualTo(2);
    }

    @Test
    void cancelledJobStaysCancelledWhenWorkersDrainItsObjects() {
        // given
        Job job = newJob();
        store.recordPage(job.jobId(), "", null, objects("a", "b"));
        store.finishListing(job.jobId());
        store.cancelJob(job.jobId());

        // when
        store.recordResults(job.jobId(), List.of(ObjectResult.skipped("a", ObjectReason.CANCELLED, "job cancelled"),
                ObjectResult.skipped("b", ObjectReason.CANCELLED, "job cancelled")));

        // then
        JobProgress p = store.liveProgress(job.jobId()).orElseThrow();
        assertThat(p.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(p.done()).isEqualTo(2);
        assertThat(p.count("queued")).isZero();
    }

    @Test
    void lastResultRacingTheEndOfListingAlwaysCompletesTheJob() throws Exception {
        // given: 20 jobs whose last object is recorded at the same moment as listing finishes
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<UUID> jobs = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Job job = newJob();
                jobs.add(job.jobId());
                store.recordPage(job.jobId(), "", null, objects("last"));
                CyclicBarrier together = new CyclicBarrier(2);

                // when
                Future<?> worker = pool.submit(() -> {
                    together.await();
                    return store.recordResults(job.jobId(), List.of(ObjectResult.succeeded("last", List.of(), 0, 1)));
                });
                Future<?> lister = pool.submit(() -> {
                    together.await();
                    return store.finishListing(job.jobId());
                });
                worker.get();
                lister.get();
            }
        } finally {
            pool.shutdown();
        }

        // then
        for (UUID job : jobs) {
            assertThat(store.findJob(job).orElseThrow().status()).as("job %s", job).isEqualTo(JobStatus.COMPLETED);
        }
    }

    @Test
    void finishingTheListingOfAnUnknownJobNamesIt() {
        // given
        UUID unknown = UUID.randomUUID();

        // when / then
        assertThatThrownBy(() -> store.finishListing(unknown))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no job " + unknown);
    }

    @Test
    void cachedProgressIsTheViewAsOfItsLastRefresh() {
        // given: refreshed after one result, then another result
        Job job = newJob();
        store.recordPage(job.jobId(), "", null, objects("a", "b"));
        store.finishListing(job.jobId());
        Finding f = new Finding("email", 3, "", "x***@example.com", "mail x***@example.com");
        store.recordResults(job.jobId(), List.of(ObjectResult.succeeded("a", List.of(f), 1, 10)));
        db.scalar("SELECT scanner_refresh_job_progress()");
        Instant refreshedAt = Instant.EPOCH.plus(Long.parseLong(db.scalar(
                "SELECT (extract(epoch FROM refreshed_at) * 1000000)::bigint FROM job_progress WHERE job_id = ?",
                job.jobId())), ChronoUnit.MICROS);
        store.recordResults(job.jobId(), List.of(ObjectResult.skipped("b", ObjectReason.BINARY, null)));

        // when
        CachedProgress cached = store.cachedProgress(job.jobId()).orElseThrow();
        JobProgress live = store.liveProgress(job.jobId()).orElseThrow();

        // then
        assertThat(cached.refreshedAt()).isEqualTo(refreshedAt);
        assertThat(cached.count("succeeded")).isEqualTo(1);
        assertThat(cached.count("skipped")).isZero();
        assertThat(cached.count("findings")).isEqualTo(1);
        assertThat(cached.count("bytes_scanned")).isEqualTo(10);
        assertThat(live.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(live.done()).isEqualTo(2);
    }

    @Test
    void theViewHoldsEveryMetricOfAJobAsJson() {
        // given
        Job job = newJob();
        store.recordPage(job.jobId(), "", null, objects("a", "b"));
        store.recordResults(job.jobId(), List.of(
                ObjectResult.succeeded("a", List.of(new Finding("us_ssn", 0, "", "***-**-3306", "c")), 1, 10),
                ObjectResult.skipped("b", ObjectReason.BINARY, null)));

        // when
        db.scalar("SELECT scanner_refresh_job_progress()");

        // then
        assertThat(db.query("SELECT counters->>'findings:us_ssn', counters->>'skipped:binary', counters->>'listed' "
                + "FROM job_progress WHERE job_id = ?", job.jobId())).containsExactly(List.of("1", "1", "2"));
    }

    @Test
    void jobFinishedMoreThanADayBeforeTheRefreshLeavesTheView() {
        // given
        Job job = newJob();
        store.recordPage(job.jobId(), "", null, objects("a"));
        store.finishListing(job.jobId());
        store.recordResults(job.jobId(), List.of(ObjectResult.succeeded("a", List.of(), 0, 5)));
        db.query("UPDATE jobs SET finished_at = now() - interval '25 hours' WHERE job_id = ? RETURNING 1", job.jobId());

        // when
        db.scalar("SELECT scanner_refresh_job_progress()");

        // then: not cached any more; its live figures are final and read in O(1)
        assertThat(store.cachedProgress(job.jobId())).isEmpty();
        JobProgress live = store.liveProgress(job.jobId()).orElseThrow();
        assertThat(live.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(live.progressPercent()).isEqualTo(100.0);
    }

    @Test
    void openJobsStayInTheViewHoweverOld() {
        // given: a job created long ago and still processing
        Job job = newJob();
        store.recordPage(job.jobId(), "", null, objects("a"));
        store.finishListing(job.jobId());
        db.query("UPDATE jobs SET created_at = now() - interval '30 days' WHERE job_id = ? RETURNING 1", job.jobId());

        // when
        db.scalar("SELECT scanner_refresh_job_progress()");

        // then
        assertThat(store.cachedProgress(job.jobId())).hasValueSatisfying(c -> assertThat(c.count("queued")).isEqualTo(1));
    }
}
