package dev.s3scanner.core.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Encodes and decodes scan tasks, and packs a job's objects into as few messages as fit a byte
 * budget.
 *
 * <p>Format (version 1), JSON: {@code {"v":1,"job_id":"…","bucket":"…","objects":[{"k":"key","e":"\"etag\"","s":123,"v":"version"}]}}.
 * Every non-ASCII character is written as a JSON {@code \\uXXXX} escape, so a body is plain
 * ASCII: always within the characters SQS accepts in a message body, whatever bytes the keys
 * hold, and its UTF-8 size equals its length.
 */
public final class ScanTaskCodec {
    /** The message format version this code writes and reads. */
    public static final int VERSION = 1;
    /** Default byte budget per message body: well under SQS's 256 KiB limit, so 10 fit a batch. */
    public static final int DEFAULT_MAX_BODY_BYTES = 24 * 1024;
    /** Default object count per message. */
    public static final int DEFAULT_MAX_OBJECTS = 100;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ScanTaskCodec() {
    }

    /** The JSON body of a task (ASCII only). */
    public static String encode(ScanTask task) {
        try {
            return JSON.writeValueAsString(task);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode scan task", e);
        }
    }

    /**
     * Parses a body.
     *
     * @throws MalformedTaskException when the body is not JSON of this shape, or its version is not {@link #VERSION}
     */
    public static ScanTask decode(String body) {
        ScanTask task;
        try {
            task = JSON.readValue(body, ScanTask.class);
        } catch (JsonProcessingException e) {
            throw new MalformedTaskException("not a scan task: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedTaskException("not a scan task: " + e.getMessage(), e);
        }
        if (task.version() != VERSION) {
            throw new MalformedTaskException("unsupported scan task version " + task.version() + " (this worker reads "
                    + VERSION + ")", null);
        }
        return task;
    }

    /**
     * Packs objects into tasks: each body at most {@code maxBodyBytes} and {@code maxObjects}
     * objects, in the given order. An object too large to share a message gets one of its own.
     *
     * @return the tasks, each with at least one object
     */
    public static List<ScanTask> pack(UUID jobId, String bucket, List<ObjectRef> objects, int maxBodyBytes, int maxObjects) {
        List<ScanTask> tasks = new ArrayList<>();
        int overhead = encode(new ScanTask(VERSION, jobId, bucket, List.of(new ObjectRef("", null, 0, null)))).length()
                - encode(new ObjectRef("", null, 0, null)).length();
        List<ObjectRef> current = new ArrayList<>();
        int size = overhead;
        for (ObjectRef o : objects) {
            int objectBytes = encodedLengthBound(o) + 1; // + comma
            if (!current.isEmpty() && (size + objectBytes > maxBodyBytes || current.size() >= maxObjects)) {
                tasks.add(new ScanTask(VERSION, jobId, bucket, current));
                current = new ArrayList<>();
                size = overhead;
            }
            current.add(o);
            size += objectBytes;
        }
        if (!current.isEmpty()) {
            tasks.add(new ScanTask(VERSION, jobId, bucket, current));
        }
        return tasks;
    }

    /**
     * An upper bound on the length of {@code o}'s JSON in a body (exact unless a value holds control
     * characters, which are counted as six-character escapes): computed without encoding, so that
     * packing a million objects costs no JSON writing beyond the bodies themselves.
     */
    static int encodedLengthBound(ObjectRef o) {
        // {"k":"…","e":"…","s":123,"v":"…"}
        int n = 2 + 6 + escapedLengthBound(o.key()) + 1 + 4 + Long.toString(o.size()).length();
        if (o.etag() != null) {
            n += 1 + 6 + escapedLengthBound(o.etag());
        }
        if (o.versionId() != null) {
            n += 1 + 6 + escapedLengthBound(o.versionId());
        }
        return n;
    }

    /** Length of {@code s} as an ASCII-only JSON string body (quotes not included), at most. */
    private static int escapedLengthBound(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                n += 2;
            } else if (c < 0x20 || c > 0x7E) {
                n += 6; // a six-character escape (each half of a surrogate pair is escaped on its own)
            } else {
                n += 1;
            }
        }
        return n;
    }

    static String encode(ObjectRef o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode object", e);
        }
    }

    /** UTF-8 size of a body. */
    public static int byteSize(String body) {
        return body.getBytes(StandardCharsets.UTF_8).length;
    }
}
