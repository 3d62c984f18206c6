package dev.s3scanner.core.config;

import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the scanner's PostgreSQL database: either a JDBC URL with user and password
 * (local runner, tests), or an AWS Secrets Manager secret in RDS's JSON shape plus an optional
 * host override (the RDS Proxy endpoint).
 *
 * @param jdbcUrl     full JDBC URL, or {@code null} when the secret is used
 * @param user        user for {@code jdbcUrl}, may be {@code null} when the URL carries it
 * @param password    password for {@code jdbcUrl}, may be {@code null}
 * @param secretArn   ARN of the Secrets Manager secret, or {@code null}
 * @param hostOverride host to connect to instead of the secret's, or {@code null}
 * @param port        port when the secret is used
 * @param database    database name when the secret does not give one
 */
public record DatabaseSettings(String jdbcUrl, String user, String password, String secretArn,
                               String hostOverride, int port, String database) {

    /** Environment variable: JDBC URL. */
    public static final String JDBC_URL = "SCANNER_JDBC_URL";
    /** Environment variable: user for the JDBC URL. */
    public static final String DB_USER = "SCANNER_DB_USER";
    /** Environment variable: password for the JDBC URL. */
    public static final String DB_PASSWORD = "SCANNER_DB_PASSWORD";
    /** Environment variable: Secrets Manager secret ARN. */
    public static final String DB_SECRET_ARN = "SCANNER_DB_SECRET_ARN";
    /** Environment variable: host (RDS Proxy endpoint). */
    public static final String DB_HOST = "SCANNER_DB_HOST";
    /** Environment variable: port, default 5432. */
    public static final String DB_PORT = "SCANNER_DB_PORT";
    /** Environment variable: database name, default {@code scanner}. */
    public static final String DB_NAME = "SCANNER_DB_NAME";

    public DatabaseSettings {
        if ((jdbcUrl == null) == (secretArn == null)) {
            throw new ConfigException("set exactly one of " + JDBC_URL + " and " + DB_SECRET_ARN);
        }
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigException(JDBC_URL + " must start with jdbc:postgresql:, was '" + jdbcUrl + "'");
        }
    }

    /** Settings for a JDBC URL (user and password may be {@code null}). */
    public static DatabaseSettings ofJdbcUrl(String jdbcUrl, String user, String password) {
        return new DatabaseSettings(Objects.requireNonNull(jdbcUrl, "jdbcUrl"), user, password, null, null, 5432, "scanner");
    }

    /**
     * Reads the settings from the environment.
     *
     * @throws ConfigException when neither or both of {@code SCANNER_JDBC_URL} and
     *                         {@code SCANNER_DB_SECRET_ARN} are set, or a value is invalid
     */
    public static DatabaseSettings fromEnv(Env env) {
        Optional<String> url = env.optional(JDBC_URL);
        Optional<String> secret = env.optional(DB_SECRET_ARN);
        return new DatabaseSettings(url.orElse(null), env.optional(DB_USER).orElse(null),
                env.optional(DB_PASSWORD).orElse(null), secret.orElse(null), env.optional(DB_HOST).orElse(null),
                env.intValue(DB_PORT, 5432, 1, 65535), env.optional(DB_NAME).orElse("scanner"));
    }

    /** Whether the credentials come from Secrets Manager. */
    public boolean usesSecret() {
        return secretArn != null;
    }

    @Override
    public String toString() {
        // never print the password
        return "DatabaseSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", secretArn=" + secretArn
                + ", host=" + hostOverride + ", port=" + port + ", database=" + database + "]";
    }
}
