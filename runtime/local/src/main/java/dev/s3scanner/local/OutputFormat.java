package dev.s3scanner.local;

/** How findings are written to standard output. */
public enum OutputFormat {
    /** An aligned table, for people. */
    table,
    /** One JSON object per finding per line, for tools. */
    jsonl,
    /** A SARIF 2.1.0 log ({@link SarifWriter}), for tools that read SARIF. */
    sarif
}
