package dev.s3scanner.local.plan;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the quantities {@code scanner plan} takes and shows: counts, sizes, money, time. */
public final class Quantities {
    private static final Pattern COUNT = Pattern.compile("(?i)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kmb])?\\s*");
    private static final Pattern SIZE = Pattern.compile("(?i)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?\\s*");

    private Quantities() {
    }

    /**
     * Parses a count such as {@code 1M}, {@code 50M}, {@code 2.5B}, {@code 10000} (K = 1,000, M =
     * 1,000,000, B = 1,000,000,000).
     *
     * @throws IllegalArgumentException for anything else, or a count below 1
     */
    public static long parseCount(String s) {
        Matcher m = COUNT.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a count: '" + s + "' (examples: 1M, 50M, 250000)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        long factor = switch (unit) {
            case "k" -> 1_000L;
            case "m" -> 1_000_000L;
            case "b" -> 1_000_000_000L;
            default -> 1L;
        };
        long n = Math.round(v * factor);
        if (n < 1) {
            throw new IllegalArgumentException("the count must be at least 1, was '" + s + "'");
        }
        return n;
    }

    /**
     * Parses a size such as {@code 100KB}, {@code 2.5MB}, {@code 1GiB}, {@code 512} (bytes). KB, MB,
     * GB, TB are decimal (1 KB = 1,000 bytes, as S3 and AWS pricing count); KiB, MiB, GiB, TiB are binary.
     *
     * @throws IllegalArgumentException for anything else, or a size below 1 byte
     */
    public static long parseSize(String s) {
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: '" + s + "' (examples: 100KB, 2MB, 1GiB)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long factor = switch (unit) {
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "tib" -> 1L << 40;
            default -> 1L;
        };
        long n = Math.round(v * factor);
        if (n < 1) {
            throw new IllegalArgumentException("the size must be at least 1 byte, was '" + s + "'");
        }
        return n;
    }

    /** {@code 1234567} as {@code 1,234,567}. */
    public static String count(double n) {
        return String.format(Locale.ROOT, "%,.0f", n);
    }

    /** Bytes in decimal units: {@code 5.00 TB}. */
    public static String bytes(double b) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        int i = 0;
        while (b >= 1000 && i < units.length - 1) {
            b /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, i == 0 ? "%.0f %s" : "%.2f %s", b, units[i]);
    }

    /** Dollars with cents, or with more digits below a cent: {@code $12.34}, {@code $0.0040}. */
    public static String money(double usd) {
        if (usd != 0 && Math.abs(usd) < 0.01) {
            return String.format(Locale.ROOT, "$%.4f", usd);
        }
        return String.format(Locale.ROOT, "$%,.2f", usd);
    }

    /** A unit price with all its digits: {@code $0.04048}, {@code $0.0000166667}, {@code $0.40}. */
    public static String price(double usd) {
        String plain = new java.math.BigDecimal(Double.toString(usd)).stripTrailingZeros().toPlainString();
        int dot = plain.indexOf('.');
        if (dot < 0) {
            return "$" + plain + ".00";
        }
        return "$" + (plain.length() - dot - 1 < 2 ? plain + "0" : plain);
    }

    /** Seconds as {@code 1h 23m}, {@code 4m 10s} or {@code 12.5 s}. */
    public static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = (s % 3600) / 60;
        if (h > 0) {
            return h + "h " + m + "m";
        }
        return m + "m " + (s % 60) + "s";
    }
}
