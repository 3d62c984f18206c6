package dev.s3scanner.bench;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A small set of distinct, realistic text objects of one size that the worker benchmark serves
 * under many keys: application log lines (timestamps, request ids, IPs, paths, durations) with a
 * few findings per object (an email, a phone number, an SSN), as in the seed's reference job.
 * Deterministic for a given size.
 */
final class ObjectCorpus {
    private static final String[] PATHS = {"/api/orders", "/api/customers/{id}", "/health", "/api/payments", "/login",
            "/api/export", "/static/app.js", "/api/search?q=boots"};
    private static final String[] LEVELS = {"INFO", "INFO", "INFO", "DEBUG", "WARN"};

    private final byte[][] bodies;

    /**
     * @param distinct how many different bodies
     * @param size     bytes per body
     */
    ObjectCorpus(int distinct, int size) {
        bodies = new byte[distinct][];
        for (int i = 0; i < distinct; i++) {
            bodies[i] = body(new Random(1000L + i), size, i);
        }
    }

    /** The body served for key number {@code n}. */
    byte[] body(long n) {
        return bodies[(int) (n % bodies.length)];
    }

    /** How many distinct bodies there are. */
    int distinct() {
        return bodies.length;
    }

    /** Findings a correct scanner reports in body {@code i} (three per body). */
    static int findingsPerBody() {
        return 3;
    }

    private static byte[] body(Random r, int size, int index) {
        StringBuilder sb = new StringBuilder(size + 200);
        int line = 0;
        int[] findingAt = {size / 5, size / 2, size * 4 / 5};
        int next = 0;
        while (sb.length() < size) {
            if (next < findingAt.length && sb.length() >= findingAt[next]) {
                switch (next) {
                    case 0 -> sb.append("2024-05-14T10:").append(String.format("%02d:%02d", line % 60, r.nextInt(60)))
                            .append(".120Z INFO  [http-nio-8080-exec-4] c.a.CustomerService - profile updated for customer ")
                            .append(10000 + index).append(" email=user").append(index).append("@example.com\n");
                    case 1 -> sb.append("2024-05-14T10:").append(String.format("%02d:%02d", line % 60, r.nextInt(60)))
                            .append(".512Z INFO  [http-nio-8080-exec-2] c.a.SupportService - callback requested at (212) 555-01")
                            .append(String.format("%02d", index % 100)).append('\n');
                    default -> sb.append("2024-05-14T10:").append(String.format("%02d:%02d", line % 60, r.nextInt(60)))
                            .append(".804Z WARN  [batch-1] c.a.PayrollImport - row rejected: ssn=219-48-")
                            .append(String.format("%04d", 1000 + index)).append(" missing routing number\n");
                }
                next++;
                continue;
            }
            sb.append("2024-05-14T10:").append(String.format("%02d:%02d", line % 60, r.nextInt(60))).append('.')
                    .append(String.format("%03d", r.nextInt(1000))).append("Z ").append(LEVELS[r.nextInt(LEVELS.length)])
                    .append("  [http-nio-8080-exec-").append(1 + r.nextInt(8)).append("] c.a.web.RequestLog - ")
                    .append(r.nextBoolean() ? "GET " : "POST ").append(PATHS[r.nextInt(PATHS.length)])
                    .append(" status=").append(r.nextInt(10) == 0 ? 404 : 200)
                    .append(" took=").append(r.nextInt(900)).append("ms client=10.")
                    .append(r.nextInt(256)).append('.').append(r.nextInt(256)).append('.').append(r.nextInt(256))
                    .append(" request_id=").append(new java.util.UUID(r.nextLong(), r.nextLong())).append('\n');
            line++;
        }
        sb.setLength(size);
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
