package dev.s3scanner.lister.api;

/**
 * Checks on text that comes from a request before it reaches the database or S3: no NUL
 * character (PostgreSQL {@code text} cannot hold U+0000) and well-formed UTF-16 (no lone
 * surrogate, which has no UTF-8 encoding and would be stored as {@code ?}).
 */
final class Text {
    private Text() {
    }

    /**
     * @param path  the field or parameter, for the message
     * @param value the text
     * @return {@code value}
     * @throws ApiException ({@link ErrorCode#INVALID_FIELD}) when it holds U+0000 or a lone surrogate
     */
    static String check(String path, String value) {
        String problem = problem(value);
        if (problem != null) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "field '" + path + "' " + problem);
        }
        return value;
    }

    /** What is wrong with {@code value}, or {@code null}. */
    static String problem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return "must not contain the NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "must be valid Unicode: it has a lone surrogate at character " + i;
            }
            if (Character.isLowSurrogate(c)) {
                return "must be valid Unicode: it has a lone surrogate at character " + i;
            }
        }
        return null;
    }
}
