package dev.s3scanner.lister.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, checked reading of one JSON object of a request body. Every error names the field by its
 * path ({@code include.prefixes[2]}) and is an {@link ApiException}: {@link ErrorCode#UNKNOWN_FIELD}
 * for a field not in the known set, {@link ErrorCode#MISSING_FIELD} for a required one that is
 * absent or {@code null}, {@link ErrorCode#INVALID_FIELD} for a wrong type or an invalid string.
 * A {@code null} value counts as absent. Scalars are never coerced ({@code "5"} is not a number).
 */
final class JsonFields {
    private final JsonNode node;
    private final String path;

    private JsonFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /**
     * Wraps an object and checks that it has no field outside {@code known}.
     *
     * @param node  the value, which must be a JSON object
     * @param path  its path, {@code ""} for the body itself
     * @param known the fields it may have
     */
    static JsonFields of(JsonNode node, String path, Set<String> known) {
        if (node == null || !node.isObject()) {
            throw new ApiException(ErrorCode.INVALID_FIELD, (path.isEmpty() ? "the body" : "field '" + path + "'")
                    + " must be a JSON object, was " + describe(node));
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ApiException(ErrorCode.UNKNOWN_FIELD, "unknown field '" + qualified(path, name)
                        + "'; known fields: " + String.join(", ", new TreeSet<>(known)));
            }
        }
        return new JsonFields(node, path);
    }

    private static String qualified(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The path of this object itself ({@code ""} for the body). */
    String self() {
        return path;
    }

    /** The path of a field of this object. */
    String path(String field) {
        return qualified(path, field);
    }

    /** The raw value, or {@code null} when absent or JSON null. */
    JsonNode get(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    /** Whether the field is present and not null. */
    boolean has(String field) {
        return get(field) != null;
    }

    /** A string field; {@code null} when absent. */
    String string(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrongType(path(field), "a string", v);
        }
        return Text.check(path(field), v.textValue());
    }

    /** A required string field. */
    String requiredString(String field) {
        String s = string(field);
        if (s == null) {
            throw new ApiException(ErrorCode.MISSING_FIELD, "field '" + path(field) + "' is required");
        }
        return s;
    }

    /** An integer field (fits a long); {@code null} when absent. */
    Long integer(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrongType(path(field), "an integer", v);
        }
        return v.longValue();
    }

    /** An ISO-8601 date-time with an offset ({@code 2024-05-01T00:00:00Z}); {@code null} when absent. */
    Instant instant(String field) {
        String s = string(field);
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "field '" + path(field)
                    + "' must be an ISO-8601 date-time with an offset, such as 2024-05-01T00:00:00Z, was '" + s + "'");
        }
    }

    /** An array of strings with at most {@code maxEntries} entries; empty when absent. */
    List<String> strings(String field, int maxEntries) {
        JsonNode v = get(field);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw wrongType(path(field), "an array of strings", v);
        }
        if (v.size() > maxEntries) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "field '" + path(field) + "' has " + v.size()
                    + " entries; the limit is " + maxEntries);
        }
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String p = path(field) + "[" + i + "]";
            if (!e.isTextual()) {
                throw wrongType(p, "a string", e);
            }
            out.add(Text.check(p, e.textValue()));
        }
        return out;
    }

    /** An array of objects with at most {@code maxEntries} entries, each checked against {@code known}. */
    List<JsonFields> objects(String field, int maxEntries, Set<String> known) {
        JsonNode v = get(field);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw wrongType(path(field), "an array of objects", v);
        }
        if (v.size() > maxEntries) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "field '" + path(field) + "' has " + v.size()
                    + " entries; the limit is " + maxEntries);
        }
        List<JsonFields> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            out.add(of(v.get(i), path(field) + "[" + i + "]", known));
        }
        return out;
    }

    /** A nested object; {@code null} when absent. */
    JsonFields object(String field, Set<String> known) {
        JsonNode v = get(field);
        return v == null ? null : of(v, path(field), known);
    }

    private static ApiException wrongType(String path, String expected, JsonNode actual) {
        return new ApiException(ErrorCode.INVALID_FIELD, "field '" + path + "' must be " + expected + ", was "
                + describe(actual));
    }

    /** The JSON type of a value, for messages. */
    static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            return "a string";
        }
        if (v.isNumber()) {
            return "a number";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        if (v.isArray()) {
            return "an array";
        }
        return "an object";
    }
}
