package dev.s3scanner.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.StoredFinding;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes a job's findings (masked values and redacted context only) as a table, JSON lines or
 * SARIF ({@link SarifWriter}),
 * reading them page by page so that any number of findings streams in bounded memory.
 *
 * <p>JSON lines hold {@code job_id}, {@code bucket}, {@code key}, {@code entry_path},
 * {@code detector}, {@code offset} (byte offset of the value in the object, or in the archive
 * member named by {@code entry_path}), {@code masked} and {@code context}.
 */
public final class FindingsWriter {
    private static final int PAGE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private FindingsWriter() {
    }

    /**
     * Writes every finding of a job.
     *
     * @return the number written
     */
    public static long write(JobStore store, UUID jobId, OutputFormat format, PrintStream out) {
        return switch (format) {
            case jsonl -> writeJsonLines(store, jobId, out);
            case sarif -> {
                long n = SarifWriter.write(store, jobId, out);
                out.flush();
                yield n;
            }
            case table -> writeTable(store, jobId, out);
        };
    }

    private static long writeJsonLines(JobStore store, UUID jobId, PrintStream out) {
        long n = 0;
        long after = 0;
        while (true) {
            List<StoredFinding> page = store.findings(jobId, after, null, null, PAGE);
            for (StoredFinding f : page) {
                ObjectNode o = JSON.createObjectNode();
                o.put("job_id", f.jobId().toString());
                o.put("bucket", f.bucket());
                o.put("key", f.key());
                o.put("entry_path", f.entryPath());
                o.put("detector", f.detector());
                o.put("offset", f.byteOffset());
                o.put("masked", f.maskedValue());
                o.put("context", f.context());
                try {
                    out.println(JSON.writeValueAsString(o));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
                n++;
            }
            if (page.size() < PAGE) {
                return n;
            }
            after = page.get(page.size() - 1).findingId();
        }
    }

    private static long writeTable(JobStore store, UUID jobId, PrintStream out) {
        // sorted by key and offset for reading; collected because a table needs its column widths
        List<String[]> rows = new ArrayList<>();
        long after = 0;
        while (true) {
            List<StoredFinding> page = store.findings(jobId, after, null, null, PAGE);
            for (StoredFinding f : page) {
                String key = f.entryPath().isEmpty() ? f.key() : f.key() + "!/" + f.entryPath();
                rows.add(new String[] {key, f.detector(), Long.toString(f.byteOffset()), f.maskedValue()});
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).findingId();
        }
        rows.sort((a, b) -> {
            int c = a[0].compareTo(b[0]);
            return c != 0 ? c : Long.compare(Long.parseLong(a[2]), Long.parseLong(b[2]));
        });
        String[] header = {"KEY", "DETECTOR", "OFFSET", "MASKED"};
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        if (rows.isEmpty()) {
            out.println("No findings.");
            return 0;
        }
        out.println(line(header, width));
        for (String[] r : rows) {
            out.println(line(r, width));
        }
        return rows.size();
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                sb.append("  ");
            }
            boolean right = i == 2;
            String pad = " ".repeat(width[i] - cells[i].length());
            sb.append(right ? pad + cells[i] : (i == cells.length - 1 ? cells[i] : cells[i] + pad));
        }
        return sb.toString();
    }
}
