package dev.s3scanner.lister.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request's query string, decoded exactly once: {@code %XX} escapes and {@code +} for a space
 * (the {@code application/x-www-form-urlencoded} rule most HTTP clients follow), then UTF-8.
 * A literal {@code +} must therefore be sent as {@code %2B}. Each parameter may appear once.
 */
final class QueryParameters {
    private final Map<String, String> values;

    private QueryParameters(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses a raw query string (without {@code ?}).
     *
     * @param raw   the raw query, {@code null} or {@code ""} for none
     * @param known the parameters the endpoint takes
     * @throws ApiException ({@link ErrorCode#INVALID_QUERY_PARAMETER}) for an unknown or repeated
     *                      parameter, a malformed escape, or text that is not UTF-8
     */
    static QueryParameters parse(String raw, Set<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq), "a query parameter name");
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "query parameter '" + shorten(name) + "'");
                if (!known.contains(name)) {
                    throw new ApiException(ErrorCode.INVALID_QUERY_PARAMETER, "unknown query parameter '" + shorten(name) + "'"
                            + (known.isEmpty() ? "; this endpoint takes none" : "; known: " + String.join(", ", new TreeSet<>(known))));
                }
                if (values.put(name, value) != null) {
                    throw new ApiException(ErrorCode.INVALID_QUERY_PARAMETER, "query parameter '" + name
                            + "' is given more than once");
                }
                String problem = Text.problem(value);
                if (problem != null) {
                    throw new ApiException(ErrorCode.INVALID_QUERY_PARAMETER, "query parameter '" + name + "' " + problem);
                }
            }
        }
        return new QueryParameters(values);
    }

    /** A parameter's decoded value, or {@code null} when absent. An empty value counts as absent. */
    String get(String name) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    private static String decode(String s, String what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw new ApiException(ErrorCode.INVALID_QUERY_PARAMETER, what
                            + " has a malformed percent-escape: '%' must be followed by two hexadecimal digits (send '%' as %25)");
                }
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(ErrorCode.INVALID_QUERY_PARAMETER, what + " is not UTF-8 once percent-decoded");
        }
    }

    /** A name cut to 64 characters for messages. */
    static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
