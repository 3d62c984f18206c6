import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes {@code examples/sample-bucket/} (the README's first command scans it) and its answer key
 * {@code examples/sample-bucket-expected/{findings,objects,decoys}.tsv}.
 *
 * <p>Run from the repository root: {@code java examples/tools/GenerateSampleBucket.java} (Java 17+,
 * no dependencies). It deletes and rewrites the bucket folder and the three TSV files; the
 * expected folder's README.md is hand-written and left alone.
 *
 * <p>Each object is a template. A sensitive value is written {@code ⟦tag:value⟧} where tag is
 * {@code s} (us_ssn), {@code c} (credit_card), {@code k} (aws_access_key_id), {@code x}
 * (aws_secret_access_key), {@code e} (email) or {@code p} (us_phone); a decoy that a scanner must
 * not report is written {@code ⟦~kind:value⟧}; {@code ⟦|⟧} starts a new gzip member;
 * {@code ⟦$NAME⟧} (or a value {@code $NAME}) inserts a deterministic generated blob. The brackets
 * are removed, the text is encoded (UTF-8, UTF-8 with BOM, ISO-8859-1, windows-1252 or UTF-16LE
 * with BOM, optionally CRLF and gzip), and the byte offset of each value is computed from the
 * encoded bytes: offsets count a BOM, and for gzip they are offsets in the decompressed bytes.
 *
 * <p>Every tagged value is checked against the definition of its type (issue 4): SSA validity
 * rules, Luhn + issuer prefix + length, documented key prefixes and lengths, an AWS keyword or a
 * key id before a secret, example.com/.org/.net addresses, NANP area and exchange codes with the
 * fictional 555-0100..0199 lines, and token boundaries. A value that fails its check stops the
 * generator, as does a decoy that does not have the property its kind claims.
 */
public class GenerateSampleBucket {

    enum Enc { UTF8, UTF8_BOM, LATIN1, CP1252, UTF16LE_BOM }

    record Spec(String key, Enc enc, boolean crlf, boolean gzip, String template) {
    }

    record Mark(int charIndex, String tag, String value) {
        boolean decoy() {
            return tag.startsWith("~");
        }
    }

    record Rendered(String text, List<Mark> marks, List<Integer> memberStarts) {
    }

    record Row(String key, String a, long offset, String b) {
    }

    static final Map<String, String> DETECTORS = Map.of(
            "s", "us_ssn", "c", "credit_card", "k", "aws_access_key_id",
            "x", "aws_secret_access_key", "e", "email", "p", "us_phone");

    static final Map<String, String> GENERATED = Map.of(
            "TOKEN1", "IQoJb3JpZ2luX2Vj" + base64(11, 267),
            "TOKEN2", "IQoJb3JpZ2luX2Vj" + base64(12, 267),
            "EXTID", base64(13, 57),
            "JWTKEY", base64(14, 48),
            "DIGEST", HexFormat.of().formatHex(bytes(15, 32)));

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "examples");
        Path bucket = root.resolve("sample-bucket");
        Path expected = root.resolve("sample-bucket-expected");
        deleteTree(bucket);
        Files.createDirectories(expected);

        List<Row> findings = new ArrayList<>();
        List<Row> decoys = new ArrayList<>();
        List<String[]> objects = new ArrayList<>();
        for (Spec spec : specs()) {
            String template = spec.crlf() ? spec.template().replace("\n", "\r\n") : spec.template();
            Rendered r = render(template);
            byte[] plain = encode(spec.enc(), r.text());
            byte[] content = spec.gzip() ? gzipMembers(plain, spec.enc(), r) : plain;
            write(bucket.resolve(spec.key()), content);
            objects.add(new String[] {spec.key(), "succeeded", ""});
            for (Mark m : r.marks()) {
                long offset = byteOffset(spec.enc(), r.text(), m.charIndex());
                if (m.decoy()) {
                    checkDecoy(spec.key(), r.text(), m);
                    decoys.add(new Row(spec.key(), m.tag().substring(1), offset, m.value()));
                } else {
                    String detector = DETECTORS.get(m.tag());
                    if (detector == null) {
                        throw new IllegalStateException(spec.key() + ": unknown tag " + m.tag());
                    }
                    checkValue(spec.key(), r.text(), m);
                    findings.add(new Row(spec.key(), detector, offset, mask(m.tag(), m.value())));
                }
            }
        }
        write(bucket.resolve("support/attachments/screenshot-4471.png"), png());
        objects.add(new String[] {"support/attachments/screenshot-4471.png", "skipped", "binary"});
        write(bucket.resolve("data/metrics/_SUCCESS"), new byte[0]);
        objects.add(new String[] {"data/metrics/_SUCCESS", "succeeded", ""});

        Comparator<Row> order = Comparator.comparing(Row::key).thenComparingLong(Row::offset);
        findings.sort(order);
        decoys.sort(order);
        objects.sort(Comparator.comparing(o -> o[0]));
        StringBuilder f = new StringBuilder("key\tdetector\tbyte_offset\tmasked\n");
        findings.forEach(x -> f.append(x.key()).append('\t').append(x.a()).append('\t').append(x.offset())
                .append('\t').append(x.b()).append('\n'));
        StringBuilder d = new StringBuilder("key\tkind\tbyte_offset\tvalue\n");
        decoys.forEach(x -> d.append(x.key()).append('\t').append(x.a()).append('\t').append(x.offset())
                .append('\t').append(x.b()).append('\n'));
        StringBuilder o = new StringBuilder("key\tstate\treason\n");
        objects.forEach(x -> o.append(x[0]).append('\t').append(x[1]).append('\t').append(x[2]).append('\n'));
        write(expected.resolve("findings.tsv"), f.toString().getBytes(StandardCharsets.UTF_8));
        write(expected.resolve("decoys.tsv"), d.toString().getBytes(StandardCharsets.UTF_8));
        write(expected.resolve("objects.tsv"), o.toString().getBytes(StandardCharsets.UTF_8));

        System.out.printf("%d objects, %d findings, %d decoys%n", objects.size(), findings.size(), decoys.size());
        for (String det : List.of("us_ssn", "credit_card", "aws_access_key_id", "aws_secret_access_key", "email", "us_phone")) {
            System.out.printf("  %-22s %d%n", det, findings.stream().filter(x -> x.a().equals(det)).count());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // rendering and encoding

    static final Pattern MARKER = Pattern.compile("⟦([^⟦⟧]*)⟧");

    static Rendered render(String template) {
        StringBuilder out = new StringBuilder();
        List<Mark> marks = new ArrayList<>();
        List<Integer> members = new ArrayList<>();
        Matcher m = MARKER.matcher(template);
        int last = 0;
        while (m.find()) {
            out.append(template, last, m.start());
            String inner = m.group(1);
            if (inner.equals("|")) {
                members.add(out.length());
            } else if (inner.startsWith("$")) {
                out.append(generated(inner));
            } else {
                int colon = inner.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalStateException("bad marker " + m.group());
                }
                String value = inner.substring(colon + 1);
                if (value.startsWith("$")) {
                    value = generated(value);
                }
                marks.add(new Mark(out.length(), inner.substring(0, colon), value));
                out.append(value);
            }
            last = m.end();
        }
        out.append(template, last, template.length());
        String text = out.toString();
        if (text.contains("⟦") || text.contains("⟧")) {
            throw new IllegalStateException("unbalanced marker in template starting " + template.substring(0, 40));
        }
        return new Rendered(text, marks, members);
    }

    static String generated(String ref) {
        String v = GENERATED.get(ref.substring(1));
        if (v == null) {
            throw new IllegalStateException("unknown generated value " + ref);
        }
        return v;
    }

    static byte[] encode(Enc enc, String text) {
        try {
            return switch (enc) {
                case UTF8 -> strict(StandardCharsets.UTF_8, text);
                case UTF8_BOM -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, strict(StandardCharsets.UTF_8, text));
                case LATIN1 -> strict(StandardCharsets.ISO_8859_1, text);
                case CP1252 -> strict(Charset.forName("windows-1252"), text);
                case UTF16LE_BOM -> concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, strict(StandardCharsets.UTF_16LE, text));
            };
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("text not encodable as " + enc, e);
        }
    }

    static byte[] strict(Charset cs, String text) throws CharacterCodingException {
        ByteBuffer b = cs.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Offset of the first byte of the character at {@code charIndex} in the encoded (decompressed) bytes. */
    static long byteOffset(Enc enc, String text, int charIndex) {
        String prefix = text.substring(0, charIndex);
        return switch (enc) {
            case UTF8 -> prefix.getBytes(StandardCharsets.UTF_8).length;
            case UTF8_BOM -> 3 + prefix.getBytes(StandardCharsets.UTF_8).length;
            case LATIN1, CP1252 -> charIndex;
            case UTF16LE_BOM -> 2 + prefix.getBytes(StandardCharsets.UTF_16LE).length;
        };
    }

    /** gzip with mtime 0 (GZIPOutputStream writes no name and a zero mtime), one member per ⟦|⟧ section. */
    static byte[] gzipMembers(byte[] plain, Enc enc, Rendered r) throws IOException {
        if (enc != Enc.UTF8) {
            throw new IllegalStateException("gzip objects are UTF-8 here");
        }
        List<Integer> cuts = new ArrayList<>();
        cuts.add(0);
        for (int c : r.memberStarts()) {
            cuts.add((int) byteOffset(enc, r.text(), c));
        }
        cuts.add(plain.length);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i + 1 < cuts.size(); i++) {
            ByteArrayOutputStream member = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(member)) {
                gz.write(plain, cuts.get(i), cuts.get(i + 1) - cuts.get(i));
            }
            all.write(member.toByteArray());
        }
        return all.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] bytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String base64(long seed, int n) {
        return Base64.getEncoder().encodeToString(bytes(seed, n));
    }

    /** A 48x48 RGB PNG with a tEXt chunk holding an ASCII run (a card and an address) that must not be scanned. */
    static byte[] png() throws IOException {
        int w = 48;
        int h = 48;
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int y = 0; y < h; y++) {
            raw.write(0);
            for (int x = 0; x < w; x++) {
                raw.write((x * 5) & 0xff);
                raw.write((y * 5) & 0xff);
                raw.write(((x + y) * 3) & 0xff);
            }
        }
        Deflater deflater = new Deflater(9);
        deflater.setInput(raw.toByteArray());
        deflater.finish();
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!deflater.finished()) {
            idat.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(out, "tEXt", ("Comment\0ticket 4471 checkout screenshot; card on screen 5555 5555 5555 4444,"
                + " account billing@example.com").getBytes(StandardCharsets.ISO_8859_1));
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        byte[] png = out.toByteArray();
        if (javax.imageio.ImageIO.read(new ByteArrayInputStream(png)) == null) {
            throw new IllegalStateException("generated PNG does not decode");
        }
        return png;
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static void write(Path path, byte[] content) {
        try {
            Files.createDirectories(path.getParent());
            Files.write(path, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // masking (the product's rule: a raw value never leaves the detector)

    static String mask(String tag, String v) {
        return switch (tag) {
            case "s", "c", "p" -> keepLastDigits(v, 4);
            case "k" -> v.substring(0, 4) + "*".repeat(v.length() - 8) + v.substring(v.length() - 4);
            case "x" -> "*".repeat(v.length() - 4) + v.substring(v.length() - 4);
            case "e" -> v.charAt(0) + "*".repeat(v.lastIndexOf('@') - 1) + v.substring(v.lastIndexOf('@'));
            default -> throw new IllegalStateException(tag);
        };
    }

    static String keepLastDigits(String v, int keep) {
        long digits = v.chars().filter(Character::isDigit).count();
        StringBuilder sb = new StringBuilder();
        int seen = 0;
        for (char ch : v.toCharArray()) {
            if (Character.isDigit(ch)) {
                seen++;
                sb.append(seen > digits - keep ? ch : '*');
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------------------------------------
    // the definitions (issue 4) each tagged value must satisfy

    static final Pattern SSN_FORMATTED = Pattern.compile("(\\d{3})-(\\d{2})-(\\d{4})");
    static final Pattern SSN_BARE = Pattern.compile("(\\d{3})(\\d{2})(\\d{4})");
    static final Pattern SSN_KEYWORD = Pattern.compile("(?i)\\b(ssn|social security)\\b");
    static final Set<String> SSN_ADVERTISED = Set.of("078051120", "219099999", "457555462");
    static final Pattern CARD = Pattern.compile("\\d+(?:([ -])\\d+)*");
    static final Pattern KEY_ID = Pattern.compile("(?:AKIA|ASIA)[A-Z0-9]{16}");
    static final Pattern SECRET = Pattern.compile("[A-Za-z0-9/+]{40}");
    static final Pattern SECRET_EVIDENCE = Pattern.compile("(?i)secret|\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b");
    static final Pattern EMAIL = Pattern.compile("(?i)[a-z0-9][a-z0-9._%+-]*@(?:[a-z0-9-]+\\.)*example\\.(?:com|org|net)");
    static final Pattern PHONE = Pattern.compile(
            "(?:\\+1[ -])?(?:\\((\\d{3})\\) ?|(\\d{3})([-. ]))(\\d{3})[-. ](\\d{4})");

    static void checkValue(String key, String text, Mark m) {
        String v = m.value();
        int start = m.charIndex();
        int end = start + v.length();
        char before = start > 0 ? text.charAt(start - 1) : ' ';
        char after = end < text.length() ? text.charAt(end) : ' ';
        char after2 = end + 1 < text.length() ? text.charAt(end + 1) : ' ';
        String where = key + " @" + start + " " + m.tag() + ":" + v;
        require(!alnum(before) && !alnum(after), where, "not on a token boundary");
        switch (m.tag()) {
            case "s" -> {
                requireNotGlued(text, start, end, where);
                Matcher f = SSN_FORMATTED.matcher(v);
                Matcher b = SSN_BARE.matcher(v);
                Matcher g;
                if (f.matches()) {
                    g = f;
                } else if (b.matches()) {
                    g = b;
                    int lineStart = text.lastIndexOf('\n', start) + 1;
                    require(SSN_KEYWORD.matcher(text.substring(Math.max(lineStart, start - 40), start)).find(), where,
                            "a bare 9-digit SSN needs an SSN keyword just before it");
                } else {
                    throw new IllegalStateException(where + ": not an SSN shape");
                }
                require(ssnValid(g.group(1), g.group(2), g.group(3)), where, "not a valid SSN");
            }
            case "c" -> {
                requireNotGlued(text, start, end, where);
                Matcher c = CARD.matcher(v);
                require(c.matches(), where, "not a card shape");
                require(!(v.contains(" ") && v.contains("-")), where, "mixed separators");
                String digits = v.replaceAll("[ -]", "");
                require(luhn(digits), where, "fails Luhn");
                require(issuer(digits) != null, where, "no issuer for this prefix and length");
            }
            case "k" -> require(KEY_ID.matcher(v).matches(), where, "not an access key id");
            case "x" -> {
                require("/+".indexOf(before) < 0 && "/+=".indexOf(after) < 0, where, "inside a longer base64 run");
                require(SECRET.matcher(v).matches(), where, "not a 40-character secret");
                require(SECRET_EVIDENCE.matcher(text.substring(Math.max(0, start - 200), start)).find(), where,
                        "no keyword or key id in the 200 characters before the secret");
            }
            case "e" -> {
                require("._%+-".indexOf(before) < 0 && after != '-' && !(after == '.' && alnum(after2)), where, "glued to a longer token");
                require(EMAIL.matcher(v).matches(), where, "not an example.com/.org/.net address");
            }
            case "p" -> {
                requireNotGlued(text, start, end, where);
                Matcher p = PHONE.matcher(v);
                require(p.matches(), where, "not a common US phone format");
                String area = p.group(1) != null ? p.group(1) : p.group(2);
                require(nanpCode(area) && area.charAt(1) != '9', where, "invalid NANP area code");
                require(nanpCode(p.group(4)), where, "invalid NANP exchange code");
                int line = Integer.parseInt(p.group(5));
                require(p.group(4).equals("555") && line >= 100 && line <= 199, where, "not in the fictional 555-0100..0199 range");
            }
            default -> throw new IllegalStateException(where);
        }
    }

    /** Decoys must have the property their kind names, so the answer key cannot drift silently. */
    static void checkDecoy(String key, String text, Mark m) {
        String kind = m.tag().substring(1);
        String v = m.value();
        String where = key + " @" + m.charIndex() + " decoy " + kind + ":" + v;
        Matcher f = SSN_FORMATTED.matcher(v);
        switch (kind) {
            case "ssn-area-000" -> require(f.matches() && f.group(1).equals("000"), where, "area is not 000");
            case "ssn-area-666" -> require(f.matches() && f.group(1).equals("666"), where, "area is not 666");
            case "ssn-area-9xx" -> require(f.matches() && f.group(1).charAt(0) == '9', where, "area is not 9xx");
            case "ssn-group-00" -> require(f.matches() && f.group(2).equals("00"), where, "group is not 00");
            case "ssn-serial-0000" -> require(f.matches() && f.group(3).equals("0000"), where, "serial is not 0000");
            case "ssn-advertised" -> require(f.matches() && SSN_ADVERTISED.contains(v.replace("-", "")), where, "not an advertised number");
            case "bare-9-digits" -> {
                require(v.matches("\\d{9}"), where, "not 9 digits");
                require(!SSN_KEYWORD.matcher(text.substring(Math.max(0, m.charIndex() - 300), m.charIndex())).find(), where,
                        "an SSN keyword is near this number");
            }
            case "card-luhn-invalid" -> require(!luhn(v.replaceAll("[ -]", "")), where, "passes Luhn");
            case "card-no-issuer" -> {
                String d = v.replaceAll("[ -]", "");
                require(luhn(d) && issuer(d) == null, where, "must pass Luhn and match no issuer");
            }
            case "phone-bad-area" -> {
                Matcher p = PHONE.matcher(v);
                require(p.matches() && !nanpCode(p.group(1) != null ? p.group(1) : p.group(2)), where, "area code is valid");
            }
            case "phone-bad-exchange" -> {
                Matcher p = PHONE.matcher(v);
                require(p.matches() && !nanpCode(p.group(4)), where, "exchange code is valid");
            }
            case "secret-shape-without-keyword" -> {
                require(SECRET.matcher(v).matches(), where, "not secret-shaped");
                int s = m.charIndex();
                require(!SECRET_EVIDENCE.matcher(text.substring(Math.max(0, s - 300), Math.min(text.length(), s + 340))).find(),
                        where, "a keyword or key id is near");
            }
            case "aws-iam-unique-id" -> require(v.matches("A(?:IDA|ROA)[A-Z0-9]{17}"), where, "not an IAM user/role id");
            case "git-sha" -> require(v.matches("[0-9a-f]{40}"), where, "not a SHA-1");
            default -> {
                // descriptive kinds (uuid, timestamp, ip-address, ...): no extra property to check
            }
        }
    }

    /**
     * A number must not continue a longer number: no {@code .} or {@code -} between it and a digit
     * on either side ({@code -0.4111...}, {@code 219-48-3306-77}). A comma is a field separator
     * ({@code 555-0147,219-48-3306} in a CSV row), as are spaces, quotes, brackets and {@code =}.
     */
    static void requireNotGlued(String text, int start, int end, String where) {
        char before = start > 0 ? text.charAt(start - 1) : ' ';
        char before2 = start > 1 ? text.charAt(start - 2) : ' ';
        char after = end < text.length() ? text.charAt(end) : ' ';
        char after2 = end + 1 < text.length() ? text.charAt(end + 1) : ' ';
        require(!(".-".indexOf(before) >= 0 && Character.isDigit(before2)), where, "continues a number before it");
        require(!(".-".indexOf(after) >= 0 && Character.isDigit(after2)), where, "continues into a number after it");
        require(before != '_' && after != '_', where, "glued to an identifier");
    }

    static boolean ssnValid(String area, String group, String serial) {
        int a = Integer.parseInt(area);
        return a != 0 && a != 666 && a < 900 && !group.equals("00") && !serial.equals("0000")
                && !SSN_ADVERTISED.contains(area + group + serial);
    }

    static boolean luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /** The brands used in the bucket, by prefix and length (published IIN ranges). */
    static String issuer(String d) {
        int len = d.length();
        int p2 = Integer.parseInt(d.substring(0, 2));
        int p3 = Integer.parseInt(d.substring(0, 3));
        int p4 = Integer.parseInt(d.substring(0, 4));
        if (d.startsWith("4") && len == 16) {
            return "visa";
        }
        if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && len == 16) {
            return "mastercard";
        }
        if ((p2 == 34 || p2 == 37) && len == 15) {
            return "amex";
        }
        if ((p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649)) && len == 16) {
            return "discover";
        }
        if (p4 >= 3528 && p4 <= 3589 && len == 16) {
            return "jcb";
        }
        if (((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38) && len == 14) {
            return "diners";
        }
        if (p2 == 62 && len == 16) {
            return "unionpay";
        }
        return null;
    }

    /** NANP area and exchange codes: NXX with N = 2..9, and not an N11 service code. */
    static boolean nanpCode(String code) {
        return code.charAt(0) >= '2' && !(code.charAt(1) == '1' && code.charAt(2) == '1');
    }

    static boolean alnum(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    static void require(boolean ok, String where, String why) {
        if (!ok) {
            throw new IllegalStateException(where + ": " + why);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // the objects

    static List<Spec> specs() {
        return List.of(
                new Spec("README.md", Enc.UTF8, false, false, README),
                new Spec("docs/CHANGELOG.md", Enc.UTF8, false, false, CHANGELOG),
                new Spec("docs/runbooks/rotate-access-keys.md", Enc.UTF8, false, false, RUNBOOK),
                new Spec("exports/customers-2024-05.csv", Enc.UTF8, false, false, CUSTOMERS),
                new Spec("exports/newsletter-signups-excel.csv", Enc.UTF8_BOM, true, false, SIGNUPS),
                new Spec("exports/payments-2024-05-14.csv", Enc.UTF8, false, false, PAYMENTS),
                new Spec("exports/hr/employees-2024-05.csv", Enc.UTF8, false, false, EMPLOYEES),
                new Spec("exports/hr/payroll-2024-04.csv", Enc.UTF8, false, false, PAYROLL),
                new Spec("exports/legacy/crm-contacts-latin1.csv", Enc.LATIN1, true, false, CRM_LATIN1),
                new Spec("exports/ad-users-2024-05-14.txt", Enc.UTF16LE_BOM, true, false, AD_USERS),
                new Spec("logs/app-2024-05-14.log", Enc.UTF8, false, false, APP_LOG),
                new Spec("logs/nginx/access-2024-05-14.log", Enc.UTF8, false, false, NGINX_LOG),
                new Spec("logs/worker-2024-05-14.jsonl", Enc.UTF8, false, false, WORKER_JSONL),
                new Spec("logs/archive/api-2024-04-30.log.gz", Enc.UTF8, false, true, API_ARCHIVE),
                new Spec("logs/archive/worker-2024-04-29.log.gz", Enc.UTF8, false, true, WORKER_ARCHIVE),
                new Spec("logs/audit/cloudtrail-2024-05-14.json", Enc.UTF8, false, false, CLOUDTRAIL),
                new Spec("logs/build/ci-build-8812.log", Enc.UTF8, false, false, CI_LOG),
                new Spec("config/.env", Enc.UTF8, false, false, DOTENV),
                new Spec("config/app.ini", Enc.UTF8, false, false, APP_INI),
                new Spec("config/application.yaml", Enc.UTF8, false, false, APP_YAML),
                new Spec("config/application.properties", Enc.UTF8, false, false, APP_PROPERTIES),
                new Spec("config/aws/credentials", Enc.UTF8, false, false, AWS_CREDENTIALS),
                new Spec("config/aws/config", Enc.UTF8, false, false, AWS_CONFIG),
                new Spec("config/aws/deploy-bot_accessKeys.csv", Enc.UTF8, false, false, ACCESS_KEYS_CSV),
                new Spec("config/terraform/prod.tfvars", Enc.UTF8, false, false, TFVARS),
                new Spec("config/logback.xml", Enc.UTF8, false, false, LOGBACK),
                new Spec("support/ticket-4471.txt", Enc.CP1252, true, false, TICKET),
                new Spec("support/call-notes-2024-05.md", Enc.UTF8, false, false, CALL_NOTES),
                new Spec("support/faq.html", Enc.UTF8, false, false, FAQ_HTML),
                new Spec("support/slack-export-eng-2024-05-10.json", Enc.UTF8, false, false, SLACK),
                new Spec("data/api/create-customer-request.json", Enc.UTF8, false, false, API_REQUEST),
                new Spec("data/api/sts-assume-role-response.json", Enc.UTF8, false, false, STS_RESPONSE),
                new Spec("data/events/payment-events-2024-05-14.json", Enc.UTF8, false, false, PAYMENT_EVENTS),
                new Spec("data/events/orders-2024-05-14.jsonl", Enc.UTF8, false, false, ORDERS_JSONL),
                new Spec("data/reference/us-area-codes.csv", Enc.UTF8, false, false, AREA_CODES),
                new Spec("data/metrics/daily-sales-2024-05.csv", Enc.UTF8, false, false, DAILY_SALES));
    }

    static final String README = """
# acme-outfitters-prod-exports

A copy of the `acme-outfitters-prod-exports` bucket of **Acme Outfitters**, a retailer that does
not exist. Every person, card, key and address in it is invented: SSNs that follow the SSA's rules
but were made up, the card networks' published test numbers, AWS keys in the documentation's
`...EXAMPLE` style, addresses at example.com, example.org and example.net, and phone numbers on
the 555-01XX lines reserved for fiction.

| prefix | owner | retention |
|---|---|---|
| `exports/` | data platform | 90 days |
| `logs/` | SRE | 30 days, then gzip under `logs/archive/` |
| `config/` | platform (should not be in this bucket at all, see SEC-311) | n/a |
| `support/` | customer care | 1 year |
| `data/` | analytics | 2 years |

Owner: ⟦e:data-platform@example.com⟧, on-call ⟦p:(212) 555-0100⟧.
Last reviewed 2024-05-14 (DATA-1842, commit ⟦~git-sha:9fceb02d0ae598e95dc970b74767f19372d61af8⟧).
""";

    static final String CHANGELOG = """
# Changelog: checkout-service

## 3.14.2 (2024-05-13)
- Fix the double charge on a gateway timeout (#4471), commit ⟦~git-sha:e83c5163316f89bfbde7d9ab23ca2e25604af290⟧.
- Bump `@aws-sdk/⟦~npm-version-spec:client-s3@3.577.0⟧` and `com.fasterxml.jackson.core:jackson-databind:⟦~version:2.17.1⟧`.
- Retina assets: `⟦~retina-filename:icon@2x.png⟧` and `⟦~retina-filename:icon@3x.png⟧`.

## 3.14.1 (2024-05-02)
- Trace ids are W3C `traceparent` values, e.g. `00-⟦~hex-blob:4bf92f3577b34da6a3ce929d0e0e4736⟧-00f067aa0ba902b7-01`.
- Card numbers are tokenised before logging: logs show `⟦~card-masked:**** **** **** 1111⟧` only.
- Release built at ⟦~timestamp:1714651200⟧ on runner `ip-10-0-12-34` (⟦~ip-address:10.0.12.34⟧).

## 3.14.0 (2024-04-22)
- New order id format `⟦~order-id:ORD-2024-0422-000001⟧`.
- Drop API v1.2.9 and older.
- Validation rejects SSNs with area 000, 666 or 900-999 (e.g. `⟦~ssn-area-9xx:987-65-4321⟧`).
""";

    static final String RUNBOOK = """
# Runbook: rotate a leaked AWS access key

1. Find who used it last:
   `aws iam get-access-key-last-used --access-key-id ⟦k:AKIAZ8WQ3LKD2EXAMPLE⟧`
2. Create the replacement key and store it in Secrets Manager (`prod/ci-deployer`), never in a file
   or a ticket.
3. Deactivate the old key:
   `aws iam update-access-key --user-name ci-deployer --access-key-id ⟦k:AKIAZ8WQ3LKD2EXAMPLE⟧ --status Inactive`
4. Tell #sec-incidents and the key's owner (⟦e:ingrid.halvorsen@example.com⟧).

Use placeholders in examples: `--access-key-id <ACCESS_KEY_ID>`, `aws_secret_access_key = <SECRET_ACCESS_KEY>`.
A secret access key is 40 characters; never paste one, not even truncated.

IAM user ids (`AIDA...`) and role ids (`AROA...`) are not keys: ⟦~aws-iam-unique-id:AIDACKCEVSQ6C2EXAMPLE⟧
can be shared safely. Neither is the account id ⟦~aws-account-id:123456789012⟧.
""";

    static final String CUSTOMERS = """
customer_id,first_name,last_name,email,phone,ssn,date_of_birth,city,state,created_at,lifetime_value_usd,marketing_opt_in
C-100481,Jane,Doe,⟦e:jane.doe@example.com⟧,⟦p:(212) 555-0147⟧,⟦s:219-48-3306⟧,1984-03-12,New York,NY,2021-06-01T14:22:05Z,1284.50,true
C-100482,José,Álvarez,⟦e:jose.alvarez@example.net⟧,⟦p:305-555-0112⟧,⟦s:412-67-9021⟧,1979-11-30,Miami,FL,2021-06-03T09:10:44Z,312.00,false
C-100483,Zoë,Müller,⟦e:zoe.mueller@example.org⟧,⟦p:(617) 555-0121⟧,,1992-07-08,Boston,MA,2021-07-19T18:02:11Z,87.25,true
C-100484,Hoa,Nguyễn,⟦e:hoa.nguyen@example.com⟧,⟦p:713.555.0168⟧,⟦s:523-81-4470⟧,1988-01-22,Houston,TX,2021-08-02T11:45:37Z,2210.10,true
C-100485,Marcus,O'Neill,⟦e:marcus.oneill@example.com⟧,⟦p:+1 312 555 0110⟧,⟦~ssn-area-000:000-00-0000⟧,1975-05-05,Chicago,IL,2021-09-14T08:03:59Z,45.00,false
C-100486,Aiko,Tanaka,⟦e:aiko.tanaka@example.net⟧,⟦p:206-555-0185⟧,⟦s:301-24-8856⟧,1990-12-01,Seattle,WA,2021-10-30T20:11:02Z,640.75,true
C-100487,Fatima,Al-Sayed,⟦e:fatima.alsayed@example.org⟧,⟦p:(313) 555-0126⟧,⟦s:146-39-2207⟧,1983-04-17,Dearborn,MI,2022-01-08T13:37:20Z,99.99,true
C-100488,Liam,Byrne,⟦e:liam.byrne@example.com⟧,⟦p:(602) 555-0193⟧,⟦~ssn-area-9xx:912-34-5678⟧,1996-08-23,Phoenix,AZ,2022-02-11T10:05:48Z,150.00,false
C-100489,Priya,Natarajan,⟦e:priya.natarajan@example.net⟧,⟦p:(408) 555-0133⟧,⟦s:457-12-6683⟧,1987-10-09,San Jose,CA,2022-03-27T16:44:09Z,1999.00,true
C-100490,Tom,Hale,⟦e:Tom.Hale@Example.COM⟧,⟦p:503.555.0174⟧,⟦s:540-29-1178⟧,1969-02-28,Portland,OR,2022-05-02T07:58:31Z,12.49,false
C-100491,Chloé,Dubois,⟦e:chloe.dubois@example.org⟧,⟦p:(504) 555-0161⟧,,1993-06-14,New Orleans,LA,2022-06-18T19:20:00Z,410.00,true
C-100492,Kwame,Mensah,⟦e:kwame.mensah@example.com⟧,⟦p:404-555-0139⟧,⟦s:252-71-4406⟧,1981-09-03,Atlanta,GA,2022-08-09T12:12:12Z,775.30,true
C-100493,Sofia,Rossi,⟦e:sofia.rossi@example.net⟧,⟦p:(702) 555-0107⟧,⟦~ssn-area-666:666-12-3456⟧,1998-11-11,Las Vegas,NV,2022-11-25T22:01:45Z,58.00,false
C-100494,Ethan,Park,⟦e:ethan.park@example.com⟧,⟦p:(415) 555-0132⟧,⟦s:628-47-1139⟧,1985-01-30,San Francisco,CA,2023-01-04T09:30:00Z,3120.00,true
C-100495,Olga,Ivanova,⟦e:olga.ivanova@example.org⟧,⟦p:(718) 555-0150⟧,⟦~ssn-advertised:078-05-1120⟧,1972-07-19,Brooklyn,NY,2023-03-15T15:15:15Z,220.40,true
C-100496,Søren,Kjær,⟦e:soren.kjaer@example.net⟧,⟦p:(612) 555-0178⟧,⟦s:474-33-8912⟧,1979-03-03,Minneapolis,MN,2023-06-21T06:06:06Z,0.00,false
""";

    static final String SIGNUPS = """
Email Address,First Name,Last Name,Phone,Signup Source,Signed Up On
⟦e:r.gutierrez@example.com⟧,Rafael,Gutiérrez,⟦p:(956) 555-0144⟧,footer form,5/2/2024
⟦e:mei.chen@example.net⟧,Mei,Chen,,checkout,5/3/2024
⟦e:dana.whitfield@example.org⟧,Dana,Whitfield,⟦p:210-555-0119⟧,popup,5/6/2024
⟦e:amara.okafor@example.com⟧,Amara,Okafor,,store QR code,5/9/2024
⟦e:b.schultz@example.net⟧,Ben,Schultz,⟦p:(720) 555-0187⟧,footer form,5/11/2024
""";

    static final String PAYMENTS = """
txn_id,order_id,created_at,customer_id,card_brand,card_number,card_exp,amount_usd,currency,status,auth_code,processor_ref
txn_01HXR3M4Q8ZK5V7B2N6T9WCDEF,ORD-2024-0514-004471,2024-05-14T09:12:03Z,C-100481,visa,⟦c:4111 1111 1111 1111⟧,12/27,129.99,USD,captured,A1B2C3,⟦~card-in-longer-number:7301941111111111111112058⟧
txn_01HXR3N0A4G7K2P9D5S1V8XJQM,ORD-2024-0514-004472,2024-05-14T09:14:47Z,C-100486,mastercard,⟦c:5555555555554444⟧,03/26,64.50,USD,captured,Z9Y8X7,88203310000477155201
txn_01HXR3P6B1C9E3F5H7J2K4L8MN,ORD-2024-0514-004473,2024-05-14T09:20:05Z,C-100494,amex,⟦c:3782 822463 10005⟧,07/28,1450.00,USD,captured,QW12ER,88203310000477155202
txn_01HXR3Q2D8F4G6J1K3M5N7P9RS,ORD-2024-0514-004474,2024-05-14T09:31:40Z,C-100489,discover,⟦c:6011-1111-1111-1117⟧,09/26,38.25,USD,captured,TY34UI,88203310000477155203
txn_01HXR3R9E5H2J8K4M6P1Q3S7TV,ORD-2024-0514-004475,2024-05-14T09:47:12Z,C-100492,mastercard,⟦c:2223 0031 2200 3222⟧,11/29,210.00,USD,captured,OP56AS,88203310000477155204
txn_01HXR3S3F1J7K9M2N4Q6R8T5VW,ORD-2024-0514-004476,2024-05-14T10:02:58Z,C-100484,visa,⟦~card-luhn-invalid:4111 1111 1111 1112⟧,12/27,129.99,USD,declined:invalid_number,,88203310000477155205
txn_01HXR3T8G6K3M5P7Q9S2U4W1XY,ORD-2024-0514-004477,2024-05-14T10:15:33Z,C-100487,visa,⟦c:4012888888881881⟧,01/27,19.99,USD,captured,DF78GH,88203310000477155206
txn_01HXR3V4H2M8N1Q3S5T7W9Y6ZA,ORD-2024-0514-004478,2024-05-14T10:40:09Z,C-100496,jcb,⟦c:3530111333300000⟧,05/28,302.10,USD,captured,JK90LZ,88203310000477155207
txn_01HXR3W9J7N4P6S8U1V3X5Z2AB,ORD-2024-0514-004479,2024-05-14T11:05:27Z,C-100490,diners,⟦c:30569309025904⟧,02/26,75.00,USD,captured,XC12VB,88203310000477155208
txn_01HXR3X5K3P9Q2T4V6W8Y1A7BC,ORD-2024-0514-004480,2024-05-14T11:22:51Z,C-100485,unionpay,⟦c:6200000000000005⟧,10/27,88.88,USD,captured,NM34QW,88203310000477155209
txn_01HXR3Y1M8Q5S7U9W2X4Z6B3CD,ORD-2024-0514-004481,2024-05-14T11:48:16Z,C-100483,visa,⟦~card-masked:************4242⟧,08/26,41.00,USD,captured,ER56TY,88203310000477155210
txn_01HXR3Z6N4R1T3V5X7Y9A2C8DE,ORD-2024-0514-004482,2024-05-14T12:03:44Z,C-100491,giftcard,⟦~card-no-issuer:7000123456789010⟧,,25.00,USD,captured,UI78OP,88203310000477155211
txn_01HXR40B2P9S6U8W1Y3Z5B7DEF,ORD-2024-0514-004483,2024-05-14T12:30:02Z,C-100488,amex,⟦c:371449635398431⟧,06/27,560.00,USD,refunded,AS90DF,88203310000477155212
""";

    static final String EMPLOYEES = """
employee_id,full_name,work_email,personal_email,mobile,ssn,hire_date,department,title,manager_id,salary_usd
E10442,Dana Whitfield,⟦e:dana.whitfield@example.com⟧,⟦e:dana.w.1987@example.net⟧,⟦p:(210) 555-0119⟧,⟦s:364-58-1172⟧,2019-04-01,Finance,Controller,E10001,148000
E10451,Rafael Gutiérrez,⟦e:rafael.gutierrez@example.com⟧,⟦e:rafa.g@example.org⟧,⟦p:956-555-0144⟧,⟦s:501-33-7284⟧,2020-02-17,Customer Care,Team Lead,E10442,72000
E10463,Maya Lindqvist,⟦e:maya.lindqvist@example.com⟧,,⟦p:(651) 555-0102⟧,⟦s:680-14-9953⟧,2021-09-13,Customer Care,Agent,E10451,51000
E10470,Kofi Boateng,⟦e:kofi.boateng@example.com⟧,⟦e:kofi.b@example.net⟧,⟦p:919.555.0128⟧,⟦~ssn-area-9xx:999-99-9999⟧,2022-01-10,Engineering,SRE,E10002,165000
E10477,Ingrid Halvorsen,⟦e:ingrid.halvorsen@example.com⟧,,⟦p:(971) 555-0181⟧,⟦s:712-46-3308⟧,2022-06-06,Engineering,Backend Engineer,E10470,158000
E10485,Samuel Rivera,⟦e:samuel.rivera@example.com⟧,,⟦p:(702) 555-0158⟧,⟦~ssn-masked:***-**-4821⟧,2023-03-20,Warehouse,Supervisor,E10003,61000
E10490,Ana Lima,⟦e:ana.lima@example.com⟧,⟦e:ana.lima.home@example.org⟧,⟦p:(305) 555-0135⟧,⟦s:433-09-7725⟧,2023-11-01,Marketing,Analyst,E10004,83000
E10496,Yusuf Demir,⟦e:yusuf.demir@example.com⟧,,⟦p:+1 917 555 0164⟧,⟦~ssn-serial-0000:549-86-0000⟧,2024-04-15,Engineering,Intern,E10470,42000
""";

    static final String PAYROLL = """
pay_period,pay_date,employee_id,tax_id,gross_usd,federal_withholding_usd,state_withholding_usd,net_usd,routing_number,account_last4,ach_trace
2024-04-01/2024-04-15,2024-04-19,E10442,⟦s:364-58-1172⟧,6166.67,1110.00,370.00,4069.34,⟦~bare-9-digits:021000021⟧,4417,021000020004127
2024-04-01/2024-04-15,2024-04-19,E10451,⟦s:501-33-7284⟧,3000.00,390.00,150.00,2231.50,⟦~bare-9-digits:011000015⟧,0093,011000010000981
2024-04-01/2024-04-15,2024-04-19,E10463,⟦s:680-14-9953⟧,2125.00,212.50,95.63,1654.32,⟦~bare-9-digits:121000358⟧,7781,121000350003316
2024-04-01/2024-04-15,2024-04-19,E10470,⟦s:317-92-4460⟧,6875.00,1306.25,412.50,4431.02,⟦~bare-9-digits:026009593⟧,2290,026009590007745
2024-04-16/2024-04-30,2024-05-03,E10442,⟦s:364-58-1172⟧,6166.67,1110.00,370.00,4069.34,021000021,4417,021000020004398
2024-04-16/2024-04-30,2024-05-03,E10451,⟦s:501-33-7284⟧,3000.00,390.00,150.00,2231.50,011000015,0093,011000010001260
2024-04-16/2024-04-30,2024-05-03,E10463,⟦s:680-14-9953⟧,2125.00,212.50,95.63,1654.32,121000358,7781,121000350003590
2024-04-16/2024-04-30,2024-05-03,E10470,⟦s:317-92-4460⟧,6875.00,1306.25,412.50,4431.02,026009593,2290,026009590008012
""";

    static final String CRM_LATIN1 = """
contact_id;name;email;phone;ssn;city;notes
100231;José Núñez;⟦e:jose.nunez@example.com⟧;⟦p:(305) 555-0171⟧;⟦s:250-67-8819⟧;Miami;prefiere español, llamar después de las 17h
100232;François Lefèvre;⟦e:f.lefevre@example.org⟧;⟦p:504-555-0108⟧;;New Orleans;client fidèle depuis 1998, très satisfait
100233;Jürgen Weiß;⟦e:juergen.weiss@example.net⟧;⟦p:(414) 555-0195⟧;⟦s:397-20-5561⟧;Milwaukee;Größe XL, Farbe grün, Rückruf erwünscht
100234;Inês Araújo;⟦e:ines.araujo@example.com⟧;⟦p:617.555.0116⟧;⟦~ssn-group-00:219-00-3306⟧;Boston;aguarda reembolso de ½ do valor
100235;Bjørn Ødegård;⟦e:bjorn.odegard@example.org⟧;⟦p:(218) 555-0124⟧;⟦s:477-51-2093⟧;Duluth;dock §4, keep below 21°C
""";

    static final String AD_USERS = """

PS C:\\Users\\svc-export> Get-ADUser -Filter * -SearchBase "OU=Staff,DC=corp,DC=example,DC=com" -Properties * | Select-Object SamAccountName,DisplayName,EmailAddress,OfficePhone,MobilePhone,EmployeeID,ObjectGUID,whenCreated | Format-List


SamAccountName : dwhitfield
DisplayName    : Dana Whitfield
EmailAddress   : ⟦e:dana.whitfield@example.com⟧
OfficePhone    : ⟦p:(210) 555-0119⟧
MobilePhone    : ⟦p:+1 210 555 0176⟧
EmployeeID     : E10442
ObjectGUID     : ⟦~phone-in-uuid:5d0c6f3e-0000-4000-8212-5550147000ab⟧
whenCreated    : 4/1/2019 8:02:11 AM

SamAccountName : rgutierrez
DisplayName    : Rafael Gutiérrez
EmailAddress   : ⟦e:rafael.gutierrez@example.com⟧
OfficePhone    : ⟦p:(956) 555-0144⟧
MobilePhone    :
EmployeeID     : E10451
ObjectGUID     : ⟦~uuid:a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d⟧
whenCreated    : 2/17/2020 9:30:45 AM

SamAccountName : mlindqvist
DisplayName    : Maya Lindqvist
EmailAddress   : ⟦e:maya.lindqvist@example.com⟧
OfficePhone    : ⟦p:651-555-0102⟧
MobilePhone    : ⟦p:651.555.0197⟧
EmployeeID     : E10463
ObjectGUID     : 0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f
whenCreated    : 9/13/2021 8:00:00 AM

SamAccountName : svc-export
DisplayName    : Export service account
EmailAddress   :
OfficePhone    :
MobilePhone    :
EmployeeID     :
ObjectGUID     : 7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2918
whenCreated    : 1/5/2018 11:11:11 AM


""";

    static final String APP_LOG = """
2024-05-14T09:12:01.004Z INFO  [main] c.a.checkout.Application - Starting checkout-service ⟦~version:3.14.2⟧ (build ⟦~git-sha:e83c5163316f89bfbde7d9ab23ca2e25604af290⟧) on ip-10-0-12-34 with PID 4127
2024-05-14T09:12:02.871Z INFO  [main] c.a.checkout.Application - Started in 1.867 seconds (process running for 2.31)
2024-05-14T09:12:03.112Z INFO  [http-nio-8080-exec-1] c.a.c.web.RequestLog - requestId=⟦~uuid:3f1c9a52-6b0e-4d3c-9f7a-2b8e5d1c0a47⟧ POST /api/v2/checkout 201 182ms client=⟦~ip-address:203.0.113.45⟧
2024-05-14T09:12:03.118Z DEBUG [http-nio-8080-exec-1] c.a.c.mail.ReceiptMailer - queued receipt for order ⟦~order-id:ORD-2024-0514-004471⟧ to ⟦e:jane.doe@example.com⟧ (template receipt_v3)
2024-05-14T09:12:04.530Z WARN  [http-nio-8080-exec-2] c.a.c.pay.GatewayClient - gateway timeout after 5000ms, retrying charge card=⟦c:4111111111111111⟧ exp=12/27 amount=129.99 attempt=2
2024-05-14T09:12:05.002Z INFO  [http-nio-8080-exec-2] c.a.c.pay.GatewayClient - charge ok card=⟦~card-masked:411111******1111⟧ auth=A1B2C3
2024-05-14T09:12:09.447Z INFO  [http-nio-8080-exec-4] c.a.c.web.RequestLog - requestId=9d7e1b20-4c3a-4f5e-8a6b-0c1d2e3f4a5b GET /static/img/⟦~retina-filename:icon@2x.png⟧ 304 2ms client=⟦~ip-address:198.51.100.23⟧
2024-05-14T09:13:15.009Z INFO  [http-nio-8080-exec-5] c.a.c.account.ProfileService - customer C-100486 changed email to ⟦e:aiko.tanaka@example.net⟧ and phone to ⟦p:206-555-0185⟧
2024-05-14T09:14:22.340Z WARN  [http-nio-8080-exec-7] c.a.c.kyc.KycClient - KYC payload rejected by provider: {"ssn":"⟦s:628-47-1139⟧","dob":"1985-01-30","reason":"name_mismatch"}
2024-05-14T09:14:22.341Z INFO  [http-nio-8080-exec-7] c.a.c.kyc.KycClient - retrying with ssn=⟦~ssn-masked:***-**-1139⟧
2024-05-14T09:15:40.777Z ERROR [export-scheduler-1] c.a.c.export.S3Exporter - export failed for s3://acme-outfitters-prod-exports/exports/customers-2024-05.csv
software.amazon.awssdk.services.s3.model.S3Exception: The AWS Access Key Id you provided does not exist in our records. (Service: S3, Status Code: 403, Request ID: 7Q8W9E0R1T2Y3U4I, Extended Request ID: ⟦~base64-blob:$EXTID⟧)
\tat software.amazon.awssdk.services.s3.DefaultS3Client.putObject(DefaultS3Client.java:10456)
\tat com.acme.checkout.export.S3Exporter.upload(S3Exporter.java:88)
\tat com.acme.checkout.export.S3Exporter.run(S3Exporter.java:61)
\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)
2024-05-14T09:15:40.779Z ERROR [export-scheduler-1] c.a.c.export.S3Exporter - credentials in use: accessKeyId=⟦k:AKIA4Q7RT2ZXMEXAMPLE⟧ profile=default region=us-east-1
2024-05-14T09:20:11.905Z INFO  [http-nio-8080-exec-3] c.a.c.support.CallbackService - callback requested by ⟦e:m.okafor@example.org⟧ at ⟦p:(312) 555-0110⟧ window=17:00-19:00
2024-05-14T09:21:00.000Z INFO  [metrics-1] c.a.c.metrics.Reporter - orders=1842 p50=143ms p99=911ms heap_used=412.6MB gc_pause_ms=12 ts=⟦~timestamp:1715678460000⟧
2024-05-14T09:22:37.118Z WARN  [http-nio-8080-exec-9] c.a.c.web.Validation - rejected phone "⟦~phone-bad-area:(123) 555-0147⟧" for customer C-100488: invalid area code
2024-05-14T09:22:37.119Z WARN  [http-nio-8080-exec-9] c.a.c.web.Validation - rejected card "⟦~card-luhn-invalid:5555 5555 5555 4445⟧" for customer C-100488: checksum
2024-05-14T09:25:03.550Z INFO  [http-nio-8080-exec-2] c.a.c.web.RequestLog - requestId=0b8e7c6d-5a4f-4e3d-9c2b-1a0f9e8d7c6b GET /api/v2/orders/ORD-2024-0514-004473 200 41ms client=203.0.113.45
2024-05-14T09:30:00.001Z INFO  [scheduler-1] c.a.c.jobs.Nightly - rotated 3 api tokens, next run 2024-05-15T09:30:00Z
2024-05-14T09:31:12.450Z DEBUG [http-nio-8080-exec-6] c.a.c.pay.GatewayClient - request body {"amount":3825,"currency":"usd","source":{"number":"⟦c:6011111111111117⟧","exp":"09/26"},"metadata":{"order":"ORD-2024-0514-004474"}}
2024-05-14T09:40:44.640Z INFO  [http-nio-8080-exec-8] c.a.c.web.RequestLog - requestId=6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d POST /api/v2/support/tickets 201 77ms client=198.51.100.77
2024-05-14T09:40:44.702Z INFO  [http-nio-8080-exec-8] c.a.c.support.TicketService - ticket 4471 created for ⟦e:chloe.dubois@example.org⟧ priority=high
2024-05-14T09:45:10.010Z INFO  [main] c.a.checkout.Application - Graceful shutdown complete
""";

    static final String NGINX_LOG = """
203.0.113.45 - - [14/May/2024:09:12:03 +0000] "POST /api/v2/checkout HTTP/1.1" 201 512 "https://shop.example.com/cart" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/⟦~version:124.0.6367.91⟧ Safari/537.36"
198.51.100.23 - - [14/May/2024:09:12:09 +0000] "GET /static/img/⟦~retina-filename:icon@2x.png⟧ HTTP/1.1" 304 0 "https://shop.example.com/" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1"
198.51.100.23 - - [14/May/2024:09:12:09 +0000] "GET /static/img/⟦~retina-filename:hero-banner@3x.webp⟧ HTTP/1.1" 200 88213 "https://shop.example.com/" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1"
198.51.100.23 - - [14/May/2024:09:12:10 +0000] "GET /static/js/app.3f9a1c2e.js HTTP/1.1" 200 412877 "https://shop.example.com/" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1"
192.0.2.14 - - [14/May/2024:09:13:44 +0000] "GET /account/unsubscribe?email=⟦e:li.wei+billing@example.net⟧&list=weekly HTTP/1.1" 302 0 "-" "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15"
203.0.113.45 - - [14/May/2024:09:25:03 +0000] "GET /api/v2/orders/ORD-2024-0514-004473 HTTP/1.1" 200 1733 "-" "okhttp/4.12.0"
198.51.100.77 - - [14/May/2024:09:40:44 +0000] "POST /api/v2/support/tickets HTTP/1.1" 201 96 "https://shop.example.com/help" "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
203.0.113.99 - - [14/May/2024:09:41:02 +0000] "GET /track?ts=⟦~timestamp:1715679662481⟧&sid=0a1b2c3d4e5f&ev=add_to_cart HTTP/1.1" 204 0 "https://shop.example.com/p/JKT-88412" "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36"
185.220.101.4 - - [14/May/2024:09:42:17 +0000] "GET /wp-login.php HTTP/1.1" 404 153 "-" "Mozilla/5.0 zgrab/0.x"
203.0.113.45 - - [14/May/2024:09:43:55 +0000] "GET /api/v2/stores/nearby?lat=40.7128&lng=-74.0060&radius=25 HTTP/1.1" 200 2210 "-" "okhttp/4.12.0"
10.0.3.17 - - [14/May/2024:09:45:00 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "ELB-HealthChecker/2.0"
""";

    static final String WORKER_JSONL = """
{"ts":"2024-05-14T10:01:02.331Z","level":"INFO","logger":"worker.ExportJob","msg":"export started","job_id":"⟦~uuid:9b2f8c1e-4d3a-4b5c-8e7f-6a5b4c3d2e1f⟧","source":"crm","rows_expected":1842}
{"ts":"2024-05-14T10:01:05.118Z","level":"WARN","logger":"worker.RowValidator","msg":"row rejected","row":17,"field":"phone","value":"⟦~phone-bad-exchange:(646) 055-0112⟧","reason":"exchange code must start with 2-9"}
{"ts":"2024-05-14T10:01:05.120Z","level":"WARN","logger":"worker.RowValidator","msg":"row rejected","row":18,"field":"ssn","value":"⟦~ssn-serial-0000:397-20-0000⟧","reason":"serial 0000 is never issued"}
{"ts":"2024-05-14T10:01:05.120Z","level":"WARN","logger":"worker.RowValidator","msg":"row rejected","row":19,"field":"ssn","value":"⟦~ssn-area-000:000-12-3456⟧","reason":"area 000 is never issued"}
{"ts":"2024-05-14T10:01:05.121Z","level":"WARN","logger":"worker.RowValidator","msg":"row rejected","row":22,"field":"ssn","value":"⟦~ssn-in-longer-token:219-48-3306-77⟧","reason":"too long"}
{"ts":"2024-05-14T10:01:09.774Z","level":"INFO","logger":"worker.Notifier","msg":"sms sent","to":"⟦p:+1-408-555-0133⟧","customer_email":"⟦e:priya.natarajan@example.net⟧","provider_id":"SM⟦~hex-blob:9f8e7d6c5b4a39281706f5e4d3c2b1a0⟧"}
{"ts":"2024-05-14T10:01:12.002Z","level":"ERROR","logger":"worker.PaymentRetry","msg":"retry failed","order":"ORD-2024-0514-004472","card":"⟦c:5555-5555-5555-4444⟧","error":"card_declined"}
{"ts":"2024-05-14T10:01:12.415Z","level":"INFO","logger":"worker.Trace","msg":"span finished","trace_id":"⟦~hex-blob:4bf92f3577b34da6a3ce929d0e0e4736⟧","span_id":"00f067aa0ba902b7","duration_ms":412.73}
{"ts":"2024-05-14T10:02:40.090Z","level":"INFO","logger":"worker.ExportJob","msg":"export finished","job_id":"9b2f8c1e-4d3a-4b5c-8e7f-6a5b4c3d2e1f","rows_written":1839,"rows_rejected":3,"bytes":48213377,"elapsed_ms":97759}
""";

    static final String API_ARCHIVE = """
2024-04-30T00:00:01.002Z INFO  [main] c.a.api.Application - Starting api-service 2.9.4 on ip-10-0-14-7
2024-04-30T08:14:22.310Z INFO  [http-nio-8080-exec-2] c.a.api.auth.LoginService - login ok user=⟦e:ethan.park@example.com⟧ mfa=totp client=⟦~ip-address:203.0.113.61⟧
2024-04-30T08:15:09.874Z DEBUG [http-nio-8080-exec-2] c.a.api.kyc.KycClient - submit {"name":"Ethan Park","ssn":"⟦s:628-47-1139⟧","phone":"⟦p:(415) 555-0132⟧","dob":"1985-01-30"}
2024-04-30T09:02:47.551Z WARN  [http-nio-8080-exec-5] c.a.api.pay.GatewayClient - AVS mismatch for card=⟦c:3782 822463 10005⟧ zip=⟦~zip-plus-4:94103-1234⟧
2024-04-30T10:30:00.000Z DEBUG [sts-refresh] c.a.api.aws.CredentialsRefresher - refreshed session credentials accessKeyId=⟦k:ASIAV3R7TQ2MWEXAMPLE⟧ expiration=2024-04-30T11:30:00Z
2024-04-30T11:45:12.004Z INFO  [http-nio-8080-exec-7] c.a.api.web.RequestLog - requestId=⟦~uuid:c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f⟧ GET /api/v2/customers/C-100494 200 22ms
2024-04-30T13:20:40.900Z WARN  [http-nio-8080-exec-3] c.a.api.web.Validation - rejected ssn "⟦~ssn-advertised:219-09-9999⟧" (advertised sample number)
2024-04-30T15:05:33.120Z INFO  [mailer-1] c.a.api.mail.Mailer - bounce from ⟦e:olga.ivanova@example.org⟧: 550 5.1.1 mailbox unavailable
2024-04-30T18:47:05.662Z INFO  [http-nio-8080-exec-1] c.a.api.web.RequestLog - requestId=d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f7a POST /api/v2/cart 200 35ms
2024-04-30T23:59:59.999Z INFO  [main] c.a.api.Application - log rotated
""";

    static final String WORKER_ARCHIVE = """
2024-04-29T02:00:00.014Z INFO  [cron] worker.Nightly - nightly export started job=⟦~uuid:e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b⟧
2024-04-29T02:00:41.602Z INFO  [cron] worker.Nightly - wrote 1,204 rows to exports/customers-2024-04.csv
2024-04-29T02:01:13.377Z WARN  [cron] worker.Nightly - duplicate customer ⟦e:marcus.oneill@example.com⟧ merged into C-100485
2024-04-29T06:30:09.810Z ERROR [sqs-poller-2] worker.PaymentSync - could not sync card ⟦c:4242 4242 4242 4242⟧ for order ORD-2024-0429-001187: processor returned 502
2024-04-29T11:59:59.120Z INFO  [logrotate] worker - rotating
⟦|⟧2024-04-29T12:00:00.003Z INFO  [logrotate] worker - log continues after rotation
2024-04-29T14:22:51.205Z INFO  [sqs-poller-1] worker.Notifier - sms to ⟦p:+1 (213) 555-0190⟧ delivered; email to ⟦e:sam.rivera@example.com⟧ bounced
2024-04-29T17:45:30.448Z WARN  [sqs-poller-1] worker.KycSync - provider echoed the full SSN ⟦s:667-21-4490⟧ in an error body (SEC-311)
2024-04-29T23:59:58.990Z INFO  [main] worker - shutdown
""";

    static final String CLOUDTRAIL = """
{"Records":[
{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"⟦~aws-iam-unique-id:AIDACKCEVSQ6C2EXAMPLE⟧","arn":"arn:aws:iam::⟦~aws-account-id:123456789012⟧:user/ci-deployer","accountId":"123456789012","accessKeyId":"⟦k:AKIAZ8WQ3LKD2EXAMPLE⟧","userName":"ci-deployer"},"eventTime":"2024-05-13T22:17:33Z","eventSource":"s3.amazonaws.com","eventName":"PutObject","awsRegion":"us-east-1","sourceIPAddress":"⟦~ip-address:198.51.100.7⟧","userAgent":"aws-cli/2.15.40 Python/3.11.8 Linux/6.1.84 exe/x86_64.amzn.2023","requestParameters":{"bucketName":"acme-artifacts","key":"checkout/checkout-3.14.2.jar"},"responseElements":null,"requestID":"8F3D2A1B0C9E7D6F","eventID":"⟦~uuid:0f8e5b2a-3c4d-4e6f-8a9b-1c2d3e4f5a6b⟧","readOnly":false,"eventType":"AwsApiCall","recipientAccountId":"123456789012"},
{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"⟦~aws-iam-unique-id:AROADBQP57FF2AEXAMPLE⟧:export-job","arn":"arn:aws:sts::123456789012:assumed-role/export-job/export-job","accountId":"123456789012","accessKeyId":"⟦k:ASIA5XN2PLQ7KEXAMPLE⟧","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROADBQP57FF2AEXAMPLE","arn":"arn:aws:iam::123456789012:role/export-job","accountId":"123456789012","userName":"export-job"},"attributes":{"creationDate":"2024-05-14T09:15:22Z","mfaAuthenticated":"false"}}},"eventTime":"2024-05-14T09:15:40Z","eventSource":"s3.amazonaws.com","eventName":"PutObject","awsRegion":"us-east-1","sourceIPAddress":"10.0.12.34","userAgent":"aws-sdk-java/2.25.40 Linux/6.1.84 OpenJDK_64-Bit_Server_VM/17.0.11+9","errorCode":"InvalidAccessKeyId","errorMessage":"The AWS Access Key Id you provided does not exist in our records.","requestParameters":{"bucketName":"acme-outfitters-prod-exports","key":"exports/customers-2024-05.csv"},"responseElements":null,"requestID":"7Q8W9E0R1T2Y3U4I","eventID":"1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d","readOnly":false,"eventType":"AwsApiCall","recipientAccountId":"123456789012"},
{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDACKCEVSQ6C2EXAMPLE","arn":"arn:aws:iam::123456789012:user/⟦e:jane.doe@example.com⟧","accountId":"123456789012","userName":"⟦e:jane.doe@example.com⟧"},"eventTime":"2024-05-14T09:31:02Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.45","userAgent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36","requestParameters":null,"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"LoginTo":"https://console.aws.amazon.com/console/home","MobileVersion":"No","MFAUsed":"Yes"},"eventID":"2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e","readOnly":false,"eventType":"AwsConsoleSignIn","recipientAccountId":"123456789012"}
]}
""";

    static final String CI_LOG = """
[2024-05-13T22:14:01Z] Job 8812 (checkout-service, branch main) started on runner ip-10-0-12-34 (instance i-0abc123def4567890)
[2024-05-13T22:14:02Z] + git rev-parse HEAD
[2024-05-13T22:14:02Z] ⟦~git-sha:e83c5163316f89bfbde7d9ab23ca2e25604af290⟧
[2024-05-13T22:14:03Z] + ./mvnw -B -q verify
[2024-05-13T22:16:44Z] [INFO] Tests run: 412, Failures: 0, Errors: 0, Skipped: 3
[2024-05-13T22:16:44Z] [INFO] BUILD SUCCESS
[2024-05-13T22:16:45Z] + docker build -t 123456789012.dkr.ecr.us-east-1.amazonaws.com/checkout:3.14.2 .
[2024-05-13T22:17:30Z] writing image sha256:⟦~docker-digest:$DIGEST⟧ done
[2024-05-13T22:17:31Z] + env | sort    # debug: why does the upload fail?
[2024-05-13T22:17:31Z] AWS_ACCESS_KEY_ID=⟦k:AKIAZ8WQ3LKD2EXAMPLE⟧
[2024-05-13T22:17:31Z] AWS_DEFAULT_REGION=us-east-1
[2024-05-13T22:17:31Z] AWS_SECRET_ACCESS_KEY=⟦x:Hn4xQ2vR8tLk/Wm5ZyB7cHd4Jf6Gs1EXAMPLEKEY⟧
[2024-05-13T22:17:31Z] CI_COMMIT_SHA=⟦~git-sha:e83c5163316f89bfbde7d9ab23ca2e25604af290⟧
[2024-05-13T22:17:31Z] CI_PIPELINE_ID=1284467
[2024-05-13T22:17:31Z] GIT_AUTHOR_EMAIL=⟦e:ingrid.halvorsen@example.com⟧
[2024-05-13T22:17:31Z] HOME=/home/runner
[2024-05-13T22:17:31Z] JAVA_VERSION=17.0.11+9
[2024-05-13T22:17:32Z] + aws s3 cp target/checkout-3.14.2.jar s3://acme-artifacts/checkout/checkout-3.14.2.jar
[2024-05-13T22:17:35Z] upload: target/checkout-3.14.2.jar to s3://acme-artifacts/checkout/checkout-3.14.2.jar
[2024-05-13T22:17:36Z] Job 8812 succeeded in 3m35s
""";

    static final String DOTENV = """
# checkout-service production overrides. DO NOT COMMIT (it was committed anyway, see SEC-311)
APP_ENV=production
PORT=8080
LOG_LEVEL=info
DATABASE_URL=postgresql://checkout:⟦~url-userinfo:changeme@localhost⟧:5432/checkout
REDIS_URL=redis://localhost:6379/0
AWS_REGION=us-east-1
AWS_ACCESS_KEY_ID=⟦k:AKIAIOSFODNN7EXAMPLE⟧
AWS_SECRET_ACCESS_KEY=⟦x:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY⟧
S3_EXPORT_BUCKET=acme-outfitters-prod-exports
SMTP_HOST=smtp.example.com
SMTP_PORT=587
SMTP_USER=⟦e:mailer@example.com⟧
MAIL_FROM="Acme Outfitters <⟦e:no-reply@example.com⟧>"
SUPPORT_PHONE="⟦p:(800) 555-0199⟧"
SENTRY_DSN=https://⟦~url-userinfo:9f0c2a7b4e1d4c3a8b6e5f7a1c2d3e4f@o450123.ingest.sentry.io⟧/5512345
JWT_SIGNING_KEY=⟦~base64-blob:$JWTKEY⟧
FEATURE_NEW_CHECKOUT=true
""";

    static final String APP_INI = """
; reporting-service (legacy), read by ConfigParser
[database]
host = db.internal.example.com
port = 5432
user = reporting
password = %(REPORTING_DB_PASSWORD)s

[s3]
region = us-west-2
bucket = acme-reports
access_key = ⟦k:AKIAI44QH8DHBEXAMPLE⟧
secret_key = ⟦x:je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY⟧

[notifications]
alert_email = ⟦e:ops-alerts@example.com⟧
pager_phone = ⟦p:617-555-0121⟧

[ui]
logo = /img/⟦~retina-filename:logo@3x.png⟧
version = ⟦~version:2.7.11⟧
""";

    static final String APP_YAML = """
spring:
  application:
    name: checkout-service
  datasource:
    url: jdbc:postgresql://db.internal.example.com:5432/shop
    username: shop
    password: ${DB_PASSWORD}
  mail:
    host: smtp.example.com
    port: 587
    username: ⟦e:mailer@example.com⟧

cloud:
  aws:
    region:
      static: us-east-1
    credentials:
      access-key: ⟦k:AKIA4Q7RT2ZXMEXAMPLE⟧
      secret-key: ⟦x:Tq8vN3xLp2Rz+Kd7Wm4HsY9cBfJ6gUEXAMPLEKEY⟧

app:
  support:
    email: ⟦e:support@example.com⟧
    phone: "⟦p:+1 (212) 555-0100⟧"
  build:
    version: ⟦~version:3.14.2⟧
    commit: ⟦~git-sha:e83c5163316f89bfbde7d9ab23ca2e25604af290⟧
  checkout:
    gateway-timeout: 5s
    retry-attempts: 3

management:
  endpoints:
    web:
      exposure:
        include: health,info,prometheus
""";

    static final String APP_PROPERTIES = """
# reporting-service
server.port=8443
spring.profiles.active=prod
reporting.s3.bucket=acme-reports
aws.region=us-west-2
aws.accessKeyId=⟦k:AKIAI44QH8DHBEXAMPLE⟧
aws.secretKey=⟦x:je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY⟧
reporting.mail.to=⟦e:finance-reports@example.org⟧
reporting.mail.cc=⟦e:dana.whitfield@example.com⟧
reporting.schedule.cron=0 30 6 * * MON-FRI
reporting.timezone=America/New_York
""";

    static final String AWS_CREDENTIALS = """
[default]
aws_access_key_id = ⟦k:AKIAIOSFODNN7EXAMPLE⟧
aws_secret_access_key = ⟦x:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY⟧

[ci]
aws_access_key_id=⟦k:AKIAZ8WQ3LKD2EXAMPLE⟧
aws_secret_access_key=⟦x:Hn4xQ2vR8tLk/Wm5ZyB7cHd4Jf6Gs1EXAMPLEKEY⟧

[temp-support]
aws_access_key_id = ⟦k:ASIAV3R7TQ2MWEXAMPLE⟧
aws_secret_access_key = ⟦x:9dK2mQ7wR4tY/u8iO1pA3sD5fG6hJ0EXAMPLEKEY⟧
aws_session_token = ⟦~aws-session-token:$TOKEN1⟧
""";

    static final String AWS_CONFIG = """
[default]
region = us-east-1
output = json

[profile deploy]
role_arn = arn:aws:iam::123456789012:role/deploy
source_profile = default
mfa_serial = arn:aws:iam::123456789012:mfa/jane.doe
duration_seconds = 3600

[profile reporting]
region = us-west-2
credential_process = /usr/local/bin/aws-vault export --format=json reporting
""";

    static final String ACCESS_KEYS_CSV = """
Access key ID,Secret access key
⟦k:AKIAZ8WQ3LKD2EXAMPLE⟧,⟦x:Hn4xQ2vR8tLk/Wm5ZyB7cHd4Jf6Gs1EXAMPLEKEY⟧
""";

    static final String TFVARS = """
# prod.tfvars (credentials move to SSM in SEC-311; delete them from here)
aws_region     = "us-east-1"
aws_access_key = "⟦k:AKIAIOSFODNN7EXAMPLE⟧"
aws_secret_key = "⟦x:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY⟧"
alarm_email    = "⟦e:ops-alerts@example.com⟧"
vpc_cidr       = "10.20.0.0/16"
ami_id         = "ami-0abcdef1234567890"
db_instance    = "db.r6g.large"
kms_key_id     = "⟦~uuid:1234abcd-12ab-34cd-56ef-1234567890ab⟧"
""";

    static final String LOGBACK = """
<?xml version="1.0" encoding="UTF-8"?>
<!-- checkout-service logging, v3.14.2 -->
<configuration scan="true" scanPeriod="30 seconds">
  <property name="LOG_PATTERN" value="%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n"/>
  <appender name="JSON" class="ch.qos.logback.core.ConsoleAppender">
    <encoder class="net.logstash.logback.encoder.LogstashEncoder">
      <customFields>{"service":"checkout","version":"3.14.2"}</customFields>
    </encoder>
  </appender>
  <appender name="FILE" class="ch.qos.logback.core.rolling.RollingFileAppender">
    <file>/var/log/checkout/app.log</file>
    <rollingPolicy class="ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy">
      <fileNamePattern>/var/log/checkout/app-%d{yyyy-MM-dd}.%i.log.gz</fileNamePattern>
      <maxFileSize>100MB</maxFileSize>
      <maxHistory>30</maxHistory>
    </rollingPolicy>
    <encoder><pattern>${LOG_PATTERN}</pattern></encoder>
  </appender>
  <!-- mask card numbers and SSNs before they reach an appender (SEC-311) -->
  <conversionRule conversionWord="msg" converterClass="com.acme.logging.MaskingConverter"/>
  <logger name="com.acme.checkout.pay" level="INFO"/>
  <root level="INFO">
    <appender-ref ref="JSON"/>
    <appender-ref ref="FILE"/>
  </root>
</configuration>
""";

    static final String TICKET = """
Ticket #4471 – “Charged twice for order ORD-2024-0509-003318”
Status: open · Priority: high · Channel: email · Opened 2024-05-09 16:42 EDT
Requester: Chloé Dubois <⟦e:chloe.dubois@example.org⟧>
Assignee: Rafael Gutiérrez <⟦e:rafael.gutierrez@example.com⟧>

––– Customer, 2024-05-09 16:42 –––
Hi, I was charged twice for my order (2 × $129.99, about €240 in total). The card I used is
⟦c:6011 1111 1111 1117⟧, exp 09/26. My phone is ⟦p:(504) 555-0161⟧ – please call after 5 pm, I’m at
work until then… Merci !

––– Agent note, 2024-05-09 17:05 –––
Verified with date of birth. The customer then pasted her full SSN, ⟦s:198-52-6617⟧, into the reply;
I asked her not to send it by email and flagged the thread for redaction (SEC-318).
Refund RF-20240509-88213 issued for $129.99, gateway ref ⟦~order-id:88203310000477155199⟧.

––– Customer, 2024-05-10 08:12 –––
Thanks — “refund received”. You can close this.
""";

    static final String CALL_NOTES = """
# Customer care call notes: week of 2024-05-13

Owner: Maya Lindqvist (⟦e:maya.lindqvist@example.com⟧). Notes are kept for one year.

| time | caller | callback number | summary |
|---|---|---|---|
| Mon 09:05 | Kwame Mensah | ⟦p:(404) 555-0139⟧ | address change; new email ⟦e:kwame.mensah@example.com⟧ |
| Mon 11:20 | Ingrid H. (staff) | ⟦p:971-555-0181⟧ | testing the IVR, ignore |
| Tue 14:02 | Sofia Rossi | ⟦p:702.555.0107⟧ | card declined; asked her to retry tomorrow |
| Wed 10:45 | unknown | ⟦~phone-bad-area:(123) 555-0147⟧ | caller id spoofed, not a valid number |
| Thu 16:30 | Ben Schultz | ⟦p:(720) 555-0187⟧ | wants invoices for ORD-2024-0511-002204 and ORD-2024-0512-002390 |

## Incidents
- Tue: while we verified the account the caller read out the SSN ⟦s:518204417⟧ (no dashes) and the
  agent typed it here. Flagged to compliance (SEC-318); this line must be redacted.
- Wed: Sofia's new shipping ZIP is ⟦~zip-plus-4:89109-0147⟧; order total $58.00.
""";

    static final String FAQ_HTML = """
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Help &amp; FAQ · Acme Outfitters</title>
<link rel="icon" href="/static/img/⟦~retina-filename:favicon@2x.png⟧">
<style>
.hero { transform: translate(0%, ⟦~decimal-fraction:-0.4111111111111111%⟧); }
.badge { line-height: 1.5555; }
</style>
<script type="application/ld+json">
{"@context":"https://schema.org","@type":"Organization","name":"Acme Outfitters","url":"https://shop.example.com",
 "contactPoint":[{"@type":"ContactPoint","telephone":"⟦p:+1-800-555-0199⟧","contactType":"customer service","email":"⟦e:support@example.com⟧"}]}
</script>
</head>
<body>
<h1>Help &amp; FAQ</h1>
<h2>How do I contact you?</h2>
<p>Email <a href="mailto:⟦e:support@example.com⟧">⟦e:support@example.com⟧</a> or call
<a href="tel:⟦p:+1-800-555-0199⟧">⟦p:(800) 555-0199⟧</a>, Monday to Friday, 8am to 8pm ET.</p>
<h2>Which cards do you accept?</h2>
<p>Visa, Mastercard, American Express and Discover. To try the sandbox checkout, use the card
<code>⟦c:4242 4242 4242 4242⟧</code> with any future expiry date.</p>
<h2>Press</h2>
<p>Media enquiries: ⟦e:press@example.org⟧ or ⟦p:(646) 555-0178⟧.</p>
<img src="/static/img/⟦~retina-filename:logo@2x.png⟧" srcset="/static/img/⟦~retina-filename:logo@3x.png⟧ 3x" alt="Acme Outfitters">
<footer>&copy; 2024 Acme Outfitters · v⟦~version:3.14.2⟧ · build 2024.05.13.1</footer>
</body>
</html>
""";

    static final String SLACK = """
[
  {"type":"message","user":"U04ABCD1234","text":"anyone know why the reporting box can't reach S3 since this morning?","ts":"⟦~timestamp:1715335200.123459⟧"},
  {"type":"message","user":"U05EFGH5678","text":"works for me with these, I'll rotate them after: ⟦k:AKIA7W3PZ9RTKEXAMPLE⟧ ⟦x:mP5rT8wZ2xC4vB7nQ1sD/fG3hJ6kL9EXAMPLEKEY⟧","ts":"1715335262.443109"},
  {"type":"message","user":"U04ABCD1234","text":"thanks! also the new on-call number is ⟦p:(971) 555-0181⟧, escalations to <mailto:⟦e:ops-alerts@example.com⟧|⟦e:ops-alerts@example.com⟧>","ts":"1715335301.000200"},
  {"type":"message","user":"U06IJKL9012","text":"screenshot of the error","files":[{"id":"F07MNOP3456","name":"error@2x.png","mimetype":"image/png","url_private":"https://files.slack.com/files-pri/T0123ABCD-F07MNOP3456/⟦~retina-filename:error@2x.png⟧"}],"ts":"1715335420.998877"},
  {"type":"message","user":"U05EFGH5678","text":"rotated :white_check_mark: build ⟦~version:3.14.2⟧ is green again","ts":"1715336011.100000"}
]
""";

    static final String API_REQUEST = """
{
  "request_id": "⟦~uuid:5f3c2a1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b⟧",
  "idempotency_key": "⟦~hex-blob:7d2f9a41c3b85e60f1a7d9e2b4c6a8f0⟧",
  "customer": {
    "first_name": "Sam",
    "last_name": "Rivera",
    "email": "⟦e:sam.rivera@example.com⟧",
    "phone": "⟦p:725-555-0156⟧",
    "ssn": "⟦s:239-61-4405⟧",
    "date_of_birth": "1991-09-17",
    "address": {
      "line1": "1200 Fremont St Apt 4B",
      "city": "Las Vegas",
      "state": "NV",
      "postal_code": "⟦~zip-plus-4:89101-4512⟧"
    }
  },
  "payment_method": {
    "type": "card",
    "card": {"number": "⟦c:371449635398431⟧", "exp_month": 4, "exp_year": 2027, "cvc": "7373"}
  },
  "loyalty": {"member_no": "LM-0048213", "tier": "gold"},
  "client": {"app": "acme-ios", "app_version": "⟦~version:5.2.0⟧", "os": "iOS 17.4.1", "ip": "⟦~ip-address:192.0.2.44⟧"},
  "created_at": "2024-05-14T09:58:12.480Z"
}
""";

    static final String STS_RESPONSE = """
{
  "Credentials": {
    "AccessKeyId": "⟦k:ASIA5XN2PLQ7KEXAMPLE⟧",
    "SecretAccessKey": "⟦x:bV3nM6qW9eR2tY5uI8oP/aS4dF7gH1EXAMPLEKEY⟧",
    "SessionToken": "⟦~aws-session-token:$TOKEN2⟧",
    "Expiration": "2024-05-14T10:15:22+00:00"
  },
  "AssumedRoleUser": {
    "AssumedRoleId": "⟦~aws-iam-unique-id:AROADBQP57FF2AEXAMPLE⟧:export-job",
    "Arn": "arn:aws:sts::⟦~aws-account-id:123456789012⟧:assumed-role/export-job/export-job"
  },
  "PackedPolicySize": 6
}
""";

    static final String PAYMENT_EVENTS = """
[
  {
    "id": "evt_1P0aBcD2eF3gH4iJ5kL6mN7o",
    "type": "charge.succeeded",
    "created": ⟦~timestamp:1715678523⟧,
    "data": {
      "object": {
        "id": "ch_3P0aBcD2eF3gH4iJ0xYz1AbC",
        "amount": 12999,
        "currency": "usd",
        "billing_details": {"name": "Jane Doe", "email": "⟦e:jane.doe@example.com⟧", "phone": "⟦p:(212) 555-0147⟧"},
        "payment_method_details": {"card": {"brand": "visa", "last4": "1111", "exp_month": 12, "exp_year": 2027, "fingerprint": "Xt5EWLLDS7FJjR1c"}},
        "receipt_number": "1842-7730"
      }
    }
  },
  {
    "id": "evt_1P0aCdE3fG4hI5jK6lM7nO8p",
    "type": "charge.failed",
    "created": 1715678900,
    "data": {
      "object": {
        "id": "ch_3P0aCdE3fG4hI5jK1yZa2BcD",
        "amount": 6450,
        "currency": "usd",
        "failure_code": "card_declined",
        "metadata": {"raw_pan": "⟦c:5105105105105100⟧", "note": "legacy POS integration still sends the full number"},
        "payment_method_details": {"card": {"brand": "mastercard", "last4": "5100", "exp_month": 3, "exp_year": 2026}}
      }
    }
  },
  {
    "id": "evt_1P0aDeF4gH5iJ6kL7mN8oP9q",
    "type": "customer.updated",
    "created": 1715679300,
    "data": {
      "object": {"id": "cus_Q1a2B3c4D5e6F7", "email": "⟦e:ethan.park@example.com⟧", "phone": "⟦p:(415) 555-0132⟧"},
      "previous_attributes": {"email": "⟦e:e.park@example.net⟧"}
    }
  },
  {
    "id": "evt_1P0aEfG5hI6jK7lM8nO9pQ0r",
    "type": "charge.refunded",
    "created": 1715680022,
    "data": {
      "object": {
        "id": "ch_3P0aEfG5hI6jK7lM2zAb3CdE",
        "amount_refunded": 2500,
        "payment_method_details": {"type": "gift_card", "gift_card": {"number": "⟦~card-no-issuer:7000 1234 5678 9010⟧"}},
        "declined_first_try": {"number": "⟦~card-luhn-invalid:4000 0566 5566 5557⟧"}
      }
    }
  },
  {
    "id": "evt_1P0aFgH6iJ7kL8mN9oP0qR1s",
    "type": "payout.paid",
    "created": 1715731200,
    "data": {
      "object": {"id": "po_1P0aFgH6iJ7kL8mN", "amount": 1284450, "arrival_date": 1715731200,
                 "bank_account": {"routing_number": "⟦~bare-9-digits:110000000⟧", "last4": "6789"}}
    }
  }
]
""";

    static final String ORDERS_JSONL = """
{"event":"order.created","order_id":"ORD-2024-0514-004471","at":"2024-05-14T09:12:03Z","customer":{"id":"C-100481","email":"⟦e:jane.doe@example.com⟧"},"ship_to":{"name":"Jane Doe","phone":"⟦p:(212) 555-0147⟧","zip":"10001"},"items":[{"sku":"JKT-88412-BLK-M","qty":1,"price":129.99}],"loyalty_member":"⟦~bare-9-digits:318204417⟧"}
{"event":"order.shipped","order_id":"ORD-2024-0514-004471","at":"2024-05-14T16:40:00Z","carrier":"UPS","tracking":"⟦~order-id:1Z999AA10123456784⟧"}
{"event":"order.created","order_id":"ORD-2024-0514-004472","at":"2024-05-14T09:14:47Z","customer":{"id":"C-100486","email":"⟦e:aiko.tanaka@example.net⟧"},"ship_to":{"name":"Aiko Tanaka","phone":"⟦p:206-555-0185⟧","zip":"98101"},"items":[{"sku":"TEE-10233-WHT-S","qty":2,"price":32.25}]}
{"event":"order.shipped","order_id":"ORD-2024-0514-004472","at":"2024-05-14T17:05:00Z","carrier":"USPS","tracking":"⟦~order-id:9400111899223344556677⟧"}
{"event":"order.created","order_id":"ORD-2024-0514-004473","at":"2024-05-14T09:20:05Z","customer":{"id":"C-100494","email":"⟦e:ethan.park@example.com⟧"},"ship_to":{"name":"Mia Park","phone":"⟦p:(415) 555-0132⟧","zip":"94110"},"items":[{"sku":"TNT-55120-GRN","qty":1,"price":1450.00}],"gift_message":"Happy birthday, Mia! ❤️🎉 Love, E."}
{"event":"export.page","page":3,"rows":500,"next_cursor":"⟦~secret-shape-without-keyword:Zk9wR3hQ2vLm8TnYc4BsJd7FgHa1Ke6Wq0XuPi5O⟧","at":"2024-05-14T09:25:00Z"}
{"event":"order.cancelled","order_id":"ORD-2024-0514-004474","at":"2024-05-14T09:35:10Z","reason":"customer request","refund":{"amount":38.25,"to_card":"⟦~card-masked:**** 1117⟧"}}
{"event":"order.created","order_id":"ORD-2024-0514-004483","at":"2024-05-14T12:30:02Z","customer":{"id":"C-100488","email":"⟦e:liam.byrne@example.com⟧"},"ship_to":{"name":"Liam Byrne","phone":"⟦p:(602) 555-0193⟧","zip":"85004"},"items":[{"sku":"BAG-20931-BLU","qty":1,"price":560.00}],"trace":"⟦~uuid:8c7b6a59-4d3e-4f21-9a0b-c1d2e3f4a5b6⟧"}
{"event":"order.created","order_id":"ORD-2024-0514-004484","at":"2024-05-14T13:02:44Z","customer":{"id":"C-100491","email":"⟦e:chloe.dubois@example.org⟧"},"ship_to":{"name":"Chloé Dubois","phone":"⟦p:504-555-0161⟧","zip":"70112"},"items":[{"sku":"SCF-30012-RED","qty":1,"price":25.00}],"epoch_ms":⟦~timestamp:1715691764000⟧}
""";

    static final String AREA_CODES = """
area_code,state,largest_city,overlays,in_service_since
201,NJ,Jersey City,551,1947
202,DC,Washington,771,1947
206,WA,Seattle,564,1947
210,TX,San Antonio,726,1992
212,NY,New York (Manhattan),646;332;917,1947
213,CA,Los Angeles,323,1947
303,CO,Denver,720;983,1947
305,FL,Miami,786;645,1947
312,IL,Chicago,872,1947
404,GA,Atlanta,470;678;943,1947
408,CA,San Jose,669,1959
415,CA,San Francisco,628,1947
503,OR,Portland,971,1947
504,LA,New Orleans,,1947
602,AZ,Phoenix,,1947
617,MA,Boston,857,1947
702,NV,Las Vegas,725,1947
713,TX,Houston,281;346;832,1947
720,CO,Denver,303;983,1998
800,--,toll free,,1966
""";

    static final String DAILY_SALES = """
date,store_id,orders,revenue_usd,avg_basket_usd,mobile_share,refund_rate,p99_latency_ms,snapshot_epoch_ms
2024-05-01,ST-0042,1204,156320.18,129.83,⟦~decimal-fraction:0.4111111111111111⟧,0.0123,911,⟦~timestamp:1714608000000⟧
2024-05-02,ST-0042,1187,149002.47,125.53,0.4230769230769231,0.0101,874,1714694400000
2024-05-03,ST-0042,1342,171550.90,127.83,0.4388971684053651,0.0134,1020,1714780800000
2024-05-04,ST-0042,1590,210033.12,132.10,0.4522012578616352,0.0098,1187,1714867200000
2024-05-05,ST-0042,1475,190120.55,128.89,0.4474576271186441,0.0115,1044,1714953600000
2024-05-06,ST-0042,1102,138790.02,125.94,0.4001814882032668,0.0127,802,1715040000000
2024-05-07,ST-0042,1099,140388.40,127.74,0.3994540491355778,0.0109,815,1715126400000
2024-05-08,ST-0042,1150,146002.25,126.96,0.4104347826086957,0.0113,833,1715212800000
2024-05-09,ST-0042,1233,158990.63,128.95,0.4160583941605839,0.0146,906,1715299200000
2024-05-10,ST-0042,1408,183304.02,130.19,0.4396306818181818,0.0121,977,1715385600000
2024-05-11,ST-0042,1666,222990.10,133.85,0.4597839135654262,0.0106,1233,1715472000000
2024-05-12,ST-0042,1521,199455.77,131.13,0.4523339907955293,0.0119,1102,1715558400000
2024-05-13,ST-0042,1188,150002.00,126.26,0.4057239057239057,0.0111,850,1715644800000
""";
}
