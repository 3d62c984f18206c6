package dev.s3scanner.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.s3scanner.lister.api.ErrorCode;
import dev.s3scanner.local.ServeFixture.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random requests through real HTTP against {@code scanner serve}'s server: random methods,
 * paths, query strings (well-formed and not), headers and bodies (random JSON shaped like the
 * API's, mutations of valid requests, random text and bytes). Whatever arrives, the answer is
 * never a 5xx, and every 4xx carries one of the documented error codes.
 */
class ApiFuzzTest {
    private static ServeFixture api;
    private static final Set<String> CODES = Arrays.stream(ErrorCode.values()).map(ErrorCode::code).collect(Collectors.toSet());
    private static final List<String> JOBS = new CopyOnWriteArrayList<>();
    private static final AtomicInteger HANDLED = new AtomicInteger();
    private static final AtomicInteger REFUSED_BY_SERVER = new AtomicInteger();
    private static final String[] FIELDS = {"bucket", "prefix", "source", "include", "exclude", "detectors",
            "custom_detectors", "allow_list", "prefixes", "extensions", "min_size", "max_size", "modified_after",
            "modified_before", "name", "regex", "keywords", "maximum_match_distance", "ignore_words", "values", "patterns"};
    private static final String[] PARAMS = {"job_id", "bucket", "key", "detector", "limit", "cursor", "real_time", "x"};

    /** A request to send. */
    record Request(String method, String target, byte[] body, String idempotencyKey, String contentType) {
        @Override
        public String toString() {
            return method + " " + target + " key=" + idempotencyKey + " type=" + contentType + " body="
                    + (body == null ? "null" : new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8));
        }
    }

    @BeforeContainer
    static void start() {
        api = ServeFixture.get();
        JOBS.add(UUID.randomUUID().toString());
    }

    @Property(tries = 3000, seed = "20261129")
    void noRequestGetsA5xx(@ForAll("requests") Request request) {
        // given: the JDK's HTTP server itself refuses a request target that java.net.URI rejects (400, and
        // it may close the connection before reading a large body) and one with no path ("//host": 404);
        // only such requests may skip the handler
        boolean legalTarget = isUri(request.target()) && !request.target().startsWith("//");

        // when
        Reply r;
        try {
            r = api.sendRaw(request.method(), request.target(), headers(request), request.body());
        } catch (java.io.UncheckedIOException e) {
            assertThat(legalTarget).as(request + ": " + e).isFalse();
            REFUSED_BY_SERVER.incrementAndGet();
            return;
        }

        // then
        assertThat(r.status()).as(request.toString()).isLessThan(500);
        if (r.header("X-Request-Id") == null) {
            assertThat(legalTarget).as(request.toString()).isFalse();
            assertThat(r.status()).as(request.toString()).isIn(400, 404);
            REFUSED_BY_SERVER.incrementAndGet();
            return;
        }
        HANDLED.incrementAndGet();
        Statistics.label("status").collect(r.status());
        if (request.method().equals("HEAD")) {
            return;
        }
        JsonNode body = r.json();
        if (r.status() >= 400) {
            assertThat(CODES).as(request + " -> " + r.body()).contains(body.at("/error/code").asText());
            assertThat(body.at("/error/message").asText()).isNotBlank();
        } else if (r.status() == 202 && request.target().equals("/scan")) {
            JOBS.add(body.get("job_id").asText());
        }
    }

    @AfterContainer
    static void mostRequestsReachedTheHandler() {
        // then: the property above was not satisfied by the HTTP server alone
        assertThat(HANDLED.get()).isGreaterThan(2 * REFUSED_BY_SERVER.get());
        assertThat(JOBS.size()).as("some random requests created jobs").isGreaterThan(1);
    }

    private static boolean isUri(String target) {
        try {
            new java.net.URI(target);
            return true;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static String headers(Request request) {
        StringBuilder h = new StringBuilder();
        if (request.idempotencyKey() != null) {
            h.append("Idempotency-Key: ").append(request.idempotencyKey()).append("\r\n");
        }
        if (request.contentType() != null) {
            h.append("Content-Type: ").append(request.contentType()).append("\r\n");
        }
        return h.toString();
    }

    // ------------------------------------------------------------------ arbitraries

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<String> method = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.of("GET")), Tuple.of(5, Arbitraries.of("POST")),
                Tuple.of(2, Arbitraries.of("DELETE")),
                Tuple.of(1, Arbitraries.of("PUT", "PATCH", "HEAD", "OPTIONS", "TRACE")));
        Arbitrary<String> jobId = Arbitraries.oneOf(Arbitraries.of(JOBS).map(x -> x), uuid());
        // mostly a method the path takes (so requests get past routing), sometimes anything
        Arbitrary<String[]> target = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(new String[] {"POST", "/scan"})),
                Tuple.of(4, Arbitraries.just(new String[] {"GET", "/results"})),
                Tuple.of(2, jobId.map(id -> new String[] {"GET", "/jobs/" + id})),
                Tuple.of(1, jobId.map(id -> new String[] {"DELETE", "/jobs/" + id})),
                Tuple.of(1, Arbitraries.just(new String[] {"GET", "/openapi.json"})),
                Tuple.of(3, Combinators.combine(method, path()).as((m, p) -> new String[] {m, p})));
        return Combinators.combine(target, query(), body(), idempotencyKey(), contentType())
                .as((mp, q, b, k, t) -> new Request(mp[0], q.isEmpty() ? mp[1] : mp[1] + "?" + q, b, k, t));
    }

    private static Arbitrary<String> path() {
        Arbitrary<String> jobId = Arbitraries.oneOf(Arbitraries.of(JOBS).map(x -> x), uuid(), text().map(ApiFuzzTest::encodePath));
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of("/scan", "/results", "/openapi.json")),
                Tuple.of(1, Arbitraries.of("/jobs", "/jobs/", "/", "/scan/", "/SCAN", "/results/", "/jobs//x")),
                Tuple.of(4, jobId.map(id -> "/jobs/" + id)),
                Tuple.of(1, jobId.map(id -> "/jobs/" + id + "/objects")),
                Tuple.of(1, text().map(t -> "/" + encodePath(t))),
                Tuple.of(1, rawAscii().map(t -> "/" + t)));
    }

    private static Arbitrary<String> uuid() {
        return Arbitraries.create(() -> UUID.randomUUID().toString());
    }

    private static Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20),
                Arbitraries.strings().all().ofMaxLength(12),
                Arbitraries.strings().withChars("ab+% /é\u0000\ud83d\ude00").ofMaxLength(10),
                Arbitraries.of("", " ", "alpha", "keys", "empty", "other-bucket", "A", "true", "false", "-1", "0", "1000",
                        "1001", "99999999999999999999", "us_ssn", "null", "%", "%zz", "\ud800"));
    }

    /** Printable ASCII as is, unencoded: some of it ({@code %}, {@code |}, {@code {}) is not legal in a URI. */
    private static Arbitrary<String> rawAscii() {
        return Arbitraries.strings().withCharRange('!', '~').ofMaxLength(15);
    }

    private static String encodePath(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }

    /** Query values: properly percent-encoded, or with raw malformed escapes (still legal URI characters). */
    private static Arbitrary<String> query() {
        Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of(PARAMS), text().map(ApiFuzzTest::encodePath));
        Arbitrary<String> value = Arbitraries.oneOf(
                text().map(ApiFuzzTest::encodePath),
                Arbitraries.of("%", "%G1", "%F", "%FF%FE", "%C3", "+", "%2B", "a+b", "%00"),
                rawAscii(),
                Arbitraries.of(JOBS).map(x -> x),
                uuid(),
                Arbitraries.integers().between(-5, 2000).map(String::valueOf),
                Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                        .ofMinLength(40).ofMaxLength(48));
        Arbitrary<String> pair = Combinators.combine(name, value, Arbitraries.of(true, false))
                .as((n, v, withValue) -> withValue ? n + "=" + v : n);
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("")),
                Tuple.of(1, pair.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join("&", l))));
    }

    private static Arbitrary<String> idempotencyKey() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300).map(String::strip)
                        .filter(s -> !s.isEmpty()),
                Arbitraries.of("\"quoted-key\"", "\"\"", "fuzz-key-1", "fuzz-key-2")).injectNull(0.5);
    }

    private static Arbitrary<String> contentType() {
        return Arbitraries.of("application/json", "text/plain", "application/x-www-form-urlencoded",
                "application/octet-stream", "application/json; charset=latin1").injectNull(0.4);
    }

    private static Arbitrary<byte[]> body() {
        return Arbitraries.oneOf(
                json(3).map(s -> s.getBytes(StandardCharsets.UTF_8)),
                mutatedScan().map(s -> s.getBytes(StandardCharsets.UTF_8)),
                validScan().map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.strings().ofMaxLength(200).map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                Arbitraries.integers().between(1, 70_000).map(n -> ("[".repeat(Math.min(n, 3000)) + "x".repeat(n))
                        .getBytes(StandardCharsets.UTF_8))).injectNull(0.15);
    }

    /** A scan request that is valid but for what the random prefix holds. */
    private static Arbitrary<String> validScan() {
        return Combinators.combine(Arbitraries.of("empty", "keys"), Arbitraries.strings().ofMaxLength(40))
                .as((b, prefix) -> "{\"bucket\": \"" + b + "\", \"prefix\": " + quote(prefix)
                        + ", \"exclude\": {\"extensions\": [\"png\"]}}");
    }

    /** A valid scan request with one field replaced by a random JSON value (or an extra field). */
    private static Arbitrary<String> mutatedScan() {
        Arbitrary<String> bucket = Arbitraries.of("\"empty\"", "\"keys\"", "\"other-bucket\"", "\"Bad_Name\"", "5", "null");
        return Combinators.combine(bucket, Arbitraries.of(FIELDS), json(2), Arbitraries.of(true, false))
                .as((b, field, value, keep) -> keep
                        ? "{\"bucket\": " + b + ", \"prefix\": \"fuzz/\", \"" + field + "\": " + value + "}"
                        : "{\"bucket\": " + b + ", \"" + field + "\": " + value + "}");
    }

    /** Random JSON text shaped like the API's (its field names, its value kinds). */
    private static Arbitrary<String> json(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "0", "-1", "1.5", "1e400", "99999999999999999999", "\"\"",
                        "\"list\"", "\"inventory\"", "\"us_ssn\"", "\"(a+)+\"", "\"EMP-[0-9]{6}\"", "\"[\"",
                        "\"2024-05-01T00:00:00Z\"", "\"\\u0000\"", "\"\\ud800\"", "\"x*\"", "\"(?i)key\"", "\"(a|aa)*\""),
                Arbitraries.strings().ofMaxLength(30).map(ApiFuzzTest::quote),
                Arbitraries.strings().withChars("()[]{}*+?|\\.^$a1-").ofMaxLength(20).map(ApiFuzzTest::quote),
                Arbitraries.longs().map(String::valueOf));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> array = json(depth - 1).list().ofMaxSize(4).map(l -> "[" + String.join(", ", l) + "]");
        Arbitrary<String> member = Combinators.combine(Arbitraries.oneOf(Arbitraries.of(FIELDS),
                        Arbitraries.strings().ofMaxLength(8)), json(depth - 1))
                .as((k, v) -> quote(k) + ": " + v);
        Arbitrary<String> object = member.list().ofMaxSize(5).map(l -> "{" + String.join(", ", l) + "}");
        return Arbitraries.oneOf(scalar, array, object);
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
