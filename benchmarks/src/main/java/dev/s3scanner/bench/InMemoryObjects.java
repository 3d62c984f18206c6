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
 */
final class InMemoryObjects implements S3Client {
    private final ObjectCorpus corpus;

    InMemoryObjects(ObjectCorpus corpus) {
        this.corpus = corpus;
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
