package dev.s3scanner.lister.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.s3scanner.core.detect.DetectionOptions;
import dev.s3scanner.core.listing.ObjectFilter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The body of {@code POST /scan}, read and checked:
 * <pre>{@code
 * {"bucket": "my-bucket",                     required, S3 bucket naming rules
 *  "prefix": "logs/2024/",                    optional, default "": taken as the raw key prefix, never URL-decoded
 *  "source": "list" | "inventory",            optional, default "list"
 *  "include": {"prefixes": [], "extensions": [], "min_size": 0, "max_size": 0,
 *              "modified_after": "2024-01-01T00:00:00Z", "modified_before": "..."},   optional
 *  "exclude": { same fields },                optional
 *  "detectors": ["us_ssn", ...], "custom_detectors": [...], "allow_list": {...}}      optional ({@link DetectionOptions})
 * }</pre>
 * Unknown fields, wrong types, duplicate fields and trailing data are rejected; see
 * {@link ObjectFilter} for the filters' meaning.
 *
 * @param bucket    the bucket
 * @param prefix    the key prefix exactly as given ({@code ""} for the whole bucket)
 * @param source    {@code list} or {@code inventory}
 * @param filter    the include/exclude filters
 * @param detection what to detect, or {@code null} for the defaults
 */
public record ScanRequest(String bucket, String prefix, String source, ObjectFilter filter, DetectionOptions detection) {
    /** Largest body accepted, in bytes (64 KiB). */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** Longest prefix, in UTF-8 bytes (S3's key length limit). */
    public static final int MAX_PREFIX_BYTES = 1024;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Set<String> FIELDS;
    private static final Set<String> FILTER_FIELDS = Set.of("prefixes", "extensions", "min_size", "max_size",
            "modified_after", "modified_before");

    static {
        Set<String> f = new HashSet<>(Set.of("bucket", "prefix", "source", "include", "exclude"));
        f.addAll(Detection.FIELDS);
        FIELDS = Set.copyOf(f);
    }

    /**
     * Parses a body.
     *
     * @param body the raw body (UTF-8 JSON), at most {@link #MAX_BODY_BYTES}
     * @return the request
     * @throws ApiException with the code of the first problem found
     */
    public static ScanRequest parse(byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "the body is " + body.length
                    + " bytes; the limit is " + MAX_BODY_BYTES + " bytes (64 KiB)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.INVALID_JSON, "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INVALID_JSON, "the body is not valid JSON");
        }
        if (root == null || root.isMissingNode()) {
            throw new ApiException(ErrorCode.INVALID_JSON, "the body is empty; send a JSON object such as {\"bucket\": \"my-bucket\"}");
        }
        if (!root.isObject()) {
            throw new ApiException(ErrorCode.INVALID_JSON, "the body must be a JSON object, was " + JsonFields.describe(root));
        }
        JsonFields fields = JsonFields.of(root, "", FIELDS);
        String bucket = fields.requiredString("bucket");
        BucketNames.check("bucket", bucket);
        String prefix = fields.string("prefix");
        if (prefix == null) {
            prefix = "";
        }
        int prefixBytes = prefix.getBytes(StandardCharsets.UTF_8).length;
        if (prefixBytes > MAX_PREFIX_BYTES) {
            throw new ApiException(ErrorCode.PREFIX_TOO_LONG, "field 'prefix' is " + prefixBytes
                    + " bytes in UTF-8; S3 keys, and so prefixes, are at most 1024 bytes");
        }
        String source = fields.string("source");
        if (source == null) {
            source = "list";
        }
        if (!source.equals("list") && !source.equals("inventory")) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "field 'source' must be 'list' or 'inventory', was '"
                    + source + "'");
        }
        ObjectFilter filter = new ObjectFilter(criteria(fields.object("include", FILTER_FIELDS)),
                criteria(fields.object("exclude", FILTER_FIELDS)));
        DetectionOptions detection = Detection.read(fields);
        return new ScanRequest(bucket, prefix, source, filter, detection);
    }

    private static ObjectFilter.Criteria criteria(JsonFields f) {
        if (f == null) {
            return ObjectFilter.Criteria.NONE;
        }
        try {
            return new ObjectFilter.Criteria(f.strings("prefixes", ObjectFilter.MAX_ENTRIES),
                    f.strings("extensions", ObjectFilter.MAX_ENTRIES), f.integer("min_size"), f.integer("max_size"),
                    f.instant("modified_after"), f.instant("modified_before"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FILTER, f.self() + "." + e.getMessage());
        }
    }

    /**
     * The job's {@code options} JSON: {@code include}, {@code exclude} and {@code detection}, each
     * only when given. Equal requests give equal options.
     */
    public ObjectNode options() {
        ObjectNode o = JSON.createObjectNode();
        if (!filter.include().isEmpty()) {
            o.set("include", filter.include().toJson());
        }
        if (!filter.exclude().isEmpty()) {
            o.set("exclude", filter.exclude().toJson());
        }
        if (detection != null) {
            o.set("detection", Detection.toJson(detection));
        }
        return o;
    }
}
