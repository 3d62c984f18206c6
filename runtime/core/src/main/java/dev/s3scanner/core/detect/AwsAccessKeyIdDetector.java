package dev.s3scanner.core.detect;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AWS access key ids: a documented four-letter prefix followed by 16 upper-case letters or digits,
 * 20 characters in all, not inside a longer token. Prefixes from the IAM User Guide,
 * <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids">unique identifiers</a>:
 * {@code AKIA} (access key), {@code ASIA} (temporary STS key), and the other key-like prefixes.
 */
public final class AwsAccessKeyIdDetector implements Detector {
    static final Pattern PATTERN = Pattern.compile(
            "(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])");

    @Override
    public String id() {
        return DetectorId.AWS_ACCESS_KEY_ID;
    }

    @Override
    public void find(String text, int from, int to, Consumer<Match> sink) {
        Matcher m = PATTERN.matcher(text).region(from, text.length());
        m.useTransparentBounds(true).useAnchoringBounds(false);
        while (m.find() && m.start() < to) {
            sink.accept(new Match(id(), m.start(), m.end(), Masking.keepEnds(m.group(), 4, 4)));
        }
    }
}
