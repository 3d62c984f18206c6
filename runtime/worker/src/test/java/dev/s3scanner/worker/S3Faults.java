package dev.s3scanner.worker;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;

/**
 * Injects S3 answers that the in-process S3 server cannot give (archive tiers, KMS denial,
 * throttling): for chosen keys it replaces the real HTTP response of GetObject or HeadObject with
 * a status, headers and S3 error XML, before the SDK parses it. Everything else passes through.
 */
final class S3Faults implements ExecutionInterceptor {
    /** A canned answer. */
    record Fault(int status, String code, Map<String, String> headers) {
        String xml() {
            return code == null ? "" : "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                    + "</Code><Message>injected " + code + "</Message></Error>";
        }
    }

    private static final ExecutionAttribute<Fault> FAULT = new ExecutionAttribute<>("s3-fault");
    private final Map<String, Fault> onGet = new ConcurrentHashMap<>();
    private final Map<String, Fault> onHead = new ConcurrentHashMap<>();
    final AtomicInteger gets = new AtomicInteger();

    S3Faults get(String key, int status, String code) {
        onGet.put(key, new Fault(status, code, Map.of()));
        return this;
    }

    S3Faults getAnswer(String key, int status, Map<String, String> headers) {
        onGet.put(key, new Fault(status, null, headers));
        return this;
    }

    S3Faults head(String key, int status, Map<String, String> headers) {
        onHead.put(key, new Fault(status, null, headers));
        return this;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        SdkRequest r = context.request();
        if (r instanceof GetObjectRequest get) {
            gets.incrementAndGet();
            Fault f = onGet.get(get.key());
            if (f != null) {
                attributes.putAttribute(FAULT, f);
            }
        } else if (r instanceof HeadObjectRequest head) {
            Fault f = onHead.get(head.key());
            if (f != null) {
                attributes.putAttribute(FAULT, f);
            }
        }
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Fault f = attributes.getAttribute(FAULT);
        if (f == null) {
            return context.httpResponse();
        }
        SdkHttpResponse.Builder b = context.httpResponse().toBuilder().statusCode(f.status()).clearHeaders();
        f.headers().forEach(b::putHeader);
        b.putHeader("Content-Length", Integer.toString(f.xml().getBytes(StandardCharsets.UTF_8).length));
        return b.build();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Fault f = attributes.getAttribute(FAULT);
        if (f == null) {
            return context.responseBody();
        }
        return Optional.of(new ByteArrayInputStream(f.xml().getBytes(StandardCharsets.UTF_8)));
    }
}
