package dev.s3scanner.core.detect;

/**
 * A validated match inside a text window, before it becomes a {@link Finding}.
 *
 * @param detector detector id
 * @param start    index of the first character in the window
 * @param end      index one past the last character
 * @param masked   the masked form of the value
 */
public record Match(String detector, int start, int end, String masked) {
}
