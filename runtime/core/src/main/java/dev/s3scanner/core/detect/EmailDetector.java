package dev.s3scanner.core.detect;

import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Email addresses in the common (RFC 5321 dot-atom) form: a local part of at most 64 characters
 * and a domain of labels ending in an alphabetic top-level domain. Retina-style file names such as
 * {@code icon@2x.png}, whose "domain" ends in a file extension, are not addresses.
 */
public final class EmailDetector implements Detector {
    private static final Pattern PATTERN = Pattern.compile(
            "(?<![A-Za-z0-9._%+\\-])[A-Za-z0-9_%+\\-](?:[A-Za-z0-9._%+\\-]{0,62}[A-Za-z0-9_%+\\-])?"
                    + "@(?:[A-Za-z0-9](?:[A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?\\.)+([A-Za-z]{2,24})(?![A-Za-z0-9\\-]|\\.[A-Za-z0-9])");
    private static final Set<String> FILE_EXTENSIONS = Set.of(
            "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "tif", "tiff", "css", "js", "ts",
            "map", "json", "txt", "html", "htm", "xml", "pdf", "zip", "gz", "tar", "mp4", "mp3", "woff", "woff2", "ttf");

    @Override
    public String id() {
        return DetectorId.EMAIL;
    }

    @Override
    public void find(String text, int from, int to, Consumer<Match> sink) {
        Matcher m = PATTERN.matcher(text).region(from, text.length());
        m.useTransparentBounds(true).useAnchoringBounds(false);
        while (m.find() && m.start() < to) {
            String v = m.group();
            if (v.contains("..") || FILE_EXTENSIONS.contains(m.group(1).toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            sink.accept(new Match(id(), m.start(), m.end(), Masking.email(v)));
        }
    }
}
