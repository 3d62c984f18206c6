package dev.s3scanner.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An in-process HTTP server that speaks as much of CloudWatch's Smithy RPC v2 CBOR protocol as
 * PutMetricData needs (POST {@code /service/GraniteServiceVersion20100801/operation/PutMetricData},
 * CBOR request body, empty CBOR map answer), recording each request body as sent by the real SDK
 * client. {@link #failWith(int)} makes it answer every call with that HTTP status instead.
 */
final class CloudWatchStandIn implements AutoCloseable {
    static final String PATH = "/service/GraniteServiceVersion20100801/operation/PutMetricData";
    private static final CBORMapper CBOR = new CBORMapper();

    private final HttpServer server;
    private final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> paths = Collections.synchronizedList(new ArrayList<>());
    private volatile int failStatus;

    CloudWatchStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            exchange.getResponseHeaders().add("smithy-protocol", "rpc-v2-cbor");
            exchange.getResponseHeaders().add("Content-Type", "application/cbor");
            if (failStatus != 0) {
                byte[] error = CBOR.writeValueAsBytes(java.util.Map.of("__type", "InternalServiceFault", "message", "stand-in failure"));
                exchange.sendResponseHeaders(failStatus, error.length);
                exchange.getResponseBody().write(error);
                exchange.close();
                return;
            }
            requests.add(CBOR.readTree(body));
            byte[] empty = {(byte) 0xA0}; // an empty CBOR map: PutMetricData has no output members
            exchange.sendResponseHeaders(200, empty.length);
            exchange.getResponseBody().write(empty);
            exchange.close();
        });
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void failWith(int status) {
        failStatus = status;
    }

    /** The decoded PutMetricData request bodies, in arrival order. */
    List<JsonNode> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The request paths, in arrival order (failed calls included). */
    List<String> paths() {
        synchronized (paths) {
            return List.copyOf(paths);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
