package dev.s3scanner.core.config;

/** A setting is missing or invalid. Thrown at start-up so that a bad deployment fails fast. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
