package dev.s3scanner.lister.api;

import java.util.regex.Pattern;

/**
 * S3 bucket naming rules, as the API checks a {@code bucket} before it creates a job.
 *
 * <p>Source: Amazon S3 User Guide, "General purpose bucket naming rules"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html): 3–63
 * characters; only lower-case letters, digits, dots and hyphens; begins and ends with a letter or
 * digit; no two adjacent dots; not formatted as an IP address; does not start with {@code xn--},
 * {@code sthree-} or {@code amzn-s3-demo-}; does not end with {@code .mrap} (Multi-Region Access
 * Point names, which are not usable where a bucket name is).
 *
 * <p>Names with the suffixes reserved for aliases ({@code -s3alias} for access point aliases,
 * {@code --ol-s3} for Object Lambda access point aliases) and for directory buckets
 * ({@code --x-s3}) are accepted: S3 takes such an alias or directory bucket wherever ListObjectsV2
 * and GetObject take a bucket name. Buckets created in us-east-1 before 1 March 2018 may have
 * upper-case letters or underscores; they are rejected here (the rules above).
 */
public final class BucketNames {
    private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private BucketNames() {
    }

    /**
     * What is wrong with {@code name} as a bucket name, or {@code null} when it is valid.
     *
     * @param name the name as given
     * @return the rule it breaks, as a sentence fragment for a message
     */
    public static String problem(String name) {
        if (name.length() < 3 || name.length() > 63) {
            return "must be 3 to 63 characters long";
        }
        if (!SHAPE.matcher(name).matches()) {
            return "may contain only lower-case letters, digits, dots and hyphens, and must begin and end with a letter or digit";
        }
        if (name.contains("..")) {
            return "must not contain two adjacent dots";
        }
        if (IP_ADDRESS.matcher(name).matches()) {
            return "must not be formatted as an IP address";
        }
        for (String prefix : new String[] {"xn--", "sthree-", "amzn-s3-demo-"}) {
            if (name.startsWith(prefix)) {
                return "must not start with the reserved prefix '" + prefix + "'";
            }
        }
        if (name.endsWith(".mrap")) {
            return "must not end with '.mrap' (a Multi-Region Access Point name, not a bucket)";
        }
        return null;
    }

    /**
     * Checks a bucket name.
     *
     * @param field the field, for the message
     * @param name  the name
     * @throws ApiException ({@link ErrorCode#INVALID_BUCKET_NAME}) when it breaks a rule
     */
    public static void check(String field, String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new ApiException(ErrorCode.INVALID_BUCKET_NAME, "'" + name + "' is not a valid S3 bucket name: the "
                    + field + " " + problem);
        }
    }
}
