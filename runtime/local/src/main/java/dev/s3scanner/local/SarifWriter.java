package dev.s3scanner.local;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.s3scanner.core.detect.DetectorId;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobProgress;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.StoredFinding;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Writes a job's findings as a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange Format,
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html) for tools that read it (code
 * scanning dashboards, SARIF viewers). Streams the findings page by page, so any number of them
 * takes bounded memory.
 *
 * <p>Shape: one run; {@code tool.driver} is "S3 Scanner" with one rule per detector that has
 * findings in the job (id = detector id; level {@code error} for identifiers and secrets,
 * {@code warning} for e-mail addresses and phone numbers); one result per finding with
 * {@code ruleId}, {@code ruleIndex}, {@code level}, {@code message.text} holding the masked value
 * only, and one location whose {@code artifactLocation.uri} is {@code s3://bucket/key}
 * (percent-encoded) and whose {@code region.byteOffset} is the finding's offset. A finding inside
 * an archive entry points at the entry the way JAR URLs do, {@code s3://bucket/archive.zip!/dir/entry.csv},
 * and also names it in {@code properties.entry_path}. The redacted context is in
 * {@code properties.context}; no raw value is written.
 */
public final class SarifWriter {
    /** The SARIF version written. */
    public static final String VERSION = "2.1.0";
    /** The schema URI written in {@code $schema}. */
    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    private static final int PAGE = 1000;
    private static final JsonFactory JSON = new JsonFactory();
    private static final Map<String, String> NAMES = Map.of(
            DetectorId.US_SSN, "US Social Security number",
            DetectorId.CREDIT_CARD, "Payment card number",
            DetectorId.AWS_ACCESS_KEY_ID, "AWS access key id",
            DetectorId.AWS_SECRET_ACCESS_KEY, "AWS secret access key",
            DetectorId.EMAIL, "Email address",
            DetectorId.US_PHONE, "US phone number");

    private SarifWriter() {
    }

    /**
     * Writes the SARIF log of a job.
     *
     * @param store the job store
     * @param jobId the job
     * @param out   where to write (UTF-8; not closed)
     * @return the number of results written
     * @throws IllegalArgumentException when the job does not exist
     * @throws UncheckedIOException     when writing fails
     */
    public static long write(JobStore store, UUID jobId, OutputStream out) {
        Job job = store.findJob(jobId).orElseThrow(() -> new IllegalArgumentException("no job " + jobId));
        List<String> rules = detectors(store, jobId);
        long n = 0;
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeStringField("$schema", SCHEMA);
            g.writeStringField("version", VERSION);
            g.writeArrayFieldStart("runs");
            g.writeStartObject();
            writeTool(g, rules);
            g.writeObjectFieldStart("automationDetails");
            g.writeStringField("id", "s3scanner/" + jobId);
            g.writeEndObject();
            g.writeArrayFieldStart("results");
            long after = 0;
            while (true) {
                List<StoredFinding> page = store.findings(jobId, after, null, null, PAGE);
                for (StoredFinding f : page) {
                    writeResult(g, f, rules.indexOf(f.detector()), job.bucket());
                    n++;
                }
                if (page.size() < PAGE) {
                    break;
                }
                after = page.get(page.size() - 1).findingId();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    /** The detectors with findings in the job, sorted (from its {@code findings:<detector>} counters). */
    private static List<String> detectors(JobStore store, UUID jobId) {
        TreeSet<String> ids = new TreeSet<>();
        JobProgress p = store.liveProgress(jobId).orElseThrow(() -> new IllegalArgumentException("no job " + jobId));
        p.counters().forEach((metric, value) -> {
            if (metric.startsWith("findings:") && value > 0) {
                ids.add(metric.substring("findings:".length()));
            }
        });
        return new ArrayList<>(ids);
    }

    private static String level(String detector) {
        return DetectorId.EMAIL.equals(detector) || DetectorId.US_PHONE.equals(detector) ? "warning" : "error";
    }

    private static void writeTool(JsonGenerator g, List<String> rules) throws IOException {
        g.writeObjectFieldStart("tool");
        g.writeObjectFieldStart("driver");
        g.writeStringField("name", "S3 Scanner");
        g.writeStringField("version", "0.1.0");
        g.writeArrayFieldStart("rules");
        for (String id : rules) {
            String name = NAMES.getOrDefault(id, "Custom detector " + id);
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("name", id);
            g.writeObjectFieldStart("shortDescription");
            g.writeStringField("text", name + " found in an object");
            g.writeEndObject();
            g.writeObjectFieldStart("defaultConfiguration");
            g.writeStringField("level", level(id));
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeResult(JsonGenerator g, StoredFinding f, int ruleIndex, String bucket) throws IOException {
        g.writeStartObject();
        g.writeStringField("ruleId", f.detector());
        if (ruleIndex >= 0) {
            g.writeNumberField("ruleIndex", ruleIndex);
        }
        g.writeStringField("level", level(f.detector()));
        g.writeObjectFieldStart("message");
        g.writeStringField("text", NAMES.getOrDefault(f.detector(), f.detector()) + ": " + f.maskedValue());
        g.writeEndObject();
        g.writeArrayFieldStart("locations");
        g.writeStartObject();
        g.writeObjectFieldStart("physicalLocation");
        g.writeObjectFieldStart("artifactLocation");
        g.writeStringField("uri", uri(bucket, f.key(), f.entryPath()));
        g.writeEndObject();
        g.writeObjectFieldStart("region");
        g.writeNumberField("byteOffset", f.byteOffset());
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
        g.writeObjectFieldStart("properties");
        g.writeStringField("masked", f.maskedValue());
        g.writeStringField("context", f.context());
        if (!f.entryPath().isEmpty()) {
            g.writeStringField("entry_path", f.entryPath());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /**
     * {@code s3://bucket/key}, or {@code s3://bucket/key!/entry} for an archive entry, with every
     * byte of key and entry outside RFC 3986's unreserved characters and {@code /} percent-encoded.
     */
    static String uri(String bucket, String key, String entryPath) {
        String uri = "s3://" + bucket + "/" + encode(key);
        return entryPath.isEmpty() ? uri : uri + "!/" + encode(entryPath);
    }

    private static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~' || c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
