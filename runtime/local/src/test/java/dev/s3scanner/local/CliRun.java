package dev.s3scanner.local;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One run of the {@code scanner} command in this JVM ({@link ScannerCli#run}), with what it wrote
 * to standard output and standard error captured as UTF-8.
 *
 * @param exit the exit code
 * @param out  standard output
 * @param err  standard error
 */
record CliRun(int exit, String out, String err) {

    /** Runs the command with {@code args}, restoring {@code System.out} and {@code System.err} after. */
    static CliRun of(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = ScannerCli.run(args);
            return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
