package dev.s3scanner.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.s3scanner.lister.api.Api;
import dev.s3scanner.lister.api.ScanRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link Api} over real HTTP on 127.0.0.1 with the JDK's {@code HttpServer}, translating
 * each request into the API Gateway HTTP API event (payload format 2.0) that the Lambda function
 * receives, and the handler's response back, so the code path is the deployed one:
 * <ul>
 *   <li>{@code rawPath} and {@code rawQueryString} are passed undecoded, as API Gateway does;</li>
 *   <li>header names are lower-cased and repeated headers joined with commas;</li>
 *   <li>the body is passed as text when it is valid UTF-8, else base64 with
 *       {@code isBase64Encoded=true}; at most {@code ScanRequest.MAX_BODY_BYTES + 1} bytes are read, so an
 *       oversized body reaches the handler as oversized (413) without being buffered whole;</li>
 *   <li>the request id is a fresh UUID, the stage {@code $default}.</li>
 * </ul>
 */
public final class ApiHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHttpServer.class);
    private static final long MAX_DRAIN_BYTES = 16L << 20;

    private final HttpServer server;
    private final ExecutorService executor;

    private ApiHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving.
     *
     * @param port    the port on 127.0.0.1, 0 for any free one
     * @param api     the API
     * @param threads request threads
     * @throws IOException when the port cannot be bound
     */
    public static ApiHttpServer start(int port, Api api, int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "api-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                serve(exchange, api);
            } catch (IOException | RuntimeException e) {
                LOG.warn("request {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString(), e);
            }
        });
        server.start();
        return new ApiHttpServer(server, executor);
    }

    /** The base URL, {@code http://127.0.0.1:PORT}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void serve(HttpExchange exchange, Api api) throws IOException {
        APIGatewayV2HTTPEvent event = event(exchange);
        APIGatewayV2HTTPResponse response = api.handle(event);
        byte[] body = response.getBody() == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody())
                : response.getBody().getBytes(StandardCharsets.UTF_8);
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        }
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(response.getStatusCode(), head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The API Gateway v2 event for an HTTP exchange. */
    static APIGatewayV2HTTPEvent event(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            headers.put(h.getKey().toLowerCase(Locale.ROOT), String.join(",", h.getValue()));
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(ScanRequest.MAX_BODY_BYTES + 1);
            // drain (a bounded amount of) the rest, so that the client reads the 413 rather than a reset
            // (read, never skip: the JDK stream's skip() bypasses the Content-Length limit and blocks)
            byte[] sink = new byte[8192];
            long drained = 0;
            for (int n; drained < MAX_DRAIN_BYTES && (n = in.read(sink)) >= 0; ) {
                drained += n;
            }
        }
        String text = utf8(body);
        URI uri = exchange.getRequestURI();
        String method = exchange.getRequestMethod();
        long now = System.currentTimeMillis();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(uri.getRawPath() == null ? "/" : uri.getRawPath())
                .withRawQueryString(uri.getRawQuery() == null ? "" : uri.getRawQuery())
                .withHeaders(headers)
                .withBody(body.length == 0 ? null : text != null ? text : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && text == null)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId(UUID.randomUUID().toString())
                        .withStage("$default")
                        .withRouteKey("$default")
                        .withTimeEpoch(now)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(uri.getRawPath())
                                .withProtocol(exchange.getProtocol())
                                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                                .withUserAgent(headers.get("user-agent"))
                                .build())
                        .build())
                .build();
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
