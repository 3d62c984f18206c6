package dev.s3scanner.core.listing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.s3scanner.core.store.ListedObject;
import dev.s3scanner.core.store.ObjectReason;
import dev.s3scanner.core.store.ObjectState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A job's include and exclude filters, applied at listing time: an object left out by them is
 * recorded {@code skipped} with reason {@link ObjectReason#EXCLUDED} and is never fetched.
 *
 * <p>An object is scanned when it matches {@code include} (every criterion given there holds) and
 * does not match {@code exclude} (no criterion given there holds). A criterion is one of: the key
 * starts with one of {@code prefixes} (full keys, byte for byte, not relative to the job's
 * prefix); the key ends with one of {@code extensions} (ASCII case-insensitive); the size in bytes
 * is within {@code [min_size, max_size]}; the last-modified time is within
 * {@code [modified_after, modified_before)}. A range with one bound is open on the other side.
 *
 * <p>Stored in the job's {@code options} as {@code {"include": {...}, "exclude": {...}}}, with the
 * field names {@code prefixes}, {@code extensions}, {@code min_size}, {@code max_size},
 * {@code modified_after}, {@code modified_before} (ISO-8601 instants).
 *
 * @param include what an object must match to be scanned; {@link Criteria#NONE} for everything
 * @param exclude what leaves an object out; {@link Criteria#NONE} for nothing
 */
public record ObjectFilter(Criteria include, Criteria exclude) {
    /** No filter: every object is scanned. */
    public static final ObjectFilter NONE = new ObjectFilter(Criteria.NONE, Criteria.NONE);
    /** Most entries in {@code prefixes} or {@code extensions}. */
    public static final int MAX_ENTRIES = 100;
    /** Longest prefix, in UTF-8 bytes (S3's key limit). */
    public static final int MAX_PREFIX_BYTES = 1024;
    /** Longest extension, in characters, with its leading dot. */
    public static final int MAX_EXTENSION_LENGTH = 32;

    private static final ObjectMapper JSON = new ObjectMapper();

    public ObjectFilter {
        include = include == null ? Criteria.NONE : include;
        exclude = exclude == null ? Criteria.NONE : exclude;
    }

    /**
     * One side of a filter. Lists are never {@code null} (empty: no such criterion).
     *
     * @param prefixes       key prefixes, each 1–1,024 UTF-8 bytes, at most {@value #MAX_ENTRIES}
     * @param extensions     key endings, normalised to lower case with a leading dot ({@code csv} →
     *                       {@code .csv}), each at most {@value #MAX_EXTENSION_LENGTH} characters, no {@code /}
     * @param minSize        smallest size in bytes (inclusive), or {@code null}
     * @param maxSize        largest size in bytes (inclusive), or {@code null}
     * @param modifiedAfter  earliest last-modified time (inclusive), or {@code null}
     * @param modifiedBefore last-modified time the object must be before (exclusive), or {@code null}
     * @throws IllegalArgumentException when a value breaks these rules or a range is empty; the
     *                                  message names the field ({@code prefixes[2]}, {@code min_size} …)
     */
    public record Criteria(List<String> prefixes, List<String> extensions, Long minSize, Long maxSize,
                           Instant modifiedAfter, Instant modifiedBefore) {
        /** No criterion. */
        public static final Criteria NONE = new Criteria(List.of(), List.of(), null, null, null, null);

        public Criteria {
            prefixes = checkPrefixes(prefixes == null ? List.of() : prefixes);
            extensions = normaliseExtensions(extensions == null ? List.of() : extensions);
            if (minSize != null && minSize < 0) {
                throw new IllegalArgumentException("min_size must be 0 or more, was " + minSize);
            }
            if (maxSize != null && maxSize < 0) {
                throw new IllegalArgumentException("max_size must be 0 or more, was " + maxSize);
            }
            if (minSize != null && maxSize != null && minSize > maxSize) {
                throw new IllegalArgumentException("min_size (" + minSize + ") is greater than max_size (" + maxSize + ")");
            }
            if (modifiedAfter != null && modifiedBefore != null && !modifiedAfter.isBefore(modifiedBefore)) {
                throw new IllegalArgumentException("modified_after (" + modifiedAfter + ") is not before modified_before ("
                        + modifiedBefore + ")");
            }
        }

        /** Whether no criterion is given. */
        public boolean isEmpty() {
            return prefixes.isEmpty() && extensions.isEmpty() && minSize == null && maxSize == null
                    && modifiedAfter == null && modifiedBefore == null;
        }

        private static List<String> checkPrefixes(List<String> prefixes) {
            if (prefixes.size() > MAX_ENTRIES) {
                throw new IllegalArgumentException("prefixes has " + prefixes.size() + " entries; the limit is " + MAX_ENTRIES);
            }
            for (int i = 0; i < prefixes.size(); i++) {
                String p = prefixes.get(i);
                if (p == null || p.isEmpty()) {
                    throw new IllegalArgumentException("prefixes[" + i + "] must not be empty");
                }
                if (p.getBytes(StandardCharsets.UTF_8).length > MAX_PREFIX_BYTES) {
                    throw new IllegalArgumentException("prefixes[" + i + "] is longer than S3's 1,024-byte key limit");
                }
            }
            return List.copyOf(prefixes);
        }

        private static List<String> normaliseExtensions(List<String> extensions) {
            if (extensions.size() > MAX_ENTRIES) {
                throw new IllegalArgumentException("extensions has " + extensions.size() + " entries; the limit is " + MAX_ENTRIES);
            }
            List<String> out = new ArrayList<>(extensions.size());
            for (int i = 0; i < extensions.size(); i++) {
                String e = extensions.get(i);
                if (e == null || e.isEmpty() || e.equals(".")) {
                    throw new IllegalArgumentException("extensions[" + i + "] must not be empty");
                }
                String n = (e.startsWith(".") ? e : "." + e).toLowerCase(Locale.ROOT);
                if (n.length() > MAX_EXTENSION_LENGTH || n.indexOf('/') >= 0) {
                    throw new IllegalArgumentException("extensions[" + i + "] must be at most " + MAX_EXTENSION_LENGTH
                            + " characters with no '/', was '" + e + "'");
                }
                out.add(n);
            }
            return List.copyOf(out);
        }

        /** The name of the first criterion {@code o} meets, or {@code null} (for exclude: any one leaves it out). */
        String firstMet(ListedObject o) {
            if (!prefixes.isEmpty() && startsWithAny(o.key())) {
                return "prefixes";
            }
            if (!extensions.isEmpty() && endsWithAny(o.key())) {
                return "extensions";
            }
            if ((minSize != null || maxSize != null) && sizeWithin(o.size())) {
                return "size";
            }
            if ((modifiedAfter != null || modifiedBefore != null) && o.lastModified() != null
                    && timeWithin(o.lastModified())) {
                return "last_modified";
            }
            return null;
        }

        /** The name of the first criterion {@code o} fails, or {@code null} (for include: all must hold). */
        String firstFailed(ListedObject o) {
            if (!prefixes.isEmpty() && !startsWithAny(o.key())) {
                return "prefixes";
            }
            if (!extensions.isEmpty() && !endsWithAny(o.key())) {
                return "extensions";
            }
            if ((minSize != null || maxSize != null) && !sizeWithin(o.size())) {
                return "size";
            }
            if ((modifiedAfter != null || modifiedBefore != null)
                    && (o.lastModified() == null || !timeWithin(o.lastModified()))) {
                return "last_modified";
            }
            return null;
        }

        private boolean startsWithAny(String key) {
            for (String p : prefixes) {
                if (key.startsWith(p)) {
                    return true;
                }
            }
            return false;
        }

        private boolean endsWithAny(String key) {
            String lower = key.toLowerCase(Locale.ROOT);
            for (String e : extensions) {
                if (lower.endsWith(e)) {
                    return true;
                }
            }
            return false;
        }

        private boolean sizeWithin(long size) {
            return (minSize == null || size >= minSize) && (maxSize == null || size <= maxSize);
        }

        private boolean timeWithin(Instant t) {
            return (modifiedAfter == null || !t.isBefore(modifiedAfter)) && (modifiedBefore == null || t.isBefore(modifiedBefore));
        }

        /** This side as stored in the job's options. */
        public ObjectNode toJson() {
            ObjectNode n = JSON.createObjectNode();
            if (!prefixes.isEmpty()) {
                ArrayNode a = n.putArray("prefixes");
                prefixes.forEach(a::add);
            }
            if (!extensions.isEmpty()) {
                ArrayNode a = n.putArray("extensions");
                extensions.forEach(a::add);
            }
            if (minSize != null) {
                n.put("min_size", minSize);
            }
            if (maxSize != null) {
                n.put("max_size", maxSize);
            }
            if (modifiedAfter != null) {
                n.put("modified_after", modifiedAfter.toString());
            }
            if (modifiedBefore != null) {
                n.put("modified_before", modifiedBefore.toString());
            }
            return n;
        }

        static Criteria fromJson(JsonNode n) {
            if (n == null || n.isNull() || n.isMissingNode()) {
                return NONE;
            }
            return new Criteria(strings(n.get("prefixes")), strings(n.get("extensions")), longOrNull(n.get("min_size")),
                    longOrNull(n.get("max_size")), instantOrNull(n.get("modified_after")),
                    instantOrNull(n.get("modified_before")));
        }

        private static List<String> strings(JsonNode a) {
            List<String> out = new ArrayList<>();
            if (a != null) {
                a.forEach(x -> out.add(x.asText()));
            }
            return out;
        }

        private static Long longOrNull(JsonNode n) {
            return n == null || n.isNull() ? null : n.asLong();
        }

        private static Instant instantOrNull(JsonNode n) {
            return n == null || n.isNull() ? null : Instant.parse(n.asText());
        }
    }

    /** Whether this filter leaves nothing out. */
    public boolean isEmpty() {
        return include.isEmpty() && exclude.isEmpty();
    }

    /**
     * The object as this filter decides: unchanged when it is to be scanned (or was already decided
     * terminal for another reason and is kept), else skipped with reason {@code excluded} and a
     * detail naming the rule ({@code exclude.prefixes}, {@code include.extensions} …).
     */
    public ListedObject apply(ListedObject o) {
        if (isEmpty() || o.state() != ObjectState.QUEUED) {
            return o;
        }
        String failed = include.firstFailed(o);
        if (failed != null) {
            return o.withOutcome(ObjectState.SKIPPED, ObjectReason.EXCLUDED, "include." + failed);
        }
        String met = exclude.firstMet(o);
        if (met != null) {
            return o.withOutcome(ObjectState.SKIPPED, ObjectReason.EXCLUDED, "exclude." + met);
        }
        return o;
    }

    /**
     * Reads the filter from a job's options JSON (as the API stored it).
     *
     * @param optionsJson the job's {@code options} ({@code {}} when it has none)
     * @throws IllegalArgumentException when the stored filter is not valid
     */
    public static ObjectFilter fromOptions(String optionsJson) {
        JsonNode options;
        try {
            options = JSON.readTree(optionsJson == null ? "{}" : optionsJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("job options are not JSON: " + e.getMessage(), e);
        }
        if (options == null || !options.isObject()) {
            return NONE;
        }
        return new ObjectFilter(Criteria.fromJson(options.get("include")), Criteria.fromJson(options.get("exclude")));
    }
}
