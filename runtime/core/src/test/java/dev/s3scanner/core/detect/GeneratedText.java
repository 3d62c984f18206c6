package dev.s3scanner.core.detect;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Generated test content: filler text with values planted at exact byte offsets. */
final class GeneratedText {
    static final byte[] FILLER = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] LOG_FILLER = ("2024-01-15T10:23:45.123Z INFO GET /api/v1/orders/93 status=200 bytes=4812 took=12ms "
            + "trace=5d0c6f3e-0000-4000-8212-9a4f1c2e7b10 user=u_8812 lorem ipsum dolor sit amet\n").getBytes(StandardCharsets.US_ASCII);

    private GeneratedText() {
    }

    /** {@code size} bytes of filler with {@code " " + value + " "} placed so that the value starts at {@code offset}. */
    static byte[] withValueAt(int size, int offset, String value) {
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = FILLER[i % FILLER.length];
        }
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        out[offset - 1] = ' ';
        System.arraycopy(v, 0, out, offset, v.length);
        out[offset + v.length] = ' ';
        return out;
    }

    /**
     * Java port of {@code cases/10-huge-object-streaming/gen_boundary_file.py}: a card straddling
     * 8 KiB, an email straddling 64 KiB and an SSN straddling 1 MiB, in {@code total} bytes.
     */
    static byte[] boundaryFile(int total) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(total);
        Object[][] plants = {
                {8 * 1024, " card 4111 1111 1111 1111 "},
                {64 * 1024, " email help.desk@example.com "},
                {1 << 20, " ssn 219-48-3306 "}};
        int pos = 0;
        for (Object[] p : plants) {
            byte[] value = ((String) p[1]).getBytes(StandardCharsets.US_ASCII);
            int start = (Integer) p[0] - value.length / 2;
            while (pos < start) {
                int n = Math.min(FILLER.length, start - pos);
                out.write(FILLER, 0, n);
                pos += n;
            }
            out.write(value, 0, value.length);
            pos += value.length;
        }
        while (pos < total) {
            int n = Math.min(FILLER.length, total - pos);
            out.write(FILLER, 0, n);
            pos += n;
        }
        return out.toByteArray();
    }

    /**
     * A stream of {@code total} bytes of log-like filler, generated as it is read (nothing is held but
     * one filler line), with values planted at fixed offsets: {@code plants} maps the offset of a
     * value to the value, written as {@code " [value] "} so the filler around it cannot extend it.
     */
    static InputStream stream(long total, Map<Long, String> plants) {
        TreeMap<Long, byte[]> bytes = new TreeMap<>();
        plants.forEach((k, v) -> bytes.put(k - 2, (" [" + v + "] ").getBytes(StandardCharsets.US_ASCII)));
        return new InputStream() {
            private long pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= total) {
                    return -1;
                }
                int n = (int) Math.min(len, total - pos);
                for (int i = 0; i < n; ) {
                    int f = (int) ((pos + i) % LOG_FILLER.length);
                    int k = Math.min(n - i, LOG_FILLER.length - f);
                    System.arraycopy(LOG_FILLER, f, b, off + i, k);
                    i += k;
                }
                for (Map.Entry<Long, byte[]> e : bytes.subMap(pos - 64, pos + n).entrySet()) {
                    byte[] v = e.getValue();
                    for (int j = 0; j < v.length; j++) {
                        long at = e.getKey() + j;
                        if (at >= pos && at < pos + n) {
                            b[off + (int) (at - pos)] = v[j];
                        }
                    }
                }
                pos += n;
                return n;
            }
        };
    }

    static byte[] repeat(byte[] unit, int times) {
        byte[] out = new byte[unit.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(unit, 0, out, i * unit.length, unit.length);
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }
}
