package dev.s3scanner.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP reverse proxy in front of the in-process S3 server that injects the faults real S3
 * shows under load: {@code 503 SlowDown} answers, connections dropped in the middle of a body,
 * and slow responses. Worker processes are pointed at it with {@code SCANNER_S3_ENDPOINT}.
 */
final class FaultProxy implements AutoCloseable {
    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "transfer-encoding",
            "expect", "upgrade", "keep-alive");
    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI target;
    volatile double slowDownRate;
    volatile double dropRate;
    volatile long delayMillis;
    final AtomicInteger injected503 = new AtomicInteger();
    final AtomicInteger injectedDrops = new AtomicInteger();
    final AtomicInteger gets = new AtomicInteger();

    FaultProxy(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            boolean get = ex.getRequestMethod().equals("GET") && ex.getRequestURI().getPath().chars().filter(c -> c == '/').count() > 1
                    && ex.getRequestURI().getQuery() == null;
            if (get) {
                gets.incrementAndGet();
                if (delayMillis > 0) {
                    sleep(delayMillis);
                }
                if (ThreadLocalRandom.current().nextDouble() < slowDownRate) {
                    injected503.incrementAndGet();
                    byte[] xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
                            .getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().add("Content-Type", "application/xml");
                    ex.sendResponseHeaders(503, xml.length);
                    ex.getResponseBody().write(xml);
                    return;
                }
            }
            HttpRequest.Builder req = HttpRequest.newBuilder(target.resolve(ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery())));
            for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
                if (!HOP_HEADERS.contains(h.getKey().toLowerCase())) {
                    h.getValue().forEach(v -> req.header(h.getKey(), v));
                }
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            req.method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<InputStream> resp;
            try {
                resp = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            resp.headers().map().forEach((k, v) -> {
                if (!HOP_HEADERS.contains(k.toLowerCase()) && !k.startsWith(":")) {
                    v.forEach(value -> ex.getResponseHeaders().add(k, value));
                }
            });
            byte[] content;
            try (InputStream in = resp.body()) {
                content = in.readAllBytes();
            }
            boolean head = ex.getRequestMethod().equals("HEAD");
            if (head) {
                ex.getResponseHeaders().set("Content-Length", resp.headers().firstValue("Content-Length").orElse("0"));
                ex.sendResponseHeaders(resp.statusCode(), -1);
                return;
            }
            ex.sendResponseHeaders(resp.statusCode(), content.length == 0 ? -1 : content.length);
            OutputStream out = ex.getResponseBody();
            if (get && content.length > 1 && ThreadLocalRandom.current().nextDouble() < dropRate) {
                injectedDrops.incrementAndGet();
                out.write(content, 0, content.length / 2);
                out.flush();
                throw new IOException("injected: connection dropped mid-body");
            }
            out.write(content);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
