package dev.s3scanner.lister;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/**
 * The list-batch step over scripted ListObjectsV2 answers (exact tokens, thousands of pages,
 * maximum-length keys), with the real PostgreSQL and ElasticMQ behind it.
 */
class ListBatchScriptedTest {
    private static ListerFixture fx;

    @BeforeAll
    static void start() {
        fx = new ListerFixture();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    /** The step as the state machine calls it: JSON in, JSON out, through the Lambda handler. */
    private static String invoke(ListBatchHandler handler, String input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void case03ScriptedPagesAreFollowedByTheirTokensVerbatimUntilIsTruncatedIsFalse() throws Exception {
        // given: case 03's three recorded responses (MaxKeys=2, tokens "tok-A", "tok-B")
        ScriptedListing s3 = ScriptedListing.fromFixture("/cases/03-fake-s3-pages-maxkeys2.json");
        String queue = fx.queue();
        UUID job = fx.job("example-src-bucket", "scan-me/");

        // when
        List<ListBatchState> states = ListerFixture.runToEnd(fx.batch(s3, queue, 2, 1), job);

        // then: three calls with the tokens exactly as S3 gave them; five rows and five objects enqueued
        assertThat(s3.requests).extracting(ListObjectsV2Request::continuationToken).containsExactly(null, "tok-A", "tok-B");
        assertThat(states).extracting(ListBatchState::token).containsExactly("tok-A", "tok-B", null);
        assertThat(states).extracting(ListBatchState::done).containsExactly(false, false, true);
        assertThat(fx.rows(job)).containsExactly("scan-me/a.txt|queued|", "scan-me/b.txt|queued|", "scan-me/c.txt|queued|",
                "scan-me/d.txt|queued|", "scan-me/e.txt|queued|");
        assertThat(fx.drainKeys(queue)).containsExactlyInAnyOrder("scan-me/a.txt", "scan-me/b.txt", "scan-me/c.txt",
                "scan-me/d.txt", "scan-me/e.txt");
    }

    @Test
    void aShortPageWithATokenDoesNotEndTheListing() throws Exception {
        // given: case 03's second page is full and its third short; here a middle page is empty
        ScriptedListing s3 = ScriptedListing.generated(3, p -> p == 1 ? List.of() : List.of("k" + p));
        String queue = fx.queue();
        UUID job = fx.job("short-pages", "");

        // when
        List<ListBatchState> states = ListerFixture.runToEnd(fx.batch(s3, queue, 1000, 1), job);

        // then
        assertThat(states).hasSize(3);
        assertThat(fx.rows(job)).containsExactly("k0|queued|", "k2|queued|");
    }

    @Test
    void case04StateStaysConstantSizeWhateverThePageHolds() throws Exception {
        // given: a page of 1,000 keys of 1,024 bytes (about 1 MB as a keys-only page, case 04)
        ScriptedListing s3 = ScriptedListing.generated(2, p -> {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                keys.add("k/" + "y".repeat(1014) + String.format("%04d%04d", p, i));
            }
            return keys;
        });
        String queue = fx.queue();
        UUID job = fx.job("case04", "");
        ListBatchHandler handler = new ListBatchHandler(fx.batch(s3, queue, 1000, 1), LambdaMetrics.create(dev.s3scanner.core.config.Env.of(java.util.Map.of())));

        // when
        String first = invoke(handler, "{\"job_id\":\"" + job + "\",\"token\":null,\"pages\":0,\"listed\":0,\"iteration\":0,\"done\":false}");
        String second = invoke(handler, first);

        // then: the output carries counts and a token, never keys; both steps stay far below 256 KiB
        assertThat(first).isEqualTo("{\"job_id\":\"" + job + "\",\"token\":\"t-1\",\"pages\":1,\"listed\":1000,\"iteration\":1,\"done\":false}");
        assertThat(second).isEqualTo("{\"job_id\":\"" + job + "\",\"token\":null,\"pages\":2,\"listed\":2000,\"iteration\":2,\"done\":true}");
        assertThat(fx.db.scalar("SELECT count(*) FROM job_objects WHERE job_id = ? AND length(key) = 1024", job)).isEqualTo("2000");
        assertThat(fx.drainKeys(queue)).hasSize(2000).doesNotHaveDuplicates();
    }

    @Test
    void case05FiveThousandStepsWithHandoffsStayUnderTheHistoryLimitWithoutDuplicates() throws Exception {
        // given: a lister that returns a token 5,000 times (one key per page, one page per step),
        // and the state machine's loop: about 7 history events per step (Task 5 + Choice 2), and a
        // hand-off to a fresh execution (iteration back to 0) when iteration reaches 2,000
        int steps = 5000;
        int eventsPerStep = 7;
        int handoffAt = 2000;
        ScriptedListing s3 = ScriptedListing.generated(steps, p -> List.of(String.format("obj-%05d", p)));
        String queue = fx.queue();
        UUID job = fx.job("case05", "");
        ListBatchHandler handler = new ListBatchHandler(fx.batch(s3, queue, 1000, 1), LambdaMetrics.create(dev.s3scanner.core.config.Env.of(java.util.Map.of())));
        JsonMapper json = JsonMapper.builder().build();

        // when
        String state = "{\"job_id\":\"" + job + "\",\"token\":null,\"pages\":0,\"listed\":0,\"iteration\":0,\"done\":false}";
        int executions = 1;
        int maxEventsInOneExecution = 0;
        int maxStateBytes = 0;
        int events = 0;
        while (true) {
            state = invoke(handler, state);
            events += eventsPerStep;
            maxEventsInOneExecution = Math.max(maxEventsInOneExecution, events);
            maxStateBytes = Math.max(maxStateBytes, state.getBytes(StandardCharsets.UTF_8).length);
            ListBatchState s = json.readValue(state, ListBatchState.class);
            if (s.done()) {
                break;
            }
            if (s.iteration() >= handoffAt) {
                state = json.writeValueAsString(new ListBatchState(s.jobId(), s.token(), s.pages(), s.listed(), 0, false));
                executions++;
                events = 0;
            }
        }

        // then
        ListBatchState end = json.readValue(state, ListBatchState.class);
        assertThat(end.pages()).isEqualTo(steps);
        assertThat(end.listed()).isEqualTo(steps);
        assertThat(executions).isEqualTo(3);
        assertThat(maxEventsInOneExecution).isEqualTo(handoffAt * eventsPerStep).isLessThan(25_000);
        assertThat(maxStateBytes).as("only the token and the counts' digits vary").isLessThanOrEqualTo(128);
        assertThat(fx.db.scalar("SELECT count(*) || '/' || count(DISTINCT key) FROM job_objects WHERE job_id = ?", job))
                .isEqualTo("5000/5000");
        assertThat(fx.drainKeys(queue)).hasSize(steps).doesNotHaveDuplicates();
        assertThat(fx.store.findJob(job).orElseThrow().pagesListed()).isEqualTo(steps);
    }
}
