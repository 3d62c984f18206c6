package dev.s3scanner.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ScanTaskCodecTest {
    private static final UUID JOB = UUID.fromString("7d0c9a39-4a3e-4c36-9b0e-3f1f1b5c2a10");

    @Test
    void roundTripKeepsKeysExactly() {
        // given
        List<ObjectRef> objects = List.of(new ObjectRef("team+notes/q1.txt", "\"abc\"", 12, null),
                new ObjectRef("team notes/q1 ü 日本 🙂\t\u0001.txt", null, 0, "v1"),
                new ObjectRef("50%25/c++", "\"e\"", 5, null));
        ScanTask task = new ScanTask(ScanTaskCodec.VERSION, JOB, "my-bucket", objects);

        // when
        String body = ScanTaskCodec.encode(task);

        // then
        assertThat(ScanTaskCodec.decode(body)).isEqualTo(task);
        assertThat(body.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).as("body is printable ASCII").isTrue();
    }

    @Test
    void packingRespectsTheByteBudgetAndKeepsOrder() {
        // given
        List<ObjectRef> objects = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            objects.add(new ObjectRef("logs/2024/05/14/app-" + i + ".log", "\"" + "e".repeat(32) + "\"", 1000L * i, null));
        }

        // when
        List<ScanTask> tasks = ScanTaskCodec.pack(JOB, "b", objects, 8 * 1024, 1000);

        // then
        assertThat(tasks).allSatisfy(t -> assertThat(ScanTaskCodec.byteSize(ScanTaskCodec.encode(t))).isLessThanOrEqualTo(8 * 1024));
        assertThat(tasks.stream().flatMap(t -> t.objects().stream()).toList()).isEqualTo(objects);
        assertThat(tasks.size()).isLessThan(20);
    }

    @Test
    void packingRespectsTheObjectCount() {
        // given
        List<ObjectRef> objects = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            objects.add(new ObjectRef("k" + i, null, 1, null));
        }

        // when
        List<ScanTask> tasks = ScanTaskCodec.pack(JOB, "b", objects, 256 * 1024, 100);

        // then
        assertThat(tasks).extracting(t -> t.objects().size()).containsExactly(100, 100, 50);
    }

    @Test
    void anObjectLargerThanTheBudgetTravelsAlone() {
        // given: a 1,024-byte key with a small budget
        List<ObjectRef> objects = List.of(new ObjectRef("a", null, 1, null), new ObjectRef("k".repeat(1024), null, 1, null),
                new ObjectRef("b", null, 1, null));

        // when
        List<ScanTask> tasks = ScanTaskCodec.pack(JOB, "b", objects, 600, 100);

        // then
        assertThat(tasks).extracting(t -> t.objects().size()).containsExactly(1, 1, 1);
    }

    @Test
    void unknownVersionIsRejected() {
        // given
        String body = "{\"v\":2,\"job_id\":\"" + JOB + "\",\"bucket\":\"b\",\"objects\":[{\"k\":\"a\",\"s\":1}]}";

        // when / then
        assertThatThrownBy(() -> ScanTaskCodec.decode(body))
                .isInstanceOf(MalformedTaskException.class)
                .hasMessage("unsupported scan task version 2 (this worker reads 1)");
    }

    @Test
    void garbageIsRejected() {
        // when / then
        assertThatThrownBy(() -> ScanTaskCodec.decode("hello"))
                .isInstanceOf(MalformedTaskException.class)
                .hasMessageStartingWith("not a scan task: ");
    }

    @Test
    void taskWithoutObjectsIsRejected() {
        // given
        String body = "{\"v\":1,\"job_id\":\"" + JOB + "\",\"bucket\":\"b\",\"objects\":[]}";

        // when / then
        assertThatThrownBy(() -> ScanTaskCodec.decode(body))
                .isInstanceOf(MalformedTaskException.class)
                .hasMessageContaining("a scan task needs at least one object");
    }

    @Test
    void lengthBoundIsExactForPrintableKeysAndNeverBelowTheEncoding() {
        // given: printable ASCII, quotes and backslashes, non-ASCII, surrogate pairs, control characters
        List<ObjectRef> objects = List.of(
                new ObjectRef("logs/2024/05/14/app-1.log", "\"" + "e".repeat(32) + "\"", 1234567, null),
                new ObjectRef("a \"quoted\" \\ key", null, 0, "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"),
                new ObjectRef("caf\u00e9/\u65e5\u672c/\ud83d\ude42.txt", "\"e\"", 9, null),
                new ObjectRef("tab\tnew\nline\u0001.txt", null, 1, null));

        // when / then
        for (ObjectRef o : objects.subList(0, 3)) {
            assertThat(ScanTaskCodec.encodedLengthBound(o)).as(o.key()).isEqualTo(ScanTaskCodec.encode(o).length());
        }
        ObjectRef controls = objects.get(3);
        assertThat(ScanTaskCodec.encodedLengthBound(controls)).isGreaterThanOrEqualTo(ScanTaskCodec.encode(controls).length());
    }

    @Test
    void packedBodiesOfAwkwardKeysStayWithinTheBudget() {
        // given: keys that expand when escaped (non-ASCII is six characters per UTF-16 unit)
        List<ObjectRef> objects = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            objects.add(new ObjectRef("\u65e5\u672c/\ud83d\ude42 \"q\" " + i + "\t" + "\u00e9".repeat(i % 40), "\"e\"", i, null));
        }

        // when
        List<ScanTask> tasks = ScanTaskCodec.pack(JOB, "b", objects, 4 * 1024, 1000);

        // then
        assertThat(tasks).hasSizeGreaterThan(1);
        assertThat(tasks).allSatisfy(t -> assertThat(ScanTaskCodec.encode(t).length()).isLessThanOrEqualTo(4 * 1024));
        assertThat(tasks.stream().flatMap(t -> t.objects().stream()).toList()).isEqualTo(objects);
    }
}
