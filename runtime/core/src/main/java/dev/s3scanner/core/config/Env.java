package dev.s3scanner.core.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed, checked access to environment variables. Every getter names the variable in its error,
 * so a misconfigured function or task fails at start-up with one readable line.
 */
public final class Env {
    private final Map<String, String> values;

    private Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The process environment. */
    public static Env system() {
        return new Env(System.getenv());
    }

    /** A fixed set of values (tests, the local runner). */
    public static Env of(Map<String, String> values) {
        return new Env(Objects.requireNonNull(values, "values"));
    }

    /** The value, or empty when unset or blank. */
    public Optional<String> optional(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /**
     * @throws ConfigException when the variable is unset or blank
     */
    public String required(String name) {
        return optional(name).orElseThrow(() -> new ConfigException(name + " is not set"));
    }

    /**
     * An integer in {@code [min, max]}, or {@code defaultValue} when unset.
     *
     * @throws ConfigException when the value is not an integer or out of range
     */
    public int intValue(String name, int defaultValue, int min, int max) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be an integer, was '" + v.get() + "'");
        }
        if (parsed < min || parsed > max) {
            throw new ConfigException(name + " must be between " + min + " and " + max + ", was " + parsed);
        }
        return parsed;
    }

    /**
     * A long in {@code [min, max]}, or {@code defaultValue} when unset.
     *
     * @throws ConfigException when the value is not an integer or out of range
     */
    public long longValue(String name, long defaultValue, long min, long max) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(v.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be an integer, was '" + v.get() + "'");
        }
        if (parsed < min || parsed > max) {
            throw new ConfigException(name + " must be between " + min + " and " + max + ", was " + parsed);
        }
        return parsed;
    }

    /**
     * {@code true}/{@code false} (case-insensitive), or {@code defaultValue} when unset.
     *
     * @throws ConfigException for any other value
     */
    public boolean booleanValue(String name, boolean defaultValue) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        if (v.get().equalsIgnoreCase("true")) {
            return true;
        }
        if (v.get().equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigException(name + " must be true or false, was '" + v.get() + "'");
    }
}
