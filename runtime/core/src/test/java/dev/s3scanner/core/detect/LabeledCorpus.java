package dev.s3scanner.core.detect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A labeled corpus for precision and recall: documents built from generated fake values (labeled
 * with detector and byte offset) and decoys of every kind the detectors must reject (labeled with
 * nothing), inside filler text of the shapes real objects hold (logs, CSV, JSON, prose, hashes,
 * UUIDs, base64). Deterministic for a seed. Cases 19 and 20 are added as documents with labels
 * taken from their {@code expected.csv}.
 *
 * <p>Values are synthetic: SSNs from the valid ranges at random, card numbers with random digits
 * and a computed Luhn check digit, phone numbers from valid NANP codes, addresses at example
 * domains, keys from random characters.
 */
final class LabeledCorpus {

    /** One expected finding. */
    record Label(String detector, long offset, String value) {
    }

    /** One document: its bytes and the findings it must produce. */
    record Doc(String name, byte[] content, List<Label> labels) {
    }

    private static final String[] FIRST = {"jane", "john", "maria", "wei", "olu", "priya", "lars", "ana", "omar", "kim"};
    private static final String[] LAST = {"doe", "smith", "garcia", "chen", "adeyemi", "patel", "berg", "silva", "haddad", "lee"};
    private static final String[] DOMAINS = {"example.com", "example.org", "example.net", "mail.example.com",
            "corp.example.co.uk", "example-shop.io", "dept.example.edu", "xn--bcher-kva.example"};
    private static final String[] WORDS = {"lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing",
            "elit", "sed", "do", "eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua",
            "order", "shipped", "invoice", "status", "pending", "warehouse", "the", "of", "and", "report", "quarterly",
            "café", "naïve", "über", "Straße", "名前", "東京"};
    private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final String KEY_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String HEX = "0123456789abcdef";

    private final Random rnd;

    private LabeledCorpus(long seed) {
        this.rnd = new Random(seed);
    }

    /** The corpus for {@code seed}: general, credential and secret-decoy documents, then cases 19 and 20. */
    static List<Doc> generate(long seed) {
        LabeledCorpus g = new LabeledCorpus(seed);
        List<Doc> docs = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            docs.add(g.generalDoc("general-" + i));
        }
        for (int i = 0; i < 120; i++) {
            docs.add(g.credentialDoc("credentials-" + i));
        }
        for (int i = 0; i < 30; i++) {
            docs.add(g.secretDecoyDoc("secret-decoys-" + i));
        }
        docs.add(case19());
        docs.add(case20());
        return docs;
    }

    // ---------------------------------------------------------------- documents

    private Doc generalDoc(String name) {
        DocBuilder d = new DocBuilder(name);
        if (rnd.nextInt(4) == 0) {
            positive(d); // a value at offset 0
            d.text("\n");
        }
        int lines = 25 + rnd.nextInt(20);
        for (int i = 0; i < lines; i++) {
            switch (rnd.nextInt(5)) {
                case 0, 1 -> filler(d);
                case 2 -> positive(d);
                default -> decoy(d);
            }
            d.text(rnd.nextInt(8) == 0 ? "\r\n" : "\n");
        }
        if (rnd.nextInt(4) == 0) {
            positive(d); // a value at the very end, no newline
        }
        return d.build();
    }

    private void positive(DocBuilder d) {
        switch (rnd.nextInt(4)) {
            case 0 -> ssnLine(d);
            case 1 -> cardLine(d);
            case 2 -> phoneLine(d);
            default -> emailLine(d);
        }
    }

    private Doc credentialDoc(String name) {
        DocBuilder d = new DocBuilder(name);
        int blocks = 1 + rnd.nextInt(2);
        for (int b = 0; b < blocks; b++) {
            separation(d);
            String id = keyId();
            String secret = secretKey();
            switch (rnd.nextInt(9)) {
                case 0 -> {
                    d.text("[profile-" + b + "]\naws_access_key_id = ").value(DetectorId.AWS_ACCESS_KEY_ID, id)
                            .text("\naws_secret_access_key = ").value(DetectorId.AWS_SECRET_ACCESS_KEY, secret).text("\nregion = us-east-1\n");
                }
                case 1 -> {
                    d.text("export AWS_ACCESS_KEY_ID=").value(DetectorId.AWS_ACCESS_KEY_ID, id)
                            .text("\nexport AWS_SECRET_ACCESS_KEY=\"").value(DetectorId.AWS_SECRET_ACCESS_KEY, secret).text("\"\n");
                }
                case 2 -> {
                    d.text("{\"Credentials\": {\"AccessKeyId\": \"").value(DetectorId.AWS_ACCESS_KEY_ID, "ASIA" + id.substring(4))
                            .text("\", \"SecretAccessKey\": \"").value(DetectorId.AWS_SECRET_ACCESS_KEY, secret)
                            .text("\", \"Expiration\": \"2024-06-01T12:00:00Z\"}}\n");
                }
                case 3 -> {
                    d.text("User name,Password,Access key ID,Secret access key\n" + FIRST[rnd.nextInt(10)] + ",,")
                            .value(DetectorId.AWS_ACCESS_KEY_ID, id).text(",").value(DetectorId.AWS_SECRET_ACCESS_KEY, secret).text("\n");
                }
                case 4 -> {
                    d.text("aws:\n  access_key: ").value(DetectorId.AWS_ACCESS_KEY_ID, id)
                            .text("\n  secret_key: ").value(DetectorId.AWS_SECRET_ACCESS_KEY, secret).text("\n");
                }
                case 5 -> {
                    d.text("<Credentials><AccessKeyId>").value(DetectorId.AWS_ACCESS_KEY_ID, id)
                            .text("</AccessKeyId><SecretAccessKey>").value(DetectorId.AWS_SECRET_ACCESS_KEY, secret)
                            .text("</SecretAccessKey></Credentials>\n");
                }
                case 6 -> {
                    d.text("GET /bucket/object?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=")
                            .value(DetectorId.AWS_ACCESS_KEY_ID, id).text("/20240101/us-east-1/s3/aws4_request&X-Amz-Date=20240101T000000Z\n");
                }
                case 7 -> {
                    d.text("Authorization: AWS4-HMAC-SHA256 Credential=").value(DetectorId.AWS_ACCESS_KEY_ID, id)
                            .text("/20240101/eu-west-1/sqs/aws4_request, SignedHeaders=host;x-amz-date\n");
                }
                default -> {
                    d.text("the deploy user got key ").value(DetectorId.AWS_ACCESS_KEY_ID, id).text(" with ")
                            .value(DetectorId.AWS_SECRET_ACCESS_KEY, secret).text(" yesterday\n");
                }
            }
            // decoys for key ids, in the same documents
            switch (rnd.nextInt(6)) {
                case 0 -> d.text("user id AIDA" + chars(KEY_ID_CHARS, 16) + " role AROA" + chars(KEY_ID_CHARS, 16) + "\n");
                case 1 -> d.text("short AKIA" + chars(KEY_ID_CHARS, 15) + " long AKIA" + chars(KEY_ID_CHARS, 17) + "\n");
                case 2 -> d.text("lower akia" + chars(KEY_ID_CHARS, 16).toLowerCase(Locale.ROOT) + " glued X" + keyId() + "\n");
                case 3 -> d.text("tail " + keyId() + "x and " + keyId() + "_1 and AKIA" + chars(KEY_ID_CHARS, 8) + "-" + chars(KEY_ID_CHARS, 7) + "\n");
                case 4 -> d.text("policy ANPA" + chars(KEY_ID_CHARS, 16) + " group AGPA" + chars(KEY_ID_CHARS, 16) + "\n");
                default -> d.text("arn:aws:iam::123456789012:role/deploy created 2024-01-15\n");
            }
        }
        separation(d);
        return d.build();
    }

    private Doc secretDecoyDoc(String name) {
        DocBuilder d = new DocBuilder(name);
        for (int i = 0; i < 20; i++) {
            switch (rnd.nextInt(10)) {
                case 0 -> d.text("blob " + secretKey() + " end\n"); // a key-shaped token, no keyword, no key id
                case 1 -> d.text("secret_hash = " + chars(HEX, 40) + "\n"); // SHA-1 hex next to a keyword
                case 2 -> d.text("secret: " + camelWord(40) + "\n"); // an identifier
                case 3 -> d.text("aws_secret_access_key = " + chars(B64, 42) + "\n"); // 42 characters
                case 4 -> d.text("secret=" + secretKey().substring(0, 39) + "\n"); // 39 characters
                case 5 -> d.text("secret token " + secretKey() + "==\n"); // base64 padding: a longer blob
                case 6 -> d.text("secret jwt eyJ" + chars(B64.substring(0, 62), 30) + "." + secretKey().replace('/', 'x').replace('+', 'y')
                        + "." + chars(B64.substring(0, 62), 43) + "\n"); // a JWT segment
                case 7 -> d.text("secret url-safe " + chars(B64.substring(0, 62), 12) + "-" + secretKey().replace('/', 'Q').replace('+', 'R') + "\n");
                case 8 -> d.text("data " + chars(B64, 120) + "=\n");
                default -> filler(d);
            }
            separation(d);
        }
        return d.build();
    }

    // ---------------------------------------------------------------- positives

    private void ssnLine(DocBuilder d) {
        int area;
        do {
            area = 1 + rnd.nextInt(899);
        } while (area == 666);
        int group = 1 + rnd.nextInt(99);
        int serial = 1 + rnd.nextInt(9999);
        if (area == 78 && group == 5 && serial == 1120 || area == 219 && group == 9 && serial == 9999
                || area == 457 && group == 55 && serial == 5462 || area == 123 && group == 45 && serial == 6789) {
            serial = 4321;
        }
        String dashed = String.format("%03d-%02d-%04d", area, group, serial);
        String bare = dashed.replace("-", "");
        String spaced = dashed.replace('-', ' ');
        String name = FIRST[rnd.nextInt(10)] + " " + LAST[rnd.nextInt(10)];
        String s = DetectorId.US_SSN;
        switch (rnd.nextInt(10)) {
            case 0 -> d.text("SSN: ").value(s, dashed);
            case 1 -> d.text(name + "," + (20 + rnd.nextInt(60)) + ",").value(s, dashed).text(",Springfield");
            case 2 -> d.text("{\"name\": \"" + name + "\", \"ssn\": \"").value(s, dashed).text("\"}");
            case 3 -> d.text("Employee " + name + " (").value(s, dashed).text(") joined in 2019.");
            case 4 -> d.text("<person><ssn>").value(s, dashed).text("</ssn></person>");
            case 5 -> d.text("social security number ").value(s, bare);
            case 6 -> d.text("SSN#").value(s, bare).text(" verified");
            case 7 -> d.text("ssn: ").value(s, spaced);
            case 8 -> d.text("| " + name + " | ").value(s, dashed).text(" |");
            default -> d.text("taxpayer=").value(s, dashed).text("; status=ok");
        }
    }

    private void cardLine(DocBuilder d) {
        String digits = cardNumber();
        String v = formatCard(digits);
        String c = DetectorId.CREDIT_CARD;
        String name = FIRST[rnd.nextInt(10)] + " " + LAST[rnd.nextInt(10)];
        switch (rnd.nextInt(8)) {
            case 0 -> d.text("card: ").value(c, v);
            case 1 -> d.text("{\"pan\":\"").value(c, v).text("\",\"exp\":\"12/27\"}");
            case 2 -> d.text("Paid with ").value(c, v).text(" on 2024-03-01.");
            case 3 -> d.text(name + ",").value(c, v).text(",12/27,123");
            case 4 -> d.text("cc=").value(c, v).text("&amount=12.50");
            case 5 -> d.text("<card number=\"").value(c, v).text("\"/>");
            case 6 -> d.text("Card on file (").value(c, v).text(") was charged $1,204.99");
            default -> d.text("\t").value(c, v).text("\t" + name);
        }
    }

    private void phoneLine(DocBuilder d) {
        String npa = code(true);
        String nxx = code(false);
        String line = String.format("%04d", rnd.nextInt(10000));
        String v = switch (rnd.nextInt(10)) {
            case 0 -> "(" + npa + ") " + nxx + "-" + line;
            case 1 -> npa + "-" + nxx + "-" + line;
            case 2 -> npa + "." + nxx + "." + line;
            case 3 -> npa + " " + nxx + " " + line;
            case 4 -> "+1 " + npa + "-" + nxx + "-" + line;
            case 5 -> "+1 (" + npa + ") " + nxx + "-" + line;
            case 6 -> "1-" + npa + "-" + nxx + "-" + line;
            case 7 -> "+1" + npa + nxx + line;
            case 8 -> "+1 " + npa + " " + nxx + " " + line;
            default -> "(" + npa + ")" + nxx + "-" + line;
        };
        String p = DetectorId.US_PHONE;
        String name = FIRST[rnd.nextInt(10)] + " " + LAST[rnd.nextInt(10)];
        switch (rnd.nextInt(8)) {
            case 0 -> d.text("call ").value(p, v).text(" after five");
            case 1 -> d.text("Phone: ").value(p, v);
            case 2 -> d.text(name + ",").value(p, v).text(",NY");
            case 3 -> d.text("\"phone\":\"").value(p, v).text("\"");
            case 4 -> d.text("mobile ").value(p, npa + nxx + line);
            case 5 -> d.text("Reach " + name + " at ").value(p, v).text(".");
            case 6 -> d.text("<tel>").value(p, v).text("</tel>");
            default -> d.text("fax: ").value(p, v).text(" (office)");
        }
    }

    private void emailLine(DocBuilder d) {
        String first = FIRST[rnd.nextInt(10)];
        String last = LAST[rnd.nextInt(10)];
        String local = switch (rnd.nextInt(6)) {
            case 0 -> first + "." + last;
            case 1 -> first + "_" + last + rnd.nextInt(100);
            case 2 -> first.charAt(0) + last;
            case 3 -> first + "+news";
            case 4 -> first.toUpperCase(Locale.ROOT) + "." + last;
            default -> first + "-" + last + "." + (1990 + rnd.nextInt(30));
        };
        String v = local + "@" + DOMAINS[rnd.nextInt(DOMAINS.length)];
        String e = DetectorId.EMAIL;
        switch (rnd.nextInt(8)) {
            case 0 -> d.text("contact ").value(e, v);
            case 1 -> d.text("<a href=\"mailto:").value(e, v).text("\">write</a>");
            case 2 -> d.text(first + " " + last + " <").value(e, v).text(">");
            case 3 -> d.text("{\"email\": \"").value(e, v).text("\"}");
            case 4 -> d.text("From: ").value(e, v);
            case 5 -> d.text(first + ",").value(e, v).text(",active");
            case 6 -> d.text("(").value(e, v).text(")");
            default -> d.text("Send the report to ").value(e, v).text(".");
        }
    }

    // ---------------------------------------------------------------- decoys

    private void decoy(DocBuilder d) {
        switch (rnd.nextInt(37)) {
            case 0 -> d.text("SSN " + String.format("000-%02d-%04d", 1 + rnd.nextInt(99), 1 + rnd.nextInt(9999)));
            case 1 -> d.text("SSN " + String.format("666-%02d-%04d", 1 + rnd.nextInt(99), 1 + rnd.nextInt(9999)));
            case 2 -> d.text("SSN " + String.format("%03d-%02d-%04d", 900 + rnd.nextInt(100), 1 + rnd.nextInt(99), 1 + rnd.nextInt(9999)));
            case 3 -> d.text("SSN " + String.format("%03d-00-%04d", 1 + rnd.nextInt(665), 1 + rnd.nextInt(9999)));
            case 4 -> d.text("SSN " + String.format("%03d-%02d-0000", 1 + rnd.nextInt(665), 1 + rnd.nextInt(99)));
            case 5 -> d.text("sample SSN 078-05-1120 from a wallet insert");
            case 6 -> d.text("ref " + String.format("%03d-%02d-%04d-%02d", 1 + rnd.nextInt(665), 1 + rnd.nextInt(99), 1 + rnd.nextInt(9999), rnd.nextInt(100)));
            case 7 -> d.text("zip " + String.format("%05d-%04d", rnd.nextInt(100000), rnd.nextInt(10000)));
            case 8 -> {
                isolate(d);
                d.text("row id " + String.format("%03d%02d%04d", 1 + rnd.nextInt(665), 1 + rnd.nextInt(99), 1 + rnd.nextInt(9999)));
            }
            case 9 -> {
                isolate(d);
                d.text("parts " + String.format("%03d %02d %04d", 1 + rnd.nextInt(665), 1 + rnd.nextInt(99), 1 + rnd.nextInt(9999)));
            }
            case 10 -> d.text("id x" + String.format("%03d-%02d-%04d", 1 + rnd.nextInt(665), 1 + rnd.nextInt(99), 1 + rnd.nextInt(9999)));
            case 11 -> d.text("card " + formatCard(luhnBreak(cardNumber())));
            case 12 -> d.text("account " + unknownIssuer());
            case 13 -> d.text("order ref " + digits(7 + rnd.nextInt(3)) + cardNumber() + digits(1 + rnd.nextInt(4)) + " shipped"); // > 19 digits
            case 14 -> d.text(".hero { transform: translate(0%, -0." + cardNumber() + "%); }");
            case 15 -> {
                String n = cardNumber();
                d.text("mixed " + n.substring(0, 4) + "-" + n.substring(4, 8) + " " + n.substring(8, 12) + "-" + n.substring(12));
            }
            case 16 -> {
                String n = cardNumber();
                d.text("misgrouped " + n.substring(0, 5) + " " + n.substring(5, 9) + " " + n.substring(9, 13) + " " + n.substring(13));
            }
            case 17 -> d.text("sku " + cardNumber() + "x" + " and ORD-" + cardNumber());
            case 18 -> d.text("trace id " + uuid());
            case 19 -> d.text("ts=" + (1_600_000_000_000L + (long) (rnd.nextDouble() * 1e11)) + " level=info");
            case 20 -> d.text("phone (" + (rnd.nextInt(2)) + digits(2) + ") " + code(false) + "-" + digits(4) + " is not valid");
            case 21 -> d.text("phone " + badNpa() + "-" + code(false) + "-" + digits(4));
            case 22 -> d.text("phone " + code(true) + "-" + badNxx() + "-" + digits(4));
            case 23 -> d.text("phone " + code(true) + "-" + code(false) + "-" + digits(4) + "-" + digits(2) + " ext");
            case 24 -> {
                isolate(d);
                d.text("id " + code(true) + code(false) + digits(4) + " processed");
            }
            case 25 -> d.text("version " + code(true) + "." + code(false) + "." + digits(4) + ".1");
            case 26 -> d.text("<img src=\"icon@2x.png\"> <img srcset=\"logo@3x.webp 3x\">");
            case 27 -> d.text("npm install lodash@4.17.21 left-pad@1.3.0");
            case 28 -> d.text("ssh root@localhost and admin@intranet");
            case 29 -> d.text("@media screen { } @Override public void run()");
            case 30 -> d.text("bad " + FIRST[rnd.nextInt(10)] + "..x@example.com and .x.@example.org");
            case 31 -> d.text("host a@b.c and user@-bad.example.com and user@bad-.example.com");
            case 32 -> d.text("sha1 " + chars(HEX, 40) + " blob " + chars(B64, 64) + "==");
            case 33 -> d.text("index-url = https://deploy:" + chars(B64.substring(0, 62), 12) + "@pypi.example.com/simple");
            case 34 -> d.text("pt +351 21 " + code(true) + " " + code(false) + " " + digits(4) + " and 21 " + code(true) + " " + code(false) + " " + digits(4));
            case 35 -> d.text("git clone https://" + FIRST[rnd.nextInt(10)] + "@git.example.com/repo.git");
            default -> d.text("uk +44 20 7946 0958 and fr +33 1 09 75 83 51");
        }
    }

    private void filler(DocBuilder d) {
        switch (rnd.nextInt(6)) {
            case 0 -> d.text(String.format("2024-%02d-%02dT%02d:%02d:%02d.%03dZ INFO request done status=200 bytes=%d took=%dms ip=10.%d.%d.%d",
                    1 + rnd.nextInt(12), 1 + rnd.nextInt(28), rnd.nextInt(24), rnd.nextInt(60), rnd.nextInt(60), rnd.nextInt(1000),
                    rnd.nextInt(100000), rnd.nextInt(2000), rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)));
            case 1 -> d.text(words(8 + rnd.nextInt(12)));
            case 2 -> d.text("{\"id\": \"" + uuid() + "\", \"qty\": " + rnd.nextInt(50) + ", \"price\": " + rnd.nextInt(500) + "." + digits(2) + "}");
            case 3 -> d.text("commit " + chars(HEX, 40) + " by " + FIRST[rnd.nextInt(10)]);
            case 4 -> d.text("sku-" + chars(KEY_ID_CHARS, 8) + "," + rnd.nextInt(1000) + "," + words(3) + "," + rnd.nextInt(100) + "%");
            default -> d.text("payload " + chars(B64, 60 + rnd.nextInt(80)) + "=");
        }
    }

    /** A neutral line long enough that no keyword before it reaches the next value. */
    private void isolate(DocBuilder d) {
        d.text(words(12)).text("\n");
    }

    private void separation(DocBuilder d) {
        for (int i = 0; i < 5; i++) {
            d.text(words(10)).text("\n");
        }
    }

    // ---------------------------------------------------------------- value generators

    private String keyId() {
        return (rnd.nextBoolean() ? "AKIA" : "ASIA") + chars(KEY_ID_CHARS, 16);
    }

    private String secretKey() {
        return chars(B64, 40);
    }

    /** A random card number of a random scheme with a valid Luhn check digit. */
    String cardNumber() {
        String[][] schemes = {
                {"4", "16"}, {"4", "16"}, {"4", "13"}, {"51", "16"}, {"55", "16"}, {"2221", "16"}, {"2720", "16"},
                {"34", "15"}, {"37", "15"}, {"6011", "16"}, {"65", "16"}, {"644", "16"}, {"36", "14"}, {"3528", "16"},
                {"62", "16"}, {"6759", "16"}, {"2200", "16"}, {"81", "16"}};
        String[] s = schemes[rnd.nextInt(schemes.length)];
        String prefix = s[0];
        if (prefix.equals("2221")) {
            prefix = String.valueOf(2221 + rnd.nextInt(500));
        }
        int len = Integer.parseInt(s[1]);
        String body = prefix + digits(len - prefix.length() - 1);
        return body + luhnDigit(body);
    }

    private String formatCard(String n) {
        int len = n.length();
        int style = rnd.nextInt(3);
        if (style == 0) {
            return n;
        }
        char sep = style == 1 ? ' ' : '-';
        if (len == 15) {
            return n.substring(0, 4) + sep + n.substring(4, 10) + sep + n.substring(10);
        }
        if (len == 14) {
            return n.substring(0, 4) + sep + n.substring(4, 10) + sep + n.substring(10);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i += 4) {
            if (i > 0) {
                sb.append(sep);
            }
            sb.append(n, i, Math.min(len, i + 4));
        }
        return sb.toString();
    }

    private static String luhnBreak(String n) {
        int last = n.charAt(n.length() - 1) - '0';
        return n.substring(0, n.length() - 1) + (char) ('0' + (last + 1) % 10); // one changed digit always fails Luhn
    }

    /** A Luhn-valid 16-digit number whose prefix no scheme uses. */
    private String unknownIssuer() {
        String[] prefixes = {"1", "7", "9", "0", "80", "83", "89"};
        String body = prefixes[rnd.nextInt(prefixes.length)];
        body = body + digits(15 - body.length());
        return body + luhnDigit(body);
    }

    static char luhnDigit(String body) {
        int sum = 0;
        boolean dbl = true;
        for (int i = body.length() - 1; i >= 0; i--) {
            int x = body.charAt(i) - '0';
            if (dbl) {
                x *= 2;
                if (x > 9) {
                    x -= 9;
                }
            }
            sum += x;
            dbl = !dbl;
        }
        return (char) ('0' + (10 - sum % 10) % 10);
    }

    /** A valid NANP area code (npa) or central office code. */
    private String code(boolean npa) {
        while (true) {
            int a = 2 + rnd.nextInt(8);
            int b = rnd.nextInt(10);
            int c = rnd.nextInt(10);
            if ((b == 1 && c == 1) || (npa && b == 9)) {
                continue;
            }
            return "" + a + b + c;
        }
    }

    private String badNpa() {
        return switch (rnd.nextInt(4)) {
            case 0 -> "0" + digits(2);
            case 1 -> "1" + digits(2);
            case 2 -> (2 + rnd.nextInt(8)) + "11";
            default -> (2 + rnd.nextInt(8)) + "9" + rnd.nextInt(10);
        };
    }

    private String badNxx() {
        return switch (rnd.nextInt(3)) {
            case 0 -> "0" + digits(2);
            case 1 -> "1" + digits(2);
            default -> (2 + rnd.nextInt(8)) + "11";
        };
    }

    private String uuid() {
        return chars(HEX, 8) + "-" + chars(HEX, 4) + "-4" + chars(HEX, 3) + "-8" + chars(HEX, 3) + "-" + chars(HEX, 12);
    }

    private String digits(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + rnd.nextInt(10)));
        }
        return sb.toString();
    }

    private String chars(String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private String camelWord(int n) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < n) {
            String w = WORDS[rnd.nextInt(19)];
            sb.append(Character.toUpperCase(w.charAt(0))).append(w, 1, w.length());
        }
        return sb.substring(0, n);
    }

    private String words(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(WORDS[rnd.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- cases 19 and 20

    /** Case 19: labels from expected.csv, at the offsets of the values named there. */
    static Doc case19() {
        byte[] content = resource("/cases/19-card-and-phone-token-boundaries/sample.txt");
        String text = new String(content, StandardCharsets.US_ASCII);
        List<Label> labels = new ArrayList<>();
        for (String v : List.of("4111 1111 1111 1111", "5555-5555-5555-4444", "2223003122003222")) {
            labels.add(new Label(DetectorId.CREDIT_CARD, text.indexOf(v), v));
        }
        for (String v : List.of("(212) 555-0147", "212.555.0199")) {
            labels.add(new Label(DetectorId.US_PHONE, text.indexOf(v), v));
        }
        return new Doc("case-19", content, labels);
    }

    /** Case 20: the two SSNs of expected.csv, and the phone number on line 11 (a valid phone). */
    static Doc case20() {
        byte[] content = resource("/cases/20-ssn-validity/sample.txt");
        String text = new String(content, StandardCharsets.US_ASCII);
        List<Label> labels = new ArrayList<>();
        labels.add(new Label(DetectorId.US_SSN, text.indexOf("219-48-3306"), "219-48-3306"));
        labels.add(new Label(DetectorId.US_SSN, text.indexOf("number: 219483306") + 8, "219483306"));
        labels.add(new Label(DetectorId.US_PHONE, text.indexOf("212-555-0147"), "212-555-0147"));
        return new Doc("case-20", content, labels);
    }

    static byte[] resource(String path) {
        try (InputStream in = LabeledCorpus.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Appends UTF-8 text and labeled values, tracking byte offsets. */
    static final class DocBuilder {
        private final String name;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final List<Label> labels = new ArrayList<>();

        DocBuilder(String name) {
            this.name = name;
        }

        DocBuilder text(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        DocBuilder value(String detector, String v) {
            labels.add(new Label(detector, out.size(), v));
            return text(v);
        }

        Doc build() {
            return new Doc(name, out.toByteArray(), List.copyOf(labels));
        }
    }
}
