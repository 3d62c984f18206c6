package dev.s3scanner.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.s3scanner.core.config.ConfigException;
import dev.s3scanner.core.config.DatabaseSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;

/**
 * Builds the HikariCP pool every runtime component uses.
 *
 * <p>The pool is configured so that it never pins an RDS Proxy session (see the RDS Proxy user
 * guide, "Avoiding pinning"): no {@code connectionInitSql}, no transaction isolation or other
 * session characteristics set by the pool, and pgjdbc's {@code prepareThreshold=0} so that no
 * named server-side prepared statement is created. Session settings belong in the proxy's
 * initialization query or in {@code ALTER ROLE … SET}. pgjdbc's {@code assumeMinServerVersion} is set
 * so that the driver's own connection settings ({@code application_name}) travel in the startup
 * message instead of as {@code SET} statements.
 */
public final class DataSources {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DataSources() {
    }

    /**
     * Creates a pool.
     *
     * @param settings        where the database is
     * @param maxPoolSize     maximum connections (1 for a Lambda function, the worker's thread count for a worker)
     * @param applicationName shown in {@code pg_stat_activity.application_name}
     * @param secretReader    returns a secret's string value by ARN; used only when {@code settings.usesSecret()}
     * @return a started pool; connections are opened lazily (minimum idle 0), so creating it does no I/O
     * @throws ConfigException when the secret is not RDS-shaped JSON
     */
    public static HikariDataSource create(DatabaseSettings settings, int maxPoolSize, String applicationName,
                                          Function<String, String> secretReader) {
        return create(settings, maxPoolSize, applicationName, secretReader, Duration.ofSeconds(10), null);
    }

    /**
     * Creates a pool with explicit timeouts, for callers that must answer within a deadline (the
     * API function behind API Gateway's 29-second integration timeout).
     *
     * @param settings        where the database is
     * @param maxPoolSize     maximum connections
     * @param applicationName shown in {@code pg_stat_activity.application_name}
     * @param secretReader    returns a secret's string value by ARN; used only when {@code settings.usesSecret()}
     * @param connectTimeout  the longest to wait for a connection: pgjdbc's {@code connectTimeout}
     *                        (TCP connect and start-up, whole seconds, at least 1) and the pool's
     *                        {@code connectionTimeout}
     * @param socketTimeout   pgjdbc's {@code socketTimeout}: the longest a read from the server may
     *                        block (whole seconds), or {@code null} for none
     * @return a started pool that has opened no connection yet
     * @throws ConfigException when the secret is not RDS-shaped JSON
     */
    public static HikariDataSource create(DatabaseSettings settings, int maxPoolSize, String applicationName,
                                          Function<String, String> secretReader, Duration connectTimeout,
                                          Duration socketTimeout) {
        HikariConfig config = new HikariConfig();
        if (settings.usesSecret()) {
            JsonNode secret = parseSecret(secretReader.apply(settings.secretArn()), settings.secretArn());
            String host = settings.hostOverride() != null ? settings.hostOverride() : text(secret, "host", settings.secretArn());
            int port = secret.hasNonNull("port") && settings.hostOverride() == null ? secret.get("port").asInt() : settings.port();
            String db = secret.hasNonNull("dbname") ? secret.get("dbname").asText() : settings.database();
            config.setJdbcUrl("jdbc:postgresql://" + host + ":" + port + "/" + db + "?sslmode=require");
            config.setUsername(text(secret, "username", settings.secretArn()));
            config.setPassword(text(secret, "password", settings.secretArn()));
        } else {
            config.setJdbcUrl(settings.jdbcUrl());
            if (settings.user() != null) {
                config.setUsername(settings.user());
            }
            if (settings.password() != null) {
                config.setPassword(settings.password());
            }
        }
        config.addDataSourceProperty("prepareThreshold", "0");
        // pgjdbc sends "SET application_name = ..." (and, for old servers, "SET extra_float_digits")
        // after connecting unless it may assume a 9.0+ server; then they go into the startup message,
        // which RDS Proxy does not pin on. The scanner needs PostgreSQL 14+ anyway.
        config.addDataSourceProperty("assumeMinServerVersion", "14");
        config.addDataSourceProperty("ApplicationName", applicationName);
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.setPoolName(applicationName);
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(0);
        config.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
        if (socketTimeout != null) {
            config.addDataSourceProperty("socketTimeout", Long.toString(Math.max(1, socketTimeout.toSeconds())));
        }
        config.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
        config.setInitializationFailTimeout(-1);
        config.setIdleTimeout(Duration.ofMinutes(2).toMillis());
        config.setMaxLifetime(Duration.ofMinutes(14).toMillis());
        return new HikariDataSource(config);
    }

    private static JsonNode parseSecret(String value, String arn) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new ConfigException("secret " + arn + " is not JSON with username and password");
        }
    }

    private static String text(JsonNode secret, String field, String arn) {
        JsonNode v = secret.get(field);
        if (v == null || v.asText().isBlank()) {
            throw new ConfigException("secret " + arn + " has no '" + field + "'");
        }
        return v.asText();
    }
}
