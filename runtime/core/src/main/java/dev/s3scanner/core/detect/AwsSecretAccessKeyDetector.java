package dev.s3scanner.core.detect;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AWS secret access keys: exactly 40 characters of {@code [A-Za-z0-9/+]}, not inside a longer
 * token, with a keyword ({@code aws_secret_access_key}, {@code SecretAccessKey}, {@code secret key}…)
 * or an AWS access key id within 200 characters before it. Values that are all hex (SHA-1
 * hashes), all letters or all digits are ignored.
 */
public final class AwsSecretAccessKeyDetector implements Detector {
    private static final Pattern CANDIDATE = Pattern.compile("(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])");
    private static final Pattern KEYWORD = Pattern.compile(
            "(?i)(aws.{0,20}secret|secret.?access.?key|secretkey|secret_key|aws_secret|secret.{0,10}key)");
    private static final int WINDOW = 200;

    @Override
    public String id() {
        return DetectorId.AWS_SECRET_ACCESS_KEY;
    }

    @Override
    public void find(String text, int from, int to, Consumer<Match> sink) {
        Matcher m = CANDIDATE.matcher(text).region(from, text.length());
        m.useTransparentBounds(true).useAnchoringBounds(false);
        while (m.find() && m.start() < to) {
            String v = m.group();
            if (mixed(v) && nearbyEvidence(text, m.start())) {
                sink.accept(new Match(id(), m.start(), m.end(), Masking.keepEnds(v, 0, 4)));
            }
        }
    }

    private static boolean mixed(String v) {
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        boolean nonHex = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
            digit |= c >= '0' && c <= '9';
            nonHex |= !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
        }
        int classes = (upper ? 1 : 0) + (lower ? 1 : 0) + (digit ? 1 : 0);
        return nonHex && classes >= 2;
    }

    private static boolean nearbyEvidence(String text, int start) {
        int from = Math.max(0, start - WINDOW);
        return KEYWORD.matcher(text).region(from, start).find()
                || AwsAccessKeyIdDetector.PATTERN.matcher(text).region(from, start).find();
    }
}
