package dev.s3scanner.lister;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A ListObjectsV2 source that answers from a script: either the recorded request/response pairs
 * of a bug-corpus fixture (each request is checked against the one the fixture expects, so a
 * token that is not passed verbatim fails the call), or {@code pages} generated pages. Used where
 * a real server cannot be made to answer in a given way: exact opaque tokens (case 03), thousands
 * of pages (case 05) and 1,024-byte keys (case 04). Every other S3 operation throws.
 */
final class ScriptedListing implements S3Client {
    private final List<JsonNode> script;
    private final int pages;
    private final IntFunction<List<String>> keysOfPage;
    final List<ListObjectsV2Request> requests = new ArrayList<>();

    private ScriptedListing(List<JsonNode> script, int pages, IntFunction<List<String>> keysOfPage) {
        this.script = script;
        this.pages = pages;
        this.keysOfPage = keysOfPage;
    }

    /** Replays a fixture: a JSON array of {@code {"request": {...}, "response": {...}}}. */
    static ScriptedListing fromFixture(String resource) throws IOException {
        try (InputStream in = ScriptedListing.class.getResourceAsStream(resource)) {
            List<JsonNode> script = new ArrayList<>();
            JsonMapper.builder().build().readTree(in).forEach(script::add);
            return new ScriptedListing(script, script.size(), null);
        }
    }

    /** {@code pages} pages; page {@code i} holds {@code keysOfPage.apply(i)}; tokens are {@code "t-<i>"}. */
    static ScriptedListing generated(int pages, IntFunction<List<String>> keysOfPage) {
        return new ScriptedListing(null, pages, keysOfPage);
    }

    @Override
    public synchronized ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
        requests.add(request);
        return script != null ? fromScript(request) : generate(request);
    }

    private ListObjectsV2Response fromScript(ListObjectsV2Request request) {
        String token = request.continuationToken();
        JsonNode step = null;
        for (JsonNode s : script) {
            JsonNode expectedToken = s.path("request").get("ContinuationToken");
            if (token == null ? expectedToken == null : expectedToken != null && expectedToken.asText().equals(token)) {
                step = s;
            }
        }
        if (step == null) {
            throw new IllegalStateException("no scripted page for ContinuationToken " + token);
        }
        JsonNode expected = step.path("request");
        if (!expected.path("Prefix").asText().equals(request.prefix())
                || expected.path("MaxKeys").asInt() != request.maxKeys()) {
            throw new IllegalStateException("unexpected request " + request + ", the script expects " + expected);
        }
        JsonNode r = step.path("response");
        List<S3Object> contents = new ArrayList<>();
        r.path("Contents").forEach(o -> contents.add(S3Object.builder().key(o.path("Key").asText())
                .size(o.path("Size").asLong()).build()));
        return ListObjectsV2Response.builder()
                .isTruncated(r.path("IsTruncated").asBoolean())
                .keyCount(r.path("KeyCount").asInt())
                .nextContinuationToken(r.hasNonNull("NextContinuationToken") ? r.path("NextContinuationToken").asText() : null)
                .contents(contents)
                .build();
    }

    private ListObjectsV2Response generate(ListObjectsV2Request request) {
        int page = request.continuationToken() == null ? 0 : Integer.parseInt(request.continuationToken().substring(2));
        List<S3Object> contents = new ArrayList<>();
        for (String key : keysOfPage.apply(page)) {
            contents.add(S3Object.builder().key(key).size(100L).eTag("\"e\"").build());
        }
        boolean truncated = page + 1 < pages;
        return ListObjectsV2Response.builder()
                .isTruncated(truncated)
                .keyCount(contents.size())
                .nextContinuationToken(truncated ? "t-" + (page + 1) : null)
                .contents(contents)
                .build();
    }

    @Override
    public String serviceName() {
        return "s3";
    }

    @Override
    public void close() {
        // nothing to release
    }
}
