package dev.s3scanner.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3scanner.core.detect.Finding;
import dev.s3scanner.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reads the HTTP API adds: cached progress and findings pages by job or bucket. */
class JobStoreApiReadsTest {
    private static TestDatabase db;
    private static JobStore store;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create();
        store = db.store();
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** A job with {@code objects} objects, each with one email finding. */
    private static Job jobWithFindings(String bucket, int objects) {
        Job job = store.createJob(NewJob.of(bucket, ""));
        List<ListedObject> listed = new ArrayList<>();
        List<ObjectResult> results = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            String key = "k" + i + ".txt";
            listed.add(ListedObject.queued(key, "\"e\"", 10, null, "STANDARD", null));
            results.add(ObjectResult.succeeded(key, List.of(new Finding("email", i, "", "a***@example.com", "ctx")), 1, 10));
        }
        store.recordPage(job.jobId(), "", null, listed);
        store.recordResults(job.jobId(), results);
        return job;
    }

    @Test
    void aJobCreatedAfterTheLastRefreshIsNotInTheView() throws Exception {
        // given
        sql("REFRESH MATERIALIZED VIEW job_progress");
        Job job = jobWithFindings("fresh-bucket", 3);

        // when
        var cached = store.cachedProgress(job.jobId());

        // then
        assertThat(cached).isEmpty();
    }

    @Test
    void aRefreshedJobReadsTheViewsCounters() throws Exception {
        // given
        Job job = jobWithFindings("viewed-bucket", 4);
        sql("REFRESH MATERIALIZED VIEW job_progress");

        // when
        CachedProgress cached = store.cachedProgress(job.jobId()).orElseThrow();

        // then
        assertThat(cached.count("listed")).isEqualTo(4);
        assertThat(cached.count("succeeded")).isEqualTo(4);
        assertThat(cached.count("findings")).isEqualTo(4);
        assertThat(cached.refreshedAt()).isNotNull();
    }

    @Test
    void anUnpopulatedViewReadsAsEmptyInsteadOfFailing() throws Exception {
        // given
        Job job = jobWithFindings("unpopulated-bucket", 1);
        sql("REFRESH MATERIALIZED VIEW job_progress WITH NO DATA");
        try {
            // when
            var cached = store.cachedProgress(job.jobId());

            // then
            assertThat(cached).isEmpty();
        } finally {
            sql("REFRESH MATERIALIZED VIEW job_progress");
        }
    }

    @Test
    void bucketPagesMergeEveryJobOfTheBucketInIdOrder() {
        // given
        Job a = jobWithFindings("merged-bucket", 3);
        Job b = jobWithFindings("merged-bucket", 2);
        jobWithFindings("other-bucket", 2);

        // when
        List<StoredFinding> first = store.findingsPage(null, "merged-bucket", 0, null, null, 4);
        List<StoredFinding> rest = store.findingsPage(null, "merged-bucket", first.get(3).findingId(), null, null, 4);

        // then
        assertThat(first).hasSize(4);
        assertThat(rest).hasSize(1);
        List<StoredFinding> all = new ArrayList<>(first);
        all.addAll(rest);
        assertThat(all).extracting(StoredFinding::findingId).isSorted().doesNotHaveDuplicates();
        assertThat(all).extracting(StoredFinding::jobId).containsOnly(a.jobId(), b.jobId());
        assertThat(all).extracting(StoredFinding::bucket).containsOnly("merged-bucket");
    }

    @Test
    void jobPagesApplyTheBucketKeyAndDetectorFilters() {
        // given
        Job job = jobWithFindings("filtered-bucket", 3);

        // when
        List<StoredFinding> byKey = store.findingsPage(job.jobId(), null, 0, "k1.txt", null, 10);
        List<StoredFinding> otherBucket = store.findingsPage(job.jobId(), "not-this-bucket", 0, null, null, 10);
        List<StoredFinding> otherDetector = store.findingsPage(job.jobId(), null, 0, null, "us_ssn", 10);

        // then
        assertThat(byKey).extracting(StoredFinding::key).containsExactly("k1.txt");
        assertThat(otherBucket).isEmpty();
        assertThat(otherDetector).isEmpty();
        assertThatThrownBy(() -> store.findingsPage(null, null, 0, null, null, 10))
                .hasMessage("a job id or a bucket is required");
    }

    @Test
    void anUnknownJobHasNoCachedProgress() {
        // then
        assertThat(store.cachedProgress(UUID.randomUUID())).isEmpty();
    }
}
