package dev.s3scanner.bench;

import java.io.ByteArrayInputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * An {@link S3Client} whose only operation is {@code GetObject}, answered from an
 * {@link ObjectCorpus} in memory (key {@code bench/obj-<n>.log} gets body {@code n}). It lets the
 * worker benchmark run the real worker code at a speed no local S3 server reaches, to see the
 * worker's own ceiling. Every other operation throws {@link UnsupportedOperationException}.
 *
 * <p>An optional first-byte latency (milliseconds, the calling thread waits before the body is
 * returned) models S3's: AWS's performance guidance gives median latencies "in the range of tens of
 * milliseconds" for requests under 512 KB ("Best Practices Design Patterns: Optimizing Amazon S3
 * Performance", Timeouts and Retries for Latency-Sensitive Applications). With it the benchmark
 * shows how many objects in flight a worker needs to keep its cores busy against real S3.
 */
final class InMemoryObjects implements S3Client {
    private final ObjectCorpus corpus;
    private final long latencyMillis;

    InMemoryObjects(ObjectCorpus corpus) {
        this(corpus, 0);
    }

    InMemoryObjects(ObjectCorpus corpus, long latencyMillis) {
        this.corpus = corpus;
        this.latencyMillis = latencyMillis;
    }

    static String key(long n) {
        return String.format("bench/obj-%08d.log", n);
    }

    private static long number(String key) {
        return Long.parseLong(key.substring("bench/obj-".length(), key.length() - ".log".length()));
    }

    @Override
    public <ReturnT> ReturnT getObject(GetObjectRequest request, ResponseTransformer<GetObjectResponse, ReturnT> transformer) {
        byte[] body = corpus.body(number(request.key()));
        if (latencyMillis > 0) {
            try {
                Thread.sleep(latencyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the first byte", e);
            }
        }
        GetObjectResponse response = GetObjectResponse.builder().contentLength((long) body.length).build();
        try {
            return transformer.transform(response, AbortableInputStream.create(new ByteArrayInputStream(body)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getObject(GetObjectRequest request) {
        return getObject(request, ResponseTransformer.toInputStream());
    }

    @Override
    public String serviceName() {
        return "s3";
    }

    @Override
    public void close() {
    }
}
