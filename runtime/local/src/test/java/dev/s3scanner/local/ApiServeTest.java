package dev.s3scanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.s3scanner.core.detect.Finding;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.ListedObject;
import dev.s3scanner.core.store.NewJob;
import dev.s3scanner.core.store.ObjectResult;
import dev.s3scanner.local.ServeFixture.Reply;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/**
 * The HTTP API through real HTTP against {@code scanner serve}'s server ({@link ServeFixture}),
 * with the real PostgreSQL and the in-process S3 and SQS servers behind it: every endpoint,
 * progress figures (live, cached, new jobs), raw prefixes, filters, idempotency, cancel and
 * keyset paging. Bad input is in {@link ApiBadInputTest}, random requests in {@link ApiFuzzTest}.
 */
class ApiServeTest {
    private static ServeFixture api;
    private static String alphaJob;

    @BeforeAll
    static void scanTheSampleBucket() {
        api = ServeFixture.get();
        alphaJob = api.scan("{\"bucket\": \"alpha\"}");
        api.awaitFinal(alphaJob);
    }

    @AfterEach
    void openTheGate() {
        api.gate.disarm();
    }

    private static JobStore store() {
        return api.server.store();
    }

    private static void refreshView() throws Exception {
        try (Connection c = api.server.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("REFRESH MATERIALIZED VIEW job_progress");
        }
    }

    private static long count(String sql, Object... params) {
        return Long.parseLong(api.db.scalar(sql, params));
    }

    private static Map<String, String> objectStates(String jobId) {
        Map<String, String> out = new TreeMap<>();
        for (List<String> row : api.db.query("SELECT key, state, reason, detail FROM job_objects WHERE job_id = ?::uuid", jobId)) {
            out.put(row.get(0), row.get(1) + (row.get(2) == null ? "" : ":" + row.get(2))
                    + (row.get(3) == null ? "" : ":" + row.get(3)));
        }
        return out;
    }

    /** A job built through the store (bucket {@code crafted}) with {@code n} queued objects. */
    private static Job craftedJob(int n) {
        Job job = store().createJob(NewJob.of("crafted", ""));
        List<ListedObject> objects = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            objects.add(ListedObject.queued(String.format("o%03d.txt", i), "\"e\"", 10, null, "STANDARD", null));
        }
        store().recordPage(job.jobId(), "", "next", objects);
        return job;
    }

    /** Records objects {@code from..to-1} of a crafted job as scanned, each with one email finding. */
    private static void scanned(Job job, int from, int to) {
        List<ObjectResult> results = new ArrayList<>();
        for (int i = from; i < to; i++) {
            results.add(ObjectResult.succeeded(String.format("o%03d.txt", i),
                    List.of(new Finding("email", 5, "", "u***@example.com", "mail u***@example.com")), 1, 10));
        }
        store().recordResults(job.jobId(), results);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ POST /scan and GET /jobs

    @Test
    void aScanIsAcceptedWithItsJobAndLocation() {
        // when
        Reply r = api.send("POST", "/scan", "{\"bucket\": \"empty\", \"prefix\": \"x/\"}");

        // then
        assertThat(r.status()).isEqualTo(202);
        JsonNode job = r.json();
        assertThat(job.get("status").asText()).isEqualTo("listing");
        assertThat(job.get("bucket").asText()).isEqualTo("empty");
        assertThat(job.get("prefix").asText()).isEqualTo("x/");
        assertThat(job.get("source").asText()).isEqualTo("list");
        assertThat(r.header("Location")).isEqualTo("/jobs/" + job.get("job_id").asText());
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("X-Request-Id")).isNotBlank();
        assertThat(api.awaitFinal(job.get("job_id").asText()).get("status").asText()).isEqualTo("completed");
    }

    @Test
    void aFinishedJobsFiguresEqualItsRows() {
        // when
        JsonNode job = api.get("/jobs/" + alphaJob).json();

        // then
        assertThat(job.get("status").asText()).isEqualTo("completed");
        assertThat(job.get("listing_done").asBoolean()).isTrue();
        assertThat(job.get("progress_percent").asDouble()).isEqualTo(100.0);
        assertThat(job.at("/objects/listed").asLong()).isEqualTo(count("SELECT count(*) FROM job_objects WHERE job_id = ?::uuid", alphaJob));
        for (String state : new String[] {"queued", "processing", "succeeded", "failed", "skipped"}) {
            assertThat(job.at("/objects/" + state).asLong()).as(state).isEqualTo(
                    count("SELECT count(*) FROM job_objects WHERE job_id = ?::uuid AND state = ?", alphaJob, state));
        }
        for (List<String> row : api.db.query("SELECT state, reason, count(*) FROM job_objects WHERE job_id = ?::uuid "
                + "AND reason IS NOT NULL GROUP BY state, reason", alphaJob)) {
            assertThat(job.at("/reasons/" + row.get(0) + "/" + row.get(1)).asText()).isEqualTo(row.get(2));
        }
        assertThat(job.at("/findings/total").asLong()).isEqualTo(count("SELECT count(*) FROM findings WHERE job_id = ?::uuid", alphaJob))
                .isGreaterThan(100);
        for (List<String> row : api.db.query("SELECT detector, count(*) FROM findings WHERE job_id = ?::uuid GROUP BY detector", alphaJob)) {
            assertThat(job.at("/findings/by_detector/" + row.get(0)).asText()).isEqualTo(row.get(1));
        }
    }

    @Test
    void aNewJobAbsentFromTheViewReadsLiveFiguresNot404() throws Exception {
        // given: the view was refreshed before the job existed (cases/17)
        refreshView();
        Job job = craftedJob(5);

        // when
        Reply r = api.get("/jobs/" + job.jobId());

        // then
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("figures").asText()).isEqualTo("live");
        assertThat(r.json().at("/objects/listed").asLong()).isEqualTo(5);
        assertThat(r.json().at("/objects/queued").asLong()).isEqualTo(5);
        assertThat(r.json().get("status").asText()).isEqualTo("listing");
    }

    @Test
    void aJobTheViewSawEmptyReadsLiveFiguresNotZeroOfZero() throws Exception {
        // given: the view holds the job from before its first page
        Job job = store().createJob(NewJob.of("crafted", ""));
        refreshView();
        store().recordPage(job.jobId(), "", null, List.of(ListedObject.queued("a.txt", "\"e\"", 1, null, null, null),
                ListedObject.queued("b.txt", "\"e\"", 1, null, null, null)));

        // when
        JsonNode j = api.get("/jobs/" + job.jobId()).json();

        // then
        assertThat(j.get("figures").asText()).isEqualTo("live");
        assertThat(j.at("/objects/listed").asLong()).isEqualTo(2);
    }

    @Test
    void cachedFiguresComeFromTheViewAndRealTimeFromTheCounters() throws Exception {
        // given
        Job job = craftedJob(4);
        scanned(job, 0, 2);
        refreshView();
        String refreshedAt = api.db.scalar("SELECT to_char(refreshed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') "
                + "FROM job_progress WHERE job_id = ?", job.jobId());
        scanned(job, 2, 3);

        // when
        JsonNode cached = api.get("/jobs/" + job.jobId()).json();
        JsonNode live = api.get("/jobs/" + job.jobId() + "?real_time=true").json();

        // then
        assertThat(cached.get("figures").asText()).isEqualTo("cached");
        assertThat(cached.get("as_of").asText()).startsWith(refreshedAt);
        assertThat(cached.at("/objects/succeeded").asLong()).isEqualTo(2);
        assertThat(cached.at("/findings/total").asLong()).isEqualTo(2);
        assertThat(cached.get("progress_percent").asDouble()).isEqualTo(50.0);
        assertThat(live.get("figures").asText()).isEqualTo("live");
        assertThat(live.at("/objects/succeeded").asLong()).isEqualTo(3);
        assertThat(live.at("/findings/by_detector/email").asLong()).isEqualTo(3);
        assertThat(live.get("progress_percent").asDouble()).isEqualTo(75.0);
    }

    @Test
    void thePrefixIsTakenRawNeverUrlDecoded() {
        // given (cases/01): keys that differ only by an encoded character
        Map<String, String> prefixes = Map.of("team+notes/", "team+notes/q1.txt", "team notes/", "team notes/q1.txt",
                "50%25/", "50%25/r.txt", "café/", "café/t.txt", "c++/", "c++/s.txt");

        for (Map.Entry<String, String> p : prefixes.entrySet()) {
            // when
            String jobId = api.scan("{\"bucket\": \"keys\", \"prefix\": \"" + p.getKey() + "\"}");
            api.awaitFinal(jobId);

            // then
            assertThat(objectStates(jobId).keySet()).as(p.getKey()).containsExactly(p.getValue());
            Reply results = api.get("/results?job_id=" + jobId + "&key=" + encode(p.getValue()));
            assertThat(results.json().get("findings")).hasSize(1);
            assertThat(results.json().at("/findings/0/key").asText()).isEqualTo(p.getValue());
        }
    }

    @Test
    void filtersSkipObjectsAsExcludedNamingTheRule() {
        // when
        String jobId = api.scan("""
                {"bucket": "filters", "include": {"extensions": ["CSV"]},
                 "exclude": {"prefixes": ["tmp/"], "min_size": 1000}}""");
        JsonNode job = api.awaitFinal(jobId);

        // then
        assertThat(objectStates(jobId)).isEqualTo(Map.of(
                "data/a.csv", "succeeded",
                "data/b.txt", "skipped:excluded:include.extensions",
                "logs/c.log", "skipped:excluded:include.extensions",
                "tmp/d.csv", "skipped:excluded:exclude.prefixes",
                "big.csv", "skipped:excluded:exclude.size"));
        assertThat(job.at("/reasons/skipped/excluded").asLong()).isEqualTo(4);
        assertThat(job.at("/options/include/extensions/0").asText()).isEqualTo(".csv");
        assertThat(job.at("/options/exclude/min_size").asLong()).isEqualTo(1000);
    }

    @Test
    void detectionOptionsAreStoredWithTheJobInDetectionOptionsShape() throws Exception {
        // when
        String jobId = api.scan("""
                {"bucket": "empty", "detectors": ["us_ssn", "email"],
                 "custom_detectors": [{"name": "employee_id", "regex": "EMP-[0-9]{6}", "keywords": ["employee"]}],
                 "allow_list": {"values": ["help@example.com"]}}""");

        // then
        JsonNode stored = ServeFixture.JSON.readTree(api.db.scalar("SELECT options::text FROM jobs WHERE job_id = ?::uuid", jobId));
        assertThat(stored.get("detection")).isEqualTo(ServeFixture.JSON.readTree("""
                {"enabled_detectors": ["us_ssn", "email"],
                 "custom_detectors": [{"name": "employee_id", "regex": "EMP-[0-9]{6}", "keywords": ["employee"],
                                       "maximum_match_distance": 50, "ignore_words": []}],
                 "allow_list": {"values": ["help@example.com"], "patterns": []}}"""));
    }

    // ------------------------------------------------------------------ idempotency (cases/18)

    @Test
    void theSameIdempotencyKeyReturnsTheSameJob() {
        // given
        String key = "client-retry-" + UUID.randomUUID();

        // when
        Reply first = api.send("POST", "/scan", "{\"bucket\": \"empty\"}", "Idempotency-Key", key);
        Reply retry = api.send("POST", "/scan", "{ \"bucket\" : \"empty\" }", "Idempotency-Key", key);

        // then
        assertThat(first.status()).isEqualTo(202);
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.json().get("job_id")).isEqualTo(first.json().get("job_id"));
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(count("SELECT count(*) FROM jobs WHERE idempotency_key = ?", key)).isEqualTo(1);
    }

    @Test
    void aReusedIdempotencyKeyWithAnotherRequestIs422() {
        // given
        String key = "reused-" + UUID.randomUUID();
        String jobId = api.scan("{\"bucket\": \"empty\"}", "Idempotency-Key", key);

        // when
        Reply r = api.send("POST", "/scan", "{\"bucket\": \"keys\"}", "Idempotency-Key", key);

        // then
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.code()).isEqualTo("idempotency_key_reused");
        assertThat(r.message()).isEqualTo("Idempotency-Key '" + key + "' was already used for job " + jobId
                + " with a different request; use a new key");
    }

    // ------------------------------------------------------------------ DELETE /jobs/{id}

    @Test
    void cancellingARunningScanSkipsItsRemainingObjects() throws Exception {
        // given: the scan is held at its first GetObject
        api.gate.arm(GetObjectRequest.class, "many", 1);
        String jobId = api.scan("{\"bucket\": \"many\"}");
        api.gate.awaitHeld();

        // when
        Reply r = api.send("DELETE", "/jobs/" + jobId, (byte[]) null);
        api.gate.release();
        JsonNode job = api.awaitJob(jobId, j -> j.at("/objects/queued").asLong() + j.at("/objects/processing").asLong() == 0
                && j.at("/objects/listed").asLong() == 600);

        // then
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().get("status").asText()).isEqualTo("cancelled");
        assertThat(r.json().get("status_reason").asText()).isEqualTo("cancelled by request");
        assertThat(job.get("status").asText()).isEqualTo("cancelled");
        long cancelled = count("SELECT count(*) FROM job_objects WHERE job_id = ?::uuid AND state = 'skipped' AND reason = 'cancelled'", jobId);
        long scanned = count("SELECT count(*) FROM job_objects WHERE job_id = ?::uuid AND state = 'succeeded'", jobId);
        assertThat(cancelled).isGreaterThan(0);
        assertThat(scanned).isEqualTo(api.gate.calls());
        assertThat(scanned + cancelled).isEqualTo(600);
        assertThat(job.at("/reasons/skipped/cancelled").asLong()).isEqualTo(cancelled);
    }

    @Test
    void cancellingStopsTheListingAtItsNextStep() throws Exception {
        // given: listing is held at page 10 of 11 (the last page of its first step)
        api.gate.arm(ListObjectsV2Request.class, "huge", 10);
        String jobId = api.scan("{\"bucket\": \"huge\"}");
        api.gate.awaitHeld();

        // when
        api.send("DELETE", "/jobs/" + jobId, (byte[]) null);
        api.gate.release();
        JsonNode job = api.awaitJob(jobId, j -> j.at("/objects/listed").asLong() == 10_000
                && j.at("/objects/queued").asLong() + j.at("/objects/processing").asLong() == 0);
        ServeFixture.sleep(1000);

        // then
        assertThat(api.gate.calls()).isEqualTo(10);
        assertThat(count("SELECT count(*) FROM job_objects WHERE job_id = ?::uuid", jobId)).isEqualTo(10_000);
        assertThat(job.get("listing_done").asBoolean()).isFalse();
        assertThat(job.get("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void cancellingTwiceAnswersTheSame() {
        // given
        Job job = craftedJob(1);

        // when
        Reply first = api.send("DELETE", "/jobs/" + job.jobId(), (byte[]) null);
        Reply second = api.send("DELETE", "/jobs/" + job.jobId(), (byte[]) null);

        // then
        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        assertThat(second.json().get("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void aFinishedJobCannotBeCancelled() {
        // when
        Reply r = api.send("DELETE", "/jobs/" + alphaJob, (byte[]) null);

        // then
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.code()).isEqualTo("job_not_cancellable");
        assertThat(r.message()).isEqualTo("job " + alphaJob
                + " has already completed; only a job that is listing or processing can be cancelled");
    }

    // ------------------------------------------------------------------ GET /results

    @Test
    void pagingYieldsEveryFindingOnceInStoredOrder() {
        // given
        List<String> expected = new ArrayList<>();
        for (List<String> row : api.db.query("SELECT key, detector, byte_offset, masked_value FROM findings "
                + "WHERE job_id = ?::uuid ORDER BY finding_id", alphaJob)) {
            expected.add(String.join("\t", row));
        }

        // when
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        while (true) {
            Reply r = api.get("/results?job_id=" + alphaJob + "&limit=7" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("findings").size()).isLessThanOrEqualTo(7);
            r.json().get("findings").forEach(f -> seen.add(f.get("key").asText() + "\t" + f.get("detector").asText()
                    + "\t" + f.get("offset").asText() + "\t" + f.get("masked").asText()));
            cursor = r.json().get("next_cursor").asText();
            pages++;
            if (!r.json().get("has_more").asBoolean()) {
                break;
            }
        }

        // then
        assertThat(seen).isEqualTo(expected);
        assertThat(pages).isEqualTo((expected.size() + 6) / 7);
    }

    @Test
    void theCursorStaysValidWhileNewFindingsArrive() {
        // given
        Job job = craftedJob(30);
        scanned(job, 0, 10);
        Set<String> seen = new LinkedHashSet<>();
        Reply first = api.get("/results?job_id=" + job.jobId() + "&limit=4");
        first.json().get("findings").forEach(f -> seen.add(f.get("key").asText()));
        String cursor = first.json().get("next_cursor").asText();

        // when: more findings are stored between pages
        scanned(job, 10, 20);
        while (true) {
            Reply r = api.get("/results?job_id=" + job.jobId() + "&limit=4&cursor=" + cursor);
            r.json().get("findings").forEach(f -> assertThat(seen.add(f.get("key").asText())).as("no repeat").isTrue());
            cursor = r.json().get("next_cursor").asText();
            if (!r.json().get("has_more").asBoolean()) {
                break;
            }
        }
        scanned(job, 20, 30);
        Reply tail = api.get("/results?job_id=" + job.jobId() + "&limit=1000&cursor=" + cursor);
        tail.json().get("findings").forEach(f -> assertThat(seen.add(f.get("key").asText())).as("no repeat").isTrue());

        // then
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expected.add(String.format("o%03d.txt", i));
        }
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(tail.json().get("has_more").asBoolean()).isFalse();
    }

    @Test
    void resultsFilterByBucketKeyAndDetector() {
        // when
        Reply byBucket = api.get("/results?bucket=alpha&detector=us_ssn&limit=1000");
        Reply byKey = api.get("/results?job_id=" + alphaJob + "&key=README.md");

        // then
        assertThat(byBucket.json().get("findings")).isNotEmpty()
                .allSatisfy(f -> assertThat(f.get("detector").asText()).isEqualTo("us_ssn"))
                .allSatisfy(f -> assertThat(f.get("bucket").asText()).isEqualTo("alpha"));
        assertThat(byBucket.json().get("findings").size()).isEqualTo((int) count(
                "SELECT count(*) FROM findings f JOIN jobs j USING (job_id) WHERE j.bucket = 'alpha' AND f.detector = 'us_ssn'"));
        assertThat(byKey.json().get("findings")).isNotEmpty()
                .allSatisfy(f -> assertThat(f.get("key").asText()).isEqualTo("README.md"));
    }

    @Test
    void findingsAreMaskedWithRedactedContext() {
        // when
        JsonNode findings = api.get("/results?job_id=" + alphaJob + "&detector=us_ssn&limit=1000").json().get("findings");

        // then
        assertThat(findings).isNotEmpty().allSatisfy(f -> {
            assertThat(f.get("masked").asText()).matches("[*-]{5,}[0-9]{4}");
            assertThat(f.get("context").asText()).doesNotContainPattern("[0-9]{3}-?[0-9]{2}-?[0-9]{4}");
        });
    }

    @Test
    void aCursorCannotBeUsedWithOtherFilters() {
        // given
        String cursor = api.get("/results?job_id=" + alphaJob + "&limit=2").json().get("next_cursor").asText();

        // when
        Reply r = api.get("/results?job_id=" + alphaJob + "&detector=email&limit=2&cursor=" + cursor);

        // then
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("invalid_cursor");
        assertThat(r.message()).isEqualTo("the cursor was issued for other filters (job_id, bucket, key, detector); "
                + "repeat the query with the filters it was issued for, or start without a cursor");
    }

    @Test
    void theDefaultPageIs100AndTheLargest1000() {
        // when
        Reply defaults = api.get("/results?job_id=" + alphaJob);
        Reply largest = api.get("/results?job_id=" + alphaJob + "&limit=1000");

        // then
        assertThat(defaults.json().get("findings")).hasSize(100);
        assertThat(defaults.json().get("has_more").asBoolean()).isTrue();
        assertThat(largest.json().get("findings").size()).isEqualTo(
                (int) count("SELECT count(*) FROM findings WHERE job_id = ?::uuid", alphaJob));
        assertThat(largest.json().get("has_more").asBoolean()).isFalse();
    }

    // ------------------------------------------------------------------ GET /openapi.json

    @Test
    void theOpenApiDocumentIsServed() throws Exception {
        // when
        Reply r = api.get("/openapi.json");

        // then
        assertThat(r.status()).isEqualTo(200);
        try (InputStream in = LocalApiServer.class.getResourceAsStream("/openapi.json")) {
            assertThat(r.body()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertThat(r.json().get("openapi").asText()).isEqualTo("3.0.3");
    }
}
