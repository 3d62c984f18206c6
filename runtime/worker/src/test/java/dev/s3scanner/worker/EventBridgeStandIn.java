package dev.s3scanner.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * An in-process HTTP server that speaks as much of EventBridge's JSON 1.1 protocol as PutEvents
 * needs ({@code X-Amz-Target: AWSEvents.PutEvents}, answer {@code {"FailedEntryCount", "Entries"}}).
 * It records every request's entries as sent by the real SDK client, and fails the entries that
 * {@code fail} picks (given the entry's Detail JSON and how many times that detail arrived before)
 * with {@code ThrottlingException}, the way PutEvents fails some entries of a request.
 */
final class EventBridgeStandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether to fail an entry: its detail and how often the same detail arrived before. */
    interface FailRule {
        boolean fail(JsonNode detail, int earlierArrivals);
    }

    private final HttpServer server;
    private final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> targets = Collections.synchronizedList(new ArrayList<>());
    private final java.util.Map<String, Integer> arrivals = new java.util.HashMap<>();
    private final List<JsonNode> accepted = Collections.synchronizedList(new ArrayList<>());
    private volatile FailRule fail = (d, n) -> false;

    EventBridgeStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            JsonNode body;
            try (InputStream in = exchange.getRequestBody()) {
                body = JSON.readTree(in);
            }
            requests.add(body);
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode entries = answer.putArray("Entries");
            int failed = 0;
            for (JsonNode entry : body.path("Entries")) {
                String detailText = entry.path("Detail").asText();
                int earlier;
                synchronized (arrivals) {
                    earlier = arrivals.merge(detailText, 1, Integer::sum) - 1;
                }
                JsonNode detail = JSON.readTree(detailText);
                if (fail.fail(detail, earlier)) {
                    failed++;
                    entries.addObject().put("ErrorCode", "ThrottlingException").put("ErrorMessage", "Rate exceeded");
                } else {
                    accepted.add(detail);
                    entries.addObject().put("EventId", UUID.randomUUID().toString());
                }
            }
            answer.put("FailedEntryCount", failed);
            byte[] out = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void failWhen(FailRule rule) {
        fail = rule;
    }

    /** The PutEvents request bodies, in arrival order. */
    List<JsonNode> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The X-Amz-Target header of each request. */
    List<String> targets() {
        synchronized (targets) {
            return List.copyOf(targets);
        }
    }

    /** Every entry of every request, in arrival order. */
    List<JsonNode> entries() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : requests()) {
            r.path("Entries").forEach(out::add);
        }
        return out;
    }

    /** The Detail of every entry that was accepted (not failed), parsed, in arrival order. */
    List<JsonNode> acceptedDetails() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
