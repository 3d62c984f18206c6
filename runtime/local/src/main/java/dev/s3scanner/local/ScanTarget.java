package dev.s3scanner.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What {@code scanner scan} was asked to scan: a local folder (served as a bucket by the
 * in-process S3 server) or an {@code s3://bucket/prefix} URI.
 *
 * @param folder the folder, or {@code null} for an S3 URI
 * @param bucket the bucket name (the folder's name for a folder)
 * @param prefix the key prefix, taken as given (never URL-decoded), {@code ""} for all
 */
public record ScanTarget(Path folder, String bucket, String prefix) {
    /** S3 bucket naming rules (general purpose buckets): 3–63 chars, lower case, digits, dots, hyphens. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    /**
     * Parses the command's argument.
     *
     * @throws UserException when it is neither an existing folder nor a valid S3 URI
     */
    public static ScanTarget parse(String arg) {
        if (arg.startsWith("s3://")) {
            String rest = arg.substring(5);
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
                throw new UserException(2, "not a valid S3 bucket name in '" + arg
                        + "': use 3-63 lower-case letters, digits, dots or hyphens");
            }
            if (prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 1024) {
                throw new UserException(2, "the prefix in '" + arg + "' is longer than S3's 1,024-byte key limit");
            }
            return new ScanTarget(null, bucket, prefix);
        }
        if (arg.contains("://")) {
            throw new UserException(2, "not a folder or an s3:// URI: " + arg);
        }
        Path folder = Path.of(arg).toAbsolutePath().normalize();
        if (!Files.exists(folder)) {
            throw new UserException(2, "folder not found: " + arg);
        }
        if (!Files.isDirectory(folder)) {
            throw new UserException(2, "not a folder: " + arg + " (scan the folder that contains it)");
        }
        if (folder.getParent() == null) {
            throw new UserException(2, "cannot serve the root folder as a bucket: " + arg);
        }
        return new ScanTarget(folder, folder.getFileName().toString(), "");
    }

    /** Whether this is a local folder. */
    public boolean isFolder() {
        return folder != null;
    }

    /** How the target is shown to the user. */
    public String display() {
        return isFolder() ? folder.toString() : "s3://" + bucket + "/" + prefix;
    }
}
