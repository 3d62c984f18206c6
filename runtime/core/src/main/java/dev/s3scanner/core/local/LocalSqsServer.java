package dev.s3scanner.core.local;

import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * An in-process SQS-compatible server (ElasticMQ) on 127.0.0.1 and a free port: the real SQS wire
 * protocol for the real SDK client, used by the local runner and the tests. Needs
 * {@code org.elasticmq:elasticmq-rest-sqs_2.13} on the classpath (an optional dependency of core).
 */
public final class LocalSqsServer implements AutoCloseable {
    /** Region the server reports in queue ARNs. */
    public static final String REGION = "us-east-1";
    /** Account id the server reports in queue URLs and ARNs. */
    public static final String ACCOUNT_ID = "000000000000";

    private final SQSRestServer server;
    private final URI endpoint;

    private LocalSqsServer(SQSRestServer server, int port) {
        this.server = server;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    /** Starts a server; returns once it accepts requests. */
    public static LocalSqsServer start() {
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withDynamicPort()
                .withAWSRegion(REGION)
                .withAWSAccountId(ACCOUNT_ID)
                .start();
        int port = server.waitUntilStarted().localAddress().getPort();
        return new LocalSqsServer(server, port);
    }

    /** The endpoint to give the SDK client. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
