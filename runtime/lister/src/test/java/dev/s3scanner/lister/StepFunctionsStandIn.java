package dev.s3scanner.lister;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the Step Functions endpoint on 127.0.0.1 that speaks its wire protocol (AWS JSON
 * 1.0, {@code X-Amz-Target: AWSStepFunctions.StartExecution}) for the one call the API makes, with
 * the service's idempotency rule: a repeated name with the same input while the execution runs
 * returns the same execution; once it is closed ({@link #closeExecutions()}), or with another
 * input, the answer is {@code ExecutionAlreadyExists}.
 */
final class StepFunctionsStandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One StartExecution call as received. */
    record Call(String target, String stateMachineArn, String name, String input) {
    }

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, String> inputs = new ConcurrentHashMap<>();
    private volatile boolean closed;

    StepFunctionsStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                Call call = new Call(exchange.getRequestHeaders().getFirst("X-Amz-Target"),
                        body.path("stateMachineArn").asText(), body.path("name").asText(), body.path("input").asText());
                calls.add(call);
                String previous = inputs.putIfAbsent(call.name(), call.input());
                String arn = call.stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + call.name();
                if (previous != null && (closed || !previous.equals(call.input()))) {
                    send(exchange, 400, "{\"__type\":\"ExecutionAlreadyExists\",\"message\":\"Execution Already Exists: '"
                            + arn + "'\"}");
                } else {
                    send(exchange, 200, "{\"executionArn\":\"" + arn + "\",\"startDate\":1.7E9}");
                }
            }
        });
        server.start();
    }

    private static void send(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(status, b.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(b);
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** From now on the started executions count as closed (handed off or finished). */
    void closeExecutions() {
        closed = true;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
