package dev.s3scanner.lister;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.store.JobStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * The list-batch step against S3Mock (exact S3 key semantics) with the real PostgreSQL and
 * ElasticMQ: pagination (case 03), folder markers (case 09), keys that a filesystem store cannot
 * hold, resuming from a token and re-running a step.
 */
class ListBatchS3MockTest {
    private static S3MockServer s3Server;
    private static S3Client s3;
    private static ListerFixture fx;

    @BeforeAll
    static void start() throws Exception {
        s3Server = S3MockServer.start();
        s3 = s3Server.client();
        fx = new ListerFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
        if (s3Server != null) {
            s3.close();
            s3Server.close();
        }
    }

    private static void bucket(String bucket, String... keysAndBodies) {
        s3.createBucket(b -> b.bucket(bucket));
        for (int i = 0; i < keysAndBodies.length; i += 2) {
            String key = keysAndBodies[i];
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(keysAndBodies[i + 1]));
        }
    }

    /** Records every ListObjectsV2 request and response the client makes. */
    private static final class ListCalls implements ExecutionInterceptor {
        final List<ListObjectsV2Request> requests = new CopyOnWriteArrayList<>();
        final List<ListObjectsV2Response> responses = new CopyOnWriteArrayList<>();

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof ListObjectsV2Request req && context.response() instanceof ListObjectsV2Response res) {
                requests.add(req);
                responses.add(res);
            }
        }
    }

    private static S3Client recording(ListCalls calls) {
        return S3Client.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(AwsClients.Settings.local(null, null, 1).credentials())
                .endpointOverride(s3Server.endpoint())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .overrideConfiguration(o -> o.addExecutionInterceptor(calls))
                .build();
    }

    @Test
    void fiveKeysWithMaxKeysTwoTakeThreeCallsAndEndOnIsTruncatedFalse() {
        // given: case 03's layout, on a real S3 wire-protocol server
        bucket("case03", "scan-me/a.txt", "a", "scan-me/b.txt", "b", "scan-me/c.txt", "c", "scan-me/d.txt", "d",
                "scan-me/e.txt", "e", "elsewhere/z.txt", "z");
        ListCalls calls = new ListCalls();
        String queue = fx.queue();
        UUID job = fx.job("case03", "scan-me/");

        // when
        List<ListBatchState> states;
        try (S3Client client = recording(calls)) {
            states = ListerFixture.runToEnd(fx.batch(client, queue, 2, 10), job);
        }

        // then: three calls; each call after the first carries the previous NextContinuationToken verbatim
        assertThat(calls.requests).hasSize(3);
        assertThat(calls.requests.get(0).continuationToken()).isNull();
        for (int i = 1; i < 3; i++) {
            assertThat(calls.requests.get(i).continuationToken()).isEqualTo(calls.responses.get(i - 1).nextContinuationToken());
        }
        assertThat(calls.responses).extracting(ListObjectsV2Response::isTruncated).containsExactly(true, true, false);
        assertThat(fx.rows(job)).containsExactly("scan-me/a.txt|queued|", "scan-me/b.txt|queued|", "scan-me/c.txt|queued|",
                "scan-me/d.txt|queued|", "scan-me/e.txt|queued|");
        assertThat(fx.drainKeys(queue)).containsExactlyInAnyOrder("scan-me/a.txt", "scan-me/b.txt", "scan-me/c.txt",
                "scan-me/d.txt", "scan-me/e.txt");
        assertThat(states.get(states.size() - 1)).isEqualTo(new ListBatchState(job, null, 3, 5, 1, true));
        assertThat(fx.store.findJob(job).orElseThrow().status()).isEqualTo(JobStatus.PROCESSING);
    }

    @Test
    void folderMarkersAreSkippedAndEmptyFilesAndNonEmptySlashKeysAreScanned() {
        // given: case 09's page: zero-byte markers docs/ and docs/sub/, an empty file, and odd/
        // holding 64 bytes
        bucket("case09", "docs/", "", "docs/readme.txt", "r".repeat(180), "docs/empty.txt", "", "docs/sub/", "",
                "odd/", "o".repeat(64));
        String queue = fx.queue();
        UUID job = fx.job("case09", "");

        // when
        ListerFixture.runToEnd(fx.batch(s3, queue, 1000, 10), job);

        // then: case 09's expected.csv
        assertThat(fx.rows(job)).containsExactly("docs/|skipped|folder_marker", "docs/empty.txt|queued|",
                "docs/readme.txt|queued|", "docs/sub/|skipped|folder_marker", "odd/|queued|");
        assertThat(fx.drainKeys(queue)).containsExactlyInAnyOrder("docs/empty.txt", "docs/readme.txt", "odd/");
        assertThat(fx.store.liveProgress(job).orElseThrow().count("skipped:folder_marker")).isEqualTo(2);
    }

    @Test
    void awkwardKeysOverMoreThanThreePagesArriveExactlyOnce() {
        // given: 14 keys a filesystem-backed server cannot all hold: a and a/b together, a trailing
        // slash on a non-empty object, spaces, '+', '%', unicode in both normal forms, a 1,024-byte key
        List<String> keys = List.of("a", "a/b", "a/b/", "team notes/q1.txt", "team+notes/q1.txt", "code/c++ notes.txt",
                "discount 50%.txt", "50%25/literal", "caf\u00e9/menu.txt", "cafe\u0301/menu.txt", "\u65e5\u672c/\ud83d\ude42.txt",
                "reports/a,b \"x\".txt", "tab\there", "k/" + "y".repeat(1018) + ".txt");
        List<String> kb = new ArrayList<>();
        keys.forEach(k -> {
            kb.add(k);
            kb.add("body of " + k.length());
        });
        bucket("awkward", kb.toArray(String[]::new));
        String queue = fx.queue();
        UUID job = fx.job("awkward", "");

        // when: 3 keys per page, 2 pages per step
        List<ListBatchState> states = ListerFixture.runToEnd(fx.batch(s3, queue, 3, 2), job);

        // then
        assertThat(states.get(states.size() - 1).pages()).isEqualTo(5);
        assertThat(states).hasSize(3);
        assertThat(fx.db.query("SELECT key FROM job_objects WHERE job_id = ?", job).stream().map(r -> r.get(0)))
                .containsExactlyInAnyOrderElementsOf(keys);
        assertThat(fx.drainKeys(queue)).containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void aListingResumedFromATokenInAFreshProcessFinishesWithoutDuplicates() {
        // given: 7 keys; one step of one 2-key page by a first "execution"
        bucket("resume", "k1", "1", "k2", "2", "k3", "3", "k4", "4", "k5", "5", "k6", "6", "k7", "7");
        String queue = fx.queue();
        UUID job = fx.job("resume", "");
        ListBatchState first = fx.batch(s3, queue, 2, 1).step(ListBatchState.start(job));

        // when: a new execution (new components, iteration reset) carries on from the token alone
        ListBatchState handedOff = new ListBatchState(job, first.token(), first.pages(), first.listed(), 0, false);
        ListBatchState state = handedOff;
        ListBatch second = fx.batch(s3, queue, 2, 1);
        while (!state.done()) {
            state = second.step(state);
        }

        // then
        assertThat(first.token()).isNotNull();
        assertThat(state.listed()).isEqualTo(7);
        assertThat(state.pages()).isEqualTo(4);
        assertThat(fx.rows(job)).hasSize(7);
        assertThat(fx.drainKeys(queue)).containsExactlyInAnyOrder("k1", "k2", "k3", "k4", "k5", "k6", "k7");
    }

    @Test
    void reRunningAStepWithTheSameTokenAddsNoRowsAndNoMessages() {
        // given: a step that recorded and enqueued two pages
        bucket("rerun", "r1", "1", "r2", "2", "r3", "3", "r4", "4", "r5", "5");
        String queue = fx.queue();
        UUID job = fx.job("rerun", "");
        ListBatch batch = fx.batch(s3, queue, 2, 2);
        ListBatchState start = ListBatchState.start(job);
        ListBatchState after = batch.step(start);
        assertThat(fx.drainKeys(queue)).hasSize(4);

        // when: Step Functions retries the same step (same input, same token)
        ListBatchState retried = batch.step(start);

        // then: the same output, no new rows, no new messages
        assertThat(retried).isEqualTo(after);
        assertThat(fx.rows(job)).hasSize(4);
        assertThat(fx.drainKeys(queue)).isEmpty();
        assertThat(fx.store.liveProgress(job).orElseThrow().listed()).isEqualTo(4);
    }
}
