package dev.s3scanner.lister.api;

import dev.s3scanner.core.config.ConfigException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The buckets a deployment may scan, from {@code SCANNER_ALLOWED_BUCKETS}: a comma-separated list
 * of bucket names, or {@code *} for any bucket.
 */
public final class AllowedBuckets {
    /** Environment variable. */
    public static final String ENV = "SCANNER_ALLOWED_BUCKETS";

    private final boolean any;
    private final Set<String> names;

    private AllowedBuckets(boolean any, Set<String> names) {
        this.any = any;
        this.names = Set.copyOf(names);
    }

    /** Any bucket. */
    public static AllowedBuckets any() {
        return new AllowedBuckets(true, Set.of());
    }

    /**
     * Parses the setting.
     *
     * @param value {@code *} or {@code name[,name...]} (blanks around names are ignored)
     * @throws ConfigException when it is empty or names an invalid bucket
     */
    public static AllowedBuckets parse(String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(ENV + " must be '*' or a comma-separated list of bucket names, was empty");
        }
        if (value.trim().equals("*")) {
            return any();
        }
        Set<String> names = new LinkedHashSet<>();
        for (String part : value.split(",", -1)) {
            String name = part.trim();
            String problem = BucketNames.problem(name);
            if (problem != null) {
                throw new ConfigException(ENV + " names '" + name + "', which is not a valid bucket name: it " + problem);
            }
            names.add(name);
        }
        return new AllowedBuckets(false, names);
    }

    /** Whether {@code bucket} may be scanned. */
    public boolean allows(String bucket) {
        return any || names.contains(bucket);
    }

    @Override
    public String toString() {
        return any ? "*" : String.join(",", names);
    }
}
