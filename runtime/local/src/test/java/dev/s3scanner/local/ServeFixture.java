package dev.s3scanner.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.s3scanner.core.testing.SampleBucket;
import dev.s3scanner.core.testing.TestDatabase;
import dev.s3scanner.lister.api.AllowedBuckets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/**
 * One {@code scanner serve} server ({@link LocalApiServer}, as the command starts it) shared by the
 * HTTP tests of this JVM: a fresh database on the test PostgreSQL, a folder of buckets served by
 * the in-process S3 server, and real HTTP. Its S3 client carries a {@link Gate} so that tests can
 * hold a scan at a chosen GetObject or ListObjectsV2 call. Closed when the JVM exits.
 *
 * <p>Buckets: {@code alpha} (a copy of the sample bucket), {@code keys} (keys with spaces,
 * {@code +}, {@code %} and non-ASCII), {@code filters}, {@code many} (600 objects), {@code huge}
 * (10,200 objects: 11 listing pages), {@code empty}; all allowed, plus {@code crafted} (no folder:
 * for jobs the tests build through the store).
 */
final class ServeFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ALLOWED = "alpha,keys,filters,many,huge,empty,crafted";
    private static ServeFixture instance;

    final TestDatabase db;
    final Path buckets;
    final LocalApiServer server;
    final Gate gate = new Gate();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServeFixture() throws IOException {
        db = TestDatabase.create(4);
        buckets = Files.createTempDirectory("serve-buckets");
        copyTree(SampleBucket.BUCKET, buckets.resolve("alpha"));
        for (String key : new String[] {"team notes/q1.txt", "team+notes/q1.txt", "50%25/r.txt", "c++/s.txt", "café/t.txt"}) {
            write("keys/" + key, "contact ops@example.com about " + key + "\n");
        }
        write("filters/data/a.csv", "id,email\n1,ana@example.com\n");
        write("filters/data/b.txt", "bob@example.com\n");
        write("filters/logs/c.log", "carl@example.com\n");
        write("filters/tmp/d.csv", "dora@example.com\n");
        write("filters/big.csv", "x".repeat(2000) + "\n");
        for (int i = 0; i < 600; i++) {
            write(String.format("many/f%04d.txt", i), "line " + i + "\n");
        }
        for (int i = 0; i < 10_200; i++) {
            write(String.format("huge/h%05d", i), "h");
        }
        Files.createDirectories(buckets.resolve("empty"));
        LocalApiServer.Settings settings = new LocalApiServer.Settings(0, db.url(), null, buckets, null, null, 2,
                16L << 20, AllowedBuckets.parse(ALLOWED), Duration.ofHours(1));
        server = LocalApiServer.start(settings, s -> S3Client.builder()
                .region(Region.of(s.region()))
                .credentialsProvider(s.credentials())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(s.maxConnections()))
                .endpointOverride(s.s3Endpoint())
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.addExecutionInterceptor(gate))
                .build());
    }

    /** The shared server, started on first use. */
    static synchronized ServeFixture get() {
        if (instance == null) {
            try {
                instance = new ServeFixture();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ServeFixture f = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                f.server.close();
                f.db.close();
                deleteTree(f.buckets);
            }));
        }
        return instance;
    }

    private void write(String key, String content) throws IOException {
        Path p = buckets.resolve(key);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary files
        }
    }

    // ------------------------------------------------------------------ HTTP

    /** A response. */
    record Reply(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String code() {
            return json().at("/error/code").asText();
        }

        String message() {
            return json().at("/error/message").asText();
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /**
     * Sends a request.
     *
     * @param target  path and query, already encoded as they go on the wire
     * @param body    the body, or {@code null}
     * @param headers name, value, name, value …
     */
    Reply send(String method, String target, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.uri() + target))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply send(String method, String target, String body, String... headers) {
        return send(method, target, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    }

    Reply get(String target) {
        return send("GET", target, (byte[]) null);
    }

    /**
     * Sends bytes exactly as given over a plain socket (for requests {@code java.net.http} refuses to
     * build: malformed percent-escapes, raw non-ASCII header bytes) and reads the answer to EOF.
     *
     * @param method     the method token
     * @param target     the request target, sent as ISO-8859-1 bytes
     * @param headerText extra header lines, each ending in CRLF (ISO-8859-1 bytes)
     * @param body       the body, or {@code null}
     */
    Reply sendRaw(String method, String target, String headerText, byte[] body) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.uri().getPort())) {
            socket.setSoTimeout(60_000);
            java.io.ByteArrayOutputStream request = new java.io.ByteArrayOutputStream();
            String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headerText
                    + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
            request.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                request.write(body);
            }
            socket.getOutputStream().write(request.toByteArray());
            socket.getOutputStream().flush();
            byte[] all = socket.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                throw new AssertionError("no HTTP response to " + method + " " + target + ": " + text);
            }
            String[] lines = text.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            java.util.Map<String, java.util.List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new java.util.ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
            String responseBody = new String(all, end + 4, all.length - end - 4, StandardCharsets.UTF_8);
            return new Reply(status, HttpHeaders.of(headers, (a, b) -> true), responseBody);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a scan and returns its job id. */
    String scan(String body, String... headers) {
        Reply r = send("POST", "/scan", body, headers);
        if (r.status() != 202) {
            throw new AssertionError("POST /scan " + body + " -> " + r.status() + " " + r.body());
        }
        return r.json().get("job_id").asText();
    }

    /** Polls {@code GET /jobs/{id}?real_time=true} until {@code done} holds (at most 2 minutes). */
    JsonNode awaitJob(String jobId, Predicate<JsonNode> done) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (true) {
            JsonNode j = get("/jobs/" + jobId + "?real_time=true").json();
            if (done.test(j)) {
                return j;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("job " + jobId + " did not get there: " + j);
            }
            sleep(100);
        }
    }

    /** Polls until the job has a final status. */
    JsonNode awaitFinal(String jobId) {
        return awaitJob(jobId, j -> j.get("status").asText().matches("completed|failed|cancelled"));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ gate

    /**
     * Holds the S3 calls of one kind on one bucket from the {@code n}-th on, until released;
     * counts every such call.
     */
    static final class Gate implements ExecutionInterceptor {
        private volatile Class<? extends SdkRequest> type;
        private volatile String bucket;
        private volatile int holdFrom;
        private final AtomicInteger calls = new AtomicInteger();
        private volatile CountDownLatch reached = new CountDownLatch(1);
        private volatile CountDownLatch released = new CountDownLatch(0);

        /** Holds calls of {@code type} on {@code bucket} from the {@code holdFrom}-th. */
        synchronized void arm(Class<? extends SdkRequest> requestType, String bucketName, int from) {
            calls.set(0);
            reached = new CountDownLatch(1);
            released = new CountDownLatch(1);
            holdFrom = from;
            bucket = bucketName;
            type = requestType;
        }

        /** Lets held and later calls through, and stops counting. */
        synchronized void release() {
            released.countDown();
        }

        void disarm() {
            release();
            type = null;
        }

        /** Waits until a call is held. */
        void awaitHeld() throws InterruptedException {
            if (!reached.await(2, TimeUnit.MINUTES)) {
                throw new AssertionError("no call reached the gate");
            }
        }

        /** Calls of the armed kind so far. */
        int calls() {
            return calls.get();
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            Class<? extends SdkRequest> t = type;
            SdkRequest r = context.request();
            if (t == null || !t.isInstance(r)) {
                return;
            }
            String b = r instanceof GetObjectRequest g ? g.bucket() : r instanceof ListObjectsV2Request l ? l.bucket() : null;
            if (!bucket.equals(b)) {
                return;
            }
            int n = calls.incrementAndGet();
            if (n >= holdFrom && released.getCount() > 0) {
                reached.countDown();
                try {
                    released.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
