package dev.s3scanner.local;

import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.config.ConfigException;
import dev.s3scanner.core.local.LocalS3Server;
import dev.s3scanner.core.logging.LogFields;
import dev.s3scanner.core.local.LocalSqsServer;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobProgress;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.NewJob;
import dev.s3scanner.inventory.InventoryBatch;
import dev.s3scanner.inventory.InventoryException;
import dev.s3scanner.inventory.InventoryReports;
import dev.s3scanner.inventory.S3Location;
import dev.s3scanner.lister.api.AllowedBuckets;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The {@code scanner} command: the whole S3 Scanner pipeline on one machine, with no AWS account
 * needed for local folders.
 *
 * <p>Exit codes: 0 a completed scan (with or without findings), 1 a scan that failed or was
 * cancelled, 2 bad input, 3 database unreachable, 4 S3 unreachable or access denied.
 */
@Command(name = "scanner", mixinStandardHelpOptions = true, version = "S3 Scanner 0.1.0",
        description = "Finds sensitive data (SSNs, payment cards, AWS keys, emails, US phones) in S3 buckets and folders.",
        subcommands = {ScannerCli.Scan.class, ScannerCli.Findings.class, ScannerCli.Jobs.class, ScannerCli.Serve.class,
                PlanCommand.class})
public final class ScannerCli {
    static {
        // the command's own logging configuration (each runtime module's file has its own name)
        LogFields.useLogbackConfiguration(LogFormat.CONFIGURATION);
    }

    /** Options shared by the commands that use the database. */
    static class DatabaseOptions {
        @Option(names = "--jdbc-url", paramLabel = "URL",
                description = "PostgreSQL JDBC URL. Default: an embedded PostgreSQL whose data is kept in --data-dir.")
        String jdbcUrl;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "Where the embedded PostgreSQL keeps its data. Default: ~/.s3scanner/pgdata.")
        Path dataDir = Path.of(System.getProperty("user.home"), ".s3scanner", "pgdata");
    }

    /** The log-format option of the commands that log. */
    static class LoggingOptions {
        @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "${env:SCANNER_LOG_FORMAT:-text}",
                description = "Log lines on stderr: text or json (one JSON object per line with job_id and key)."
                        + " Default: SCANNER_LOG_FORMAT or text.")
        LogFormat logFormat = LogFormat.text;

        void apply() {
            logFormat.apply();
        }
    }

    @Command(name = "scan", description = "Scan a local folder (served as a bucket) or s3://bucket/prefix.")
    static final class Scan implements Callable<Integer> {
        @Parameters(paramLabel = "FOLDER_OR_S3_URI", description = "A folder, or s3://bucket[/prefix].")
        String target;

        @CommandLine.Mixin
        DatabaseOptions db = new DatabaseOptions();

        @CommandLine.Mixin
        LoggingOptions logging = new LoggingOptions();

        @Option(names = "--workers", paramLabel = "N", description = "Worker threads receiving scan tasks. Default: ${DEFAULT-VALUE}.")
        int workers = 4;

        @Option(names = "--format", paramLabel = "FORMAT", description = "table, jsonl or sarif (SARIF 2.1.0). Default: ${DEFAULT-VALUE}.")
        OutputFormat format = OutputFormat.table;

        @Option(names = "--endpoint-url", paramLabel = "URL", description = "An S3-compatible endpoint for s3:// targets.")
        URI endpointUrl;

        @Option(names = "--region", paramLabel = "REGION", description = "AWS region for s3:// targets. Default: AWS_REGION or us-east-1.")
        String region;

        @Option(names = "--max-object-bytes", paramLabel = "BYTES",
                description = "Skip objects larger than this (reason too_large). Default: ${DEFAULT-VALUE}.")
        long maxObjectBytes = 16L << 30;

        @Option(names = "--no-progress", description = "Do not draw the progress bar.")
        boolean noProgress;

        @Option(names = "--inventory", paramLabel = "S3_URI",
                description = "Read the objects from an S3 Inventory report (CSV) instead of listing: s3://bucket/.../manifest.json,"
                        + " or a prefix whose latest complete report is used.")
        String inventory;

        @Override
        public Integer call() throws Exception {
            logging.apply();
            if (workers < 1 || workers > 256) {
                throw new UserException(2, "--workers must be between 1 and 256, was " + workers);
            }
            ScanTarget scanTarget = ScanTarget.parse(target);
            PrintStream out = System.out;
            PrintStream err = System.err;
            try (LocalDatabase database = LocalDatabase.open(db.jdbcUrl, db.dataDir, workers + 6);
                 LocalSqsServer sqsServer = LocalSqsServer.start();
                 LocalS3Server s3Server = scanTarget.isFolder() ? LocalS3Server.start(scanTarget.folder().getParent()) : null) {
                int connections = workers * 4 + 8;
                AwsClients.Settings local = AwsClients.Settings.local(s3Server == null ? null : s3Server.endpoint(),
                        sqsServer.endpoint(), connections);
                AwsClients.Settings s3Settings = s3Server != null ? local : new AwsClients.Settings(
                        region != null ? region : AwsClients.Settings.aws(1).region(), endpointUrl, null,
                        DefaultCredentialsProvider.builder().build(), connections);
                try (S3Client s3 = AwsClients.s3(s3Settings); SqsClient sqs = AwsClients.sqs(local)) {
                    checkBucket(s3, scanTarget);
                    NewJob newJob = inventory == null ? NewJob.of(scanTarget.bucket(), scanTarget.prefix())
                            : inventoryJob(s3, scanTarget, inventory);
                    JobStore store = new JobStore(database.dataSource());
                    long start = System.nanoTime();
                    JobProgress result;
                    try (LocalPipeline pipeline = new LocalPipeline(store, database.dataSource(), s3, sqs, workers,
                            maxObjectBytes, !scanTarget.isFolder())) {
                        UUID jobId = pipeline.start(newJob);
                        ProgressBar bar = new ProgressBar(err, !noProgress && System.console() != null);
                        result = pipeline.await(jobId, Duration.ofMillis(200), bar::update);
                        bar.finish();
                    }
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    // machine-readable findings keep stdout to themselves; the summary goes to stderr
                    PrintStream summaryOut = format == OutputFormat.table ? out : err;
                    if (format == OutputFormat.table) {
                        FindingsWriter.write(store, result.jobId(), format, out);
                        out.println();
                    } else {
                        FindingsWriter.write(store, result.jobId(), format, out);
                    }
                    Summary.print(summaryOut, scanTarget.display(), result, took, store);
                    summaryOut.printf("Data: %s (read again with: scanner findings %s%s)%n", database.description(),
                            result.jobId(), db.jdbcUrl == null ? "" : " --jdbc-url '" + db.jdbcUrl + "'");
                    return result.status() == dev.s3scanner.core.store.JobStatus.COMPLETED ? 0 : 1;
                }
            }
        }

        /** A job reading the report {@code uri} names (its latest complete report for a prefix). */
        private static NewJob inventoryJob(S3Client s3, ScanTarget target, String uri) {
            S3Location manifest;
            try {
                manifest = new InventoryReports(s3).resolve(S3Location.parse(uri));
            } catch (IllegalArgumentException | InventoryException e) {
                throw new UserException(2, "--inventory: " + e.getMessage());
            }
            return new NewJob(UUID.randomUUID(), target.bucket(), target.prefix(), "inventory", target.bucket(),
                    InventoryBatch.options(manifest), null);
        }

        private static void checkBucket(S3Client s3, ScanTarget target) {
            try {
                s3.headBucket(b -> b.bucket(target.bucket()));
            } catch (S3Exception e) {
                String why = e.statusCode() == 404 ? "does not exist" : e.statusCode() == 403 ? "access denied" : e.getMessage();
                throw new UserException(4, "cannot read bucket " + target.bucket() + ": " + why);
            } catch (SdkException e) {
                throw new UserException(4, "cannot reach S3 for bucket " + target.bucket() + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "findings", description = "Print the findings of an earlier scan.")
    static final class Findings implements Callable<Integer> {
        @Parameters(paramLabel = "JOB_ID", description = "The job id printed by scanner scan.")
        String jobId;

        @CommandLine.Mixin
        DatabaseOptions db = new DatabaseOptions();

        @Option(names = "--format", paramLabel = "FORMAT", description = "table, jsonl or sarif (SARIF 2.1.0). Default: ${DEFAULT-VALUE}.")
        OutputFormat format = OutputFormat.table;

        @Override
        public Integer call() {
            UUID id;
            try {
                id = UUID.fromString(jobId);
            } catch (IllegalArgumentException e) {
                throw new UserException(2, "not a job id: " + jobId);
            }
            try (LocalDatabase database = LocalDatabase.open(db.jdbcUrl, db.dataDir, 2)) {
                JobStore store = new JobStore(database.dataSource());
                if (store.findJob(id).isEmpty()) {
                    throw new UserException(2, "no job " + jobId + " in " + database.description());
                }
                FindingsWriter.write(store, id, format, System.out);
                return 0;
            }
        }
    }

    @Command(name = "jobs", description = "List recent scans.")
    static final class Jobs implements Callable<Integer> {
        @CommandLine.Mixin
        DatabaseOptions db = new DatabaseOptions();

        @Option(names = "--limit", paramLabel = "N", description = "How many. Default: ${DEFAULT-VALUE}.")
        int limit = 20;

        @Override
        public Integer call() {
            try (LocalDatabase database = LocalDatabase.open(db.jdbcUrl, db.dataDir, 2)) {
                JobStore store = new JobStore(database.dataSource());
                List<Job> jobs = store.recentJobs(limit);
                System.out.printf("%-36s  %-10s  %-25s  %8s  %s%n", "JOB_ID", "STATUS", "CREATED", "FINDINGS", "TARGET");
                for (Job j : jobs) {
                    long findings = store.liveProgress(j.jobId()).map(JobProgress::findings).orElse(0L);
                    System.out.printf("%-36s  %-10s  %-25s  %8d  s3://%s/%s%n", j.jobId(), j.status().dbValue(),
                            j.createdAt(), findings, j.bucket(), j.prefix());
                }
                return 0;
            }
        }
    }

    @Command(name = "serve", description = "Serve the HTTP API (POST /scan, GET /jobs/{id}, GET /results, "
            + "DELETE /jobs/{id}, GET /openapi.json) on 127.0.0.1, with the whole pipeline behind it.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--port", paramLabel = "N", description = "Port on 127.0.0.1 (0: any free port). Default: ${DEFAULT-VALUE}.")
        int port = 8080;

        @CommandLine.Mixin
        DatabaseOptions db = new DatabaseOptions();

        @CommandLine.Mixin
        LoggingOptions logging = new LoggingOptions();

        @Option(names = "--bucket-dir", paramLabel = "DIR",
                description = "Serve every sub-folder of DIR as a bucket through an in-process S3 server (no AWS account needed).")
        Path bucketDir;

        @Option(names = "--endpoint-url", paramLabel = "URL", description = "An S3-compatible endpoint instead of AWS.")
        URI endpointUrl;

        @Option(names = "--region", paramLabel = "REGION", description = "AWS region for S3. Default: AWS_REGION or us-east-1.")
        String region;

        @Option(names = "--workers", paramLabel = "N", description = "Worker threads receiving scan tasks. Default: ${DEFAULT-VALUE}.")
        int workers = 4;

        @Option(names = "--allowed-buckets", paramLabel = "LIST",
                description = "Buckets POST /scan accepts: '*' or a comma-separated list. Default: ${DEFAULT-VALUE}.")
        String allowedBuckets = "*";

        @Option(names = "--max-object-bytes", paramLabel = "BYTES",
                description = "Skip objects larger than this (reason too_large). Default: ${DEFAULT-VALUE}.")
        long maxObjectBytes = 16L << 30;

        @Override
        public Integer call() throws Exception {
            logging.apply();
            AllowedBuckets allowed;
            try {
                allowed = AllowedBuckets.parse(allowedBuckets);
            } catch (ConfigException e) {
                throw new UserException(2, e.getMessage().replace(AllowedBuckets.ENV, "--allowed-buckets"));
            }
            LocalApiServer.Settings settings = new LocalApiServer.Settings(port, db.jdbcUrl, db.dataDir,
                    bucketDir == null ? null : bucketDir.toAbsolutePath().normalize(), endpointUrl, region, workers,
                    maxObjectBytes, allowed, Duration.ofSeconds(5));
            CountDownLatch stopped = new CountDownLatch(1);
            try (LocalApiServer server = LocalApiServer.start(settings)) {
                Thread hook = new Thread(() -> {
                    server.close();
                    stopped.countDown();
                }, "scanner-serve-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                PrintStream out = System.out;
                out.println("S3 Scanner API listening on " + server.uri());
                out.println("  S3:   " + (bucketDir != null ? "every folder in " + settings.bucketDir() + " is a bucket"
                        : endpointUrl != null ? endpointUrl.toString() : "AWS (default credential chain)"));
                out.println("  data: " + server.databaseDescription());
                out.println("  try:  curl -s -X POST " + server.uri() + "/scan -d '{\"bucket\": \"BUCKET\"}'");
                out.println("        curl -s " + server.uri() + "/openapi.json");
                out.println("Press Ctrl-C to stop.");
                out.flush();
                stopped.await();
                return 0;
            }
        }
    }

    /**
     * Runs a command line and returns the exit code (without exiting).
     *
     * @param args the arguments
     * @return the exit code
     */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new ScannerCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UserException u) {
                cmd.getErr().println("scanner: " + u.getMessage());
                return u.exitCode();
            }
            if (e instanceof IOException io) {
                cmd.getErr().println("scanner: " + io.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
