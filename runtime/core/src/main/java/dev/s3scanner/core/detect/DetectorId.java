package dev.s3scanner.core.detect;

/** Ids of the built-in detectors, as stored in {@code findings.detector}. */
public final class DetectorId {
    /** US Social Security number (SSA's validity rules). */
    public static final String US_SSN = "us_ssn";
    /** Payment card number (Luhn, length and issuer prefix). */
    public static final String CREDIT_CARD = "credit_card";
    /** AWS access key id ({@code AKIA…}, {@code ASIA…}, 20 characters). */
    public static final String AWS_ACCESS_KEY_ID = "aws_access_key_id";
    /** AWS secret access key (40 characters next to a keyword or a key id). */
    public static final String AWS_SECRET_ACCESS_KEY = "aws_secret_access_key";
    /** Email address. */
    public static final String EMAIL = "email";
    /** US phone number (NANP). */
    public static final String US_PHONE = "us_phone";

    private DetectorId() {
    }
}
