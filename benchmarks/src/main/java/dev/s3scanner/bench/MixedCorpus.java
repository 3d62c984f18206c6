package dev.s3scanner.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic mixed corpus of text objects, of the kinds an S3 scan meets, by share of bytes:
 * <ul>
 *   <li>35% application logs: ISO timestamps, levels, HTTP paths, status codes, durations, IPs,
 *       UUID trace ids, numeric user ids; one line in 40 carries an email address;</li>
 *   <li>20% CSV customer exports: every row has a name, email, US phone, SSN, card number,
 *       address, dates and amounts;</li>
 *   <li>20% JSON API payloads: nested orders with ids, SKUs, prices, timestamps; one in 10 has a
 *       customer email and phone;</li>
 *   <li>15% prose (English words, some non-ASCII), one sentence in 30 quoting a phone or email;</li>
 *   <li>10% configuration: key=value lines, hex digests, base64 tokens; one file in 4 holds an AWS
 *       key pair.</li>
 * </ul>
 * Values are synthetic (valid shapes with random digits, example.com domains).
 */
public final class MixedCorpus {
    private static final String[] FIRST = {"jane", "john", "maria", "wei", "olu", "priya", "lars", "ana", "omar", "kim"};
    private static final String[] LAST = {"doe", "smith", "garcia", "chen", "adeyemi", "patel", "berg", "silva", "haddad", "lee"};
    private static final String[] WORDS = ("the of and to in is was for on that with as by at from this be are or an it "
            + "report quarterly revenue customer shipment warehouse delivery invoice pending review approved contract "
            + "migration cluster service latency throughput region bucket object policy access team meeting café über").split(" ");
    private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final String HEX = "0123456789abcdef";

    private final Random rnd;

    private MixedCorpus(long seed) {
        this.rnd = new Random(seed);
    }

    /** Objects of about {@code objectBytes} each, about {@code totalBytes} in all. */
    public static List<byte[]> objects(long totalBytes, int objectBytes) {
        MixedCorpus g = new MixedCorpus(42);
        List<byte[]> out = new ArrayList<>();
        long made = 0;
        int i = 0;
        while (made < totalBytes) {
            int kind = i++ % 20;
            byte[] o = kind < 7 ? g.log(objectBytes) : kind < 11 ? g.csv(objectBytes) : kind < 15 ? g.json(objectBytes)
                    : kind < 18 ? g.prose(objectBytes) : g.config(objectBytes);
            out.add(o);
            made += o.length;
        }
        return out;
    }

    /** The kind of the object at {@code index} of {@link #objects}: log, csv, json, prose or config. */
    public static String kind(int index) {
        int k = index % 20;
        return k < 7 ? "log" : k < 11 ? "csv" : k < 15 ? "json" : k < 18 ? "prose" : "config";
    }

    public static long size(List<byte[]> objects) {
        return objects.stream().mapToLong(o -> o.length).sum();
    }

    private byte[] log(int size) {
        StringBuilder sb = new StringBuilder(size + 256);
        while (sb.length() < size) {
            sb.append(String.format("2024-%02d-%02dT%02d:%02d:%02d.%03dZ %s [%s] GET /api/v2/orders/%d status=%d bytes=%d took=%dms ip=10.%d.%d.%d trace=%s user=%d",
                    1 + rnd.nextInt(12), 1 + rnd.nextInt(28), rnd.nextInt(24), rnd.nextInt(60), rnd.nextInt(60), rnd.nextInt(1000),
                    rnd.nextInt(10) == 0 ? "WARN" : "INFO", "worker-" + rnd.nextInt(16), rnd.nextInt(1_000_000),
                    rnd.nextInt(20) == 0 ? 404 : 200, rnd.nextInt(100_000), rnd.nextInt(3000),
                    rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256), uuid(), rnd.nextInt(10_000_000)));
            if (rnd.nextInt(40) == 0) {
                sb.append(" login=").append(email());
            }
            sb.append('\n');
        }
        return bytes(sb);
    }

    private byte[] csv(int size) {
        StringBuilder sb = new StringBuilder(size + 256);
        sb.append("id,first_name,last_name,email,phone,ssn,card_number,street,city,state,zip,signup_date,balance\n");
        int id = 1;
        while (sb.length() < size) {
            String first = FIRST[rnd.nextInt(10)];
            String last = LAST[rnd.nextInt(10)];
            sb.append(id++).append(',').append(first).append(',').append(last).append(',').append(email()).append(',')
                    .append(phone()).append(',').append(ssn()).append(',').append(card()).append(',')
                    .append(100 + rnd.nextInt(9900)).append(" Main St,Springfield,IL,").append(String.format("%05d", rnd.nextInt(100_000)))
                    .append(String.format(",2023-%02d-%02d,", 1 + rnd.nextInt(12), 1 + rnd.nextInt(28)))
                    .append(rnd.nextInt(10_000)).append('.').append(String.format("%02d", rnd.nextInt(100))).append('\n');
        }
        return bytes(sb);
    }

    private byte[] json(int size) {
        StringBuilder sb = new StringBuilder(size + 512);
        sb.append("[\n");
        while (sb.length() < size) {
            sb.append("  {\"order_id\": \"").append(uuid()).append("\", \"created\": \"2024-03-")
                    .append(String.format("%02d", 1 + rnd.nextInt(28))).append("T12:00:00Z\", \"items\": [");
            int n = 1 + rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                sb.append(i > 0 ? ", " : "").append("{\"sku\": \"SKU-").append(rnd.nextInt(100_000)).append("\", \"qty\": ")
                        .append(1 + rnd.nextInt(9)).append(", \"price\": ").append(rnd.nextInt(500)).append('.').append(rnd.nextInt(100)).append('}');
            }
            sb.append("], \"total_cents\": ").append(rnd.nextInt(1_000_000));
            if (rnd.nextInt(10) == 0) {
                sb.append(", \"customer\": {\"email\": \"").append(email()).append("\", \"phone\": \"").append(phone()).append("\"}");
            }
            sb.append("},\n");
        }
        sb.append("  {}\n]\n");
        return bytes(sb);
    }

    private byte[] prose(int size) {
        StringBuilder sb = new StringBuilder(size + 256);
        while (sb.length() < size) {
            int n = 8 + rnd.nextInt(20);
            for (int i = 0; i < n; i++) {
                String w = WORDS[rnd.nextInt(WORDS.length)];
                sb.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w).append(i + 1 < n ? " " : "");
            }
            if (rnd.nextInt(30) == 0) {
                sb.append(rnd.nextBoolean() ? " call " + phone() : " write to " + email());
            }
            sb.append(rnd.nextInt(6) == 0 ? ".\n\n" : ". ");
        }
        return bytes(sb);
    }

    private byte[] config(int size) {
        StringBuilder sb = new StringBuilder(size + 256);
        boolean keys = rnd.nextInt(4) == 0;
        int line = 0;
        while (sb.length() < size) {
            switch (rnd.nextInt(5)) {
                case 0 -> sb.append("checksum_").append(line).append(" = ").append(chars(HEX, 64));
                case 1 -> sb.append("token_").append(line).append(": ").append(chars(B64, 88)).append("==");
                case 2 -> sb.append("service.").append(WORDS[rnd.nextInt(WORDS.length)]).append(".timeout_ms=").append(rnd.nextInt(60_000));
                case 3 -> sb.append("endpoint_").append(line).append(" = https://api-").append(rnd.nextInt(100)).append(".example.com:8443/v1");
                default -> sb.append("# ").append(WORDS[rnd.nextInt(WORDS.length)]).append(' ').append(WORDS[rnd.nextInt(WORDS.length)]);
            }
            sb.append('\n');
            if (keys && line % 200 == 0) {
                sb.append("aws_access_key_id = AKIA").append(chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16))
                        .append("\naws_secret_access_key = ").append(chars(B64, 40)).append('\n');
            }
            line++;
        }
        return bytes(sb);
    }

    private String email() {
        return FIRST[rnd.nextInt(10)] + "." + LAST[rnd.nextInt(10)] + rnd.nextInt(100) + "@example.com";
    }

    private String phone() {
        return "(" + (2 + rnd.nextInt(8)) + "0" + rnd.nextInt(10) + ") " + (2 + rnd.nextInt(8)) + "5" + rnd.nextInt(10)
                + "-" + String.format("%04d", rnd.nextInt(10_000));
    }

    private String ssn() {
        return String.format("%03d-%02d-%04d", 1 + rnd.nextInt(665), 1 + rnd.nextInt(99), 1 + rnd.nextInt(9999));
    }

    private String card() {
        String body = "4" + digits(14);
        int sum = 0;
        boolean dbl = true;
        for (int i = body.length() - 1; i >= 0; i--) {
            int x = body.charAt(i) - '0';
            if (dbl) {
                x = x * 2 > 9 ? x * 2 - 9 : x * 2;
            }
            sum += x;
            dbl = !dbl;
        }
        return body + (10 - sum % 10) % 10;
    }

    private String uuid() {
        return chars(HEX, 8) + "-" + chars(HEX, 4) + "-4" + chars(HEX, 3) + "-a" + chars(HEX, 3) + "-" + chars(HEX, 12);
    }

    private String digits(int n) {
        return chars("0123456789", n);
    }

    private String chars(String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static byte[] bytes(StringBuilder sb) {
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
