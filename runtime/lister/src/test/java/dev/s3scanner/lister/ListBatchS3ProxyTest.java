package dev.s3scanner.lister;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.local.LocalS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The list-batch step through s3proxy (the local runner's S3 server; real S3 protocol, keys are
 * file paths) with the real PostgreSQL and ElasticMQ.
 */
class ListBatchS3ProxyTest {
    private static final List<String> KEYS = List.of("team notes/q1.txt", "team+notes/q1.txt", "code/c++ notes.txt",
            "discount 50%.txt", "50%25/literal.txt", "caf\u00e9/menu.txt", "\u65e5\u672c/\ud83d\ude42.txt",
            "reports/a,b \"x\".txt", "a b/c d/e f.txt", "deep/" + "d".repeat(200) + "/" + "e".repeat(200) + "/"
                    + "f".repeat(200) + "/" + "g".repeat(200) + "/" + "h".repeat(180) + ".txt");

    @TempDir
    static Path base;
    private static LocalS3Server server;
    private static S3Client s3;
    private static ListerFixture fx;

    @BeforeAll
    static void start() throws Exception {
        for (String key : KEYS) {
            Path f = base.resolve("awkward").resolve(key);
            Files.createDirectories(f.getParent());
            Files.writeString(f, "content of " + key.length());
        }
        server = LocalS3Server.start(base);
        s3 = AwsClients.s3(AwsClients.Settings.local(server.endpoint(), null, 4));
        fx = new ListerFixture();
    }

    @AfterAll
    static void stop() {
        fx.close();
        s3.close();
        server.close();
    }

    @Test
    void awkwardKeysOverMoreThanThreePagesBecomeOneRowAndOneQueuedObjectEach() {
        // given: 10 keys with spaces, '+', '%', unicode, a comma and quotes, and a 1,000-byte key;
        // 2 keys per page
        String queue = fx.queue();
        UUID job = fx.job("awkward", "");

        // when
        List<ListBatchState> states = ListerFixture.runToEnd(fx.batch(s3, queue, 2, 1), job);

        // then
        assertThat(KEYS.get(KEYS.size() - 1).length()).isGreaterThan(990);
        assertThat(states).hasSize(5);
        assertThat(states.get(4)).isEqualTo(new ListBatchState(job, null, 5, 10, 5, true));
        assertThat(fx.db.query("SELECT key FROM job_objects WHERE job_id = ?", job).stream().map(r -> r.get(0)))
                .containsExactlyInAnyOrderElementsOf(KEYS);
        assertThat(fx.drainKeys(queue)).containsExactlyInAnyOrderElementsOf(KEYS);
    }

    @Test
    void aPrefixIsSentAsGivenAndLimitsTheListing() {
        // given: a prefix holding a space and a '+', never URL-decoded
        String queue = fx.queue();
        UUID job = fx.job("awkward", "team+");

        // when
        ListerFixture.runToEnd(fx.batch(s3, queue, 2, 1), job);

        // then
        assertThat(fx.rows(job)).containsExactly("team+notes/q1.txt|queued|");
    }
}
