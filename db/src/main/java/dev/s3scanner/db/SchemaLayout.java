package dev.s3scanner.db;

import java.util.Locale;

/**
 * How {@code job_objects} and {@code findings} are stored. The same queries work on both layouts;
 * only the physical storage differs.
 *
 * <p>Chosen per deployment: the {@code large} and {@code enterprise} tiers pass
 * {@code SCANNER_PARTITIONED=true} to the migration function, the others leave it unset.
 */
public enum SchemaLayout {
    /** One table each for {@code job_objects} and {@code findings} (tiers {@code small}, {@code medium}). */
    UNPARTITIONED,
    /**
     * {@code job_objects} and {@code findings} are partitioned by {@code LIST (job_id)}: one partition per
     * job, created with the job (tiers {@code large}, {@code enterprise}). A job's rows are then a table of
     * their own, so its indexes stay as small as the job, vacuum leaves finished jobs alone and removing a
     * job's rows is a {@code DROP TABLE} rather than a bulk {@code DELETE}.
     */
    PARTITIONED;

    /** The environment variable the migration function reads. */
    public static final String ENV = "SCANNER_PARTITIONED";

    /**
     * Parses the {@code SCANNER_PARTITIONED} setting.
     *
     * @param value {@code "true"} or {@code "false"} (any case, surrounding blanks ignored); {@code null} or
     *              blank means {@code false}
     * @return {@link #PARTITIONED} for true, {@link #UNPARTITIONED} for false
     * @throws IllegalArgumentException when the value is anything else, e.g.
     *                                  {@code SCANNER_PARTITIONED must be true or false, was 'yes'}
     */
    public static SchemaLayout fromSetting(String value) {
        if (value == null || value.isBlank()) {
            return UNPARTITIONED;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> PARTITIONED;
            case "false" -> UNPARTITIONED;
            default -> throw new IllegalArgumentException(ENV + " must be true or false, was '" + value + "'");
        };
    }

    /** The value of the migrations' {@code ${partitioned}} placeholder: {@code "true"} or {@code "false"}. */
    public String placeholderValue() {
        return this == PARTITIONED ? "true" : "false";
    }
}
