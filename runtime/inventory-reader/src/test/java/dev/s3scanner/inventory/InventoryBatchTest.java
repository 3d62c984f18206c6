package dev.s3scanner.inventory;

import static dev.s3scanner.inventory.InventoryFixture.DESTINATION;
import static dev.s3scanner.inventory.InventoryFixture.SOURCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.local.LocalS3Server;
import dev.s3scanner.core.local.LocalSqsServer;
import dev.s3scanner.core.message.ScanTaskCodec;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobStatus;
import dev.s3scanner.core.store.JobStore;
import dev.s3scanner.core.store.NewJob;
import dev.s3scanner.core.testing.TestDatabase;
import dev.s3scanner.inventory.InventoryFixture.File;
import dev.s3scanner.lister.LambdaMetrics;
import dev.s3scanner.lister.ListBatchState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Inventory jobs end to end: reports served by s3proxy, rows in the real PostgreSQL, scan tasks
 * in ElasticMQ. Case 01's fixtures are the inputs; their expected keys are the answers.
 */
class InventoryBatchTest {
    private static final String CASE01_SCHEMA = "Bucket, Key, Size, LastModifiedDate, StorageClass, EncryptionStatus";
    private static final String VERSIONED_SCHEMA =
            "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, StorageClass";

    @TempDir
    static Path base;
    private static LocalS3Server s3Server;
    private static S3Client s3;
    private static LocalSqsServer sqsServer;
    private static SqsClient sqs;
    private static TestDatabase db;
    private static JobStore store;
    private static ExecutorService pool;

    @BeforeAll
    static void start() throws Exception {
        InventoryFixture.put(base, SOURCE, "placeholder.txt", new byte[0]);
        InventoryFixture.put(base, DESTINATION, "placeholder.txt", new byte[0]);
        s3Server = LocalS3Server.start(base);
        s3 = AwsClients.s3(AwsClients.Settings.local(s3Server.endpoint(), null, 4));
        sqsServer = LocalSqsServer.start();
        sqs = AwsClients.sqs(AwsClients.Settings.local(null, sqsServer.endpoint(), 8));
        db = TestDatabase.create();
        store = db.store();
        pool = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        db.close();
        sqs.close();
        sqsServer.close();
        s3.close();
        s3Server.close();
    }

    private record Run(UUID jobId, String queueUrl, InventoryBatch batch) {
    }

    private static Run job(String manifestKey, String prefix, int pagesPerStep, int rowsPerPage) {
        String queue = sqs.createQueue(b -> b.queueName("inv-" + UUID.randomUUID())).queueUrl();
        InventoryBatch batch = new InventoryBatch(store, new InventoryReports(s3),
                new dev.s3scanner.core.listing.ListedPageRecorder(store,
                        new dev.s3scanner.core.queue.ScanTaskSender(sqs, queue, pool, 3, 1), 4096, 50),
                pagesPerStep, rowsPerPage);
        Job job = store.createJob(new NewJob(UUID.randomUUID(), SOURCE, prefix, "inventory", SOURCE,
                InventoryBatch.options(new S3Location(DESTINATION, manifestKey)), null));
        return new Run(job.jobId(), queue, batch);
    }

    private static List<ListBatchState> runToEnd(Run run) {
        List<ListBatchState> states = new ArrayList<>();
        ListBatchState s = ListBatchState.start(run.jobId());
        while (!s.done()) {
            s = run.batch().step(s);
            states.add(s);
        }
        return states;
    }

    private static List<String> keys(UUID jobId) {
        return db.query("SELECT key FROM job_objects WHERE job_id = ? ORDER BY key", jobId).stream().map(r -> r.get(0)).toList();
    }

    private static List<String> drainKeys(String queueUrl) {
        List<String> keys = new ArrayList<>();
        while (true) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (got.isEmpty()) {
                return keys;
            }
            for (Message m : got) {
                ScanTaskCodec.decode(m.body()).objects().forEach(o -> keys.add(o.key() + (o.versionId() == null ? "" : "@" + o.versionId())));
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    /** expected_decoded_key column of case 01's expected-keys.tsv. */
    private static List<String> case01ExpectedKeys() {
        String tsv = new String(InventoryFixture.resource("expected-keys.tsv"), StandardCharsets.UTF_8);
        return Arrays.stream(tsv.split("\n")).skip(1).filter(l -> !l.isBlank()).map(l -> l.split("\t")[1]).sorted().toList();
    }

    private static String case01Report(String reportKey) {
        return InventoryFixture.report(base, reportKey, "CSV", CASE01_SCHEMA,
                List.of(new File("example-src-bucket/daily/data/inv-0001.csv.gz", InventoryFixture.resource("data/inv-0001.csv.gz"))),
                true);
    }

    @Test
    void case01KeysAreDecodedExactlyOnceIntoTheExpectedKeys() {
        // given: case 01's manifest and data file (MD5 0bdebe3c1e5ecfb7501cdd5d42a55f4d)
        String manifest = case01Report("example-src-bucket/daily/2024-05-01T00-00Z");
        Run run = job(manifest, "", 10, 1000);

        // when
        List<ListBatchState> states = runToEnd(run);

        // then: exactly expected-keys.tsv, in rows and in messages
        assertThat(case01ExpectedKeys()).hasSize(7).contains("team notes/q1.txt", "team+notes/q1.txt", "discount 50%.txt");
        assertThat(keys(run.jobId())).containsExactlyElementsOf(case01ExpectedKeys());
        assertThat(drainKeys(run.queueUrl())).containsExactlyInAnyOrderElementsOf(case01ExpectedKeys());
        assertThat(states).containsExactly(new ListBatchState(run.jobId(), null, 1, 7, 1, true));
        assertThat(store.findJob(run.jobId()).orElseThrow().status()).isEqualTo(JobStatus.PROCESSING);
    }

    @Test
    void thePrefixIsComparedRawWithTheDecodedKeys() {
        // given
        String manifest = case01Report("example-src-bucket/prefixed/2024-05-01T00-00Z");
        Run spaces = job(manifest, "team ", 10, 1000);
        Run plus = job(manifest, "team+", 10, 1000);

        // when
        runToEnd(spaces);
        runToEnd(plus);

        // then
        assertThat(keys(spaces.jobId())).containsExactly("team notes/q1.txt");
        assertThat(keys(plus.jobId())).containsExactly("team+notes/q1.txt");
    }

    @Test
    void aCorruptedDataFileFailsTheJobWithTheReason() {
        // given: the data file's bytes changed after the manifest was written (last byte flipped)
        byte[] good = InventoryFixture.resource("data/inv-0001.csv.gz");
        byte[] bad = good.clone();
        bad[bad.length - 1] ^= 0x01;
        String manifest = InventoryFixture.report(base, "example-src-bucket/corrupt/2024-05-01T00-00Z", "CSV", CASE01_SCHEMA,
                List.of(new File("example-src-bucket/corrupt/data/inv-0001.csv.gz", bad, InventoryFixture.md5(good))), true);
        Run run = job(manifest, "", 10, 1000);

        // when / then
        String reason = "inventory data file s3://example-inventory-bucket/example-src-bucket/corrupt/data/inv-0001.csv.gz"
                + " is corrupt: MD5 " + InventoryFixture.md5(bad) + ", the manifest says 0bdebe3c1e5ecfb7501cdd5d42a55f4d";
        assertThatThrownBy(() -> run.batch().step(ListBatchState.start(run.jobId())))
                .isInstanceOf(InventoryException.class).hasMessage(reason);
        Job job = store.findJob(run.jobId()).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.statusReason()).isEqualTo(reason);
        assertThat(keys(run.jobId())).isEmpty();
        assertThat(drainKeys(run.queueUrl())).isEmpty();
    }

    @Test
    void aManifestThatDoesNotMatchItsChecksumFailsTheJob() {
        // given: manifest.checksum of another manifest
        String manifest = case01Report("example-src-bucket/badsum/2024-05-01T00-00Z");
        InventoryFixture.put(base, DESTINATION, "example-src-bucket/badsum/2024-05-01T00-00Z/manifest.checksum",
                "00000000000000000000000000000000\n".getBytes(StandardCharsets.US_ASCII));
        Run run = job(manifest, "", 10, 1000);

        // when / then
        assertThatThrownBy(() -> run.batch().step(ListBatchState.start(run.jobId())))
                .isInstanceOf(InventoryException.class)
                .hasMessageStartingWith("inventory manifest s3://example-inventory-bucket/example-src-bucket/badsum/"
                        + "2024-05-01T00-00Z/manifest.json does not match its manifest.checksum: MD5 ")
                .hasMessageEndingWith(", expected 00000000000000000000000000000000");
        assertThat(store.findJob(run.jobId()).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void aVersionedReportWithAnotherColumnOrderGivesCurrentVersionsWithoutDeleteMarkers() {
        // given: case 01's versioned rows (VersionId, IsLatest, IsDeleteMarker before Size): v2 is
        // current, v1 is not, old/gone.txt is a delete marker
        byte[] gz = InventoryFixture.gzip(new String(InventoryFixture.resource("inventory-lines-versioned.csv"), StandardCharsets.UTF_8));
        String manifest = InventoryFixture.report(base, "example-src-bucket/versioned/2024-05-01T00-00Z", "CSV",
                VERSIONED_SCHEMA, List.of(new File("example-src-bucket/versioned/data/v-0001.csv.gz", gz)), true);
        Run run = job(manifest, "", 10, 1000);

        // when
        runToEnd(run);

        // then
        assertThat(db.query("SELECT key, version_id, size FROM job_objects WHERE job_id = ?", run.jobId()))
                .containsExactly(List.of("team notes/q1.txt", "v2", "1024"));
        assertThat(drainKeys(run.queueUrl())).containsExactly("team notes/q1.txt@v2");
    }

    @Test
    void pagesSpanStepsAndFilesAndAReRunStepAddsNothing() {
        // given: two data files of 2,500 rows; pages of 1,000 rows, 2 pages per step
        List<File> files = new ArrayList<>();
        for (int f = 0; f < 2; f++) {
            StringBuilder csv = new StringBuilder();
            for (int i = 0; i < 2500; i++) {
                csv.append('"').append(SOURCE).append("\",\"f").append(f).append("/k+").append(String.format("%04d", i))
                        .append(".txt\",\"10\",\"2024-05-01T00:00:00.000Z\",\"STANDARD\",\"SSE-S3\"\n");
            }
            files.add(new File("example-src-bucket/multi/data/part-" + f + ".csv.gz", InventoryFixture.gzip(csv.toString())));
        }
        String manifest = InventoryFixture.report(base, "example-src-bucket/multi/2024-05-01T00-00Z", "CSV", CASE01_SCHEMA,
                files, true);
        Run run = job(manifest, "", 2, 1000);

        // when: steps 1 and 2, step 2 again (a retry with the same token), then the rest
        ListBatchState first = run.batch().step(ListBatchState.start(run.jobId()));
        ListBatchState second = run.batch().step(first);
        ListBatchState secondAgain = run.batch().step(first);
        ListBatchState third = run.batch().step(second);

        // then: positions are file:row; the re-run gives the same state; every row once
        assertThat(List.of(first, second, third)).extracting(ListBatchState::token).containsExactly("0:2000", "1:1000", null);
        assertThat(List.of(first, second, third)).extracting(ListBatchState::listed).containsExactly(2000L, 3500L, 5000L);
        assertThat(third.done()).isTrue();
        assertThat(secondAgain).isEqualTo(second);
        assertThat(db.scalar("SELECT count(*) || '/' || count(DISTINCT key) FROM job_objects WHERE job_id = ?", run.jobId()))
                .isEqualTo("5000/5000");
        assertThat(keys(run.jobId())).contains("f0/k 0000.txt", "f1/k 2499.txt");
        List<String> queued = drainKeys(run.queueUrl());
        assertThat(queued).hasSize(5000).doesNotHaveDuplicates();
        assertThat(db.scalar("SELECT count(*) FROM job_list_pages WHERE job_id = ?", run.jobId())).isEqualTo("6");
    }

    @Test
    void theLatestCompleteReportUnderAPrefixIsChosen() {
        // given: reports of 05-01 and 05-02 (complete) and 05-03 (no manifest.checksum yet)
        case01Report("example-src-bucket/latest/2024-05-01T00-00Z");
        case01Report("example-src-bucket/latest/2024-05-02T00-00Z");
        InventoryFixture.report(base, "example-src-bucket/latest/2024-05-03T00-00Z", "CSV", CASE01_SCHEMA,
                List.of(new File("example-src-bucket/latest/data/x.csv.gz", InventoryFixture.gzip(""))), false);

        // when
        S3Location latest = new InventoryReports(s3).resolve(S3Location.parse("s3://" + DESTINATION + "/example-src-bucket/latest/"));

        // then
        assertThat(latest).isEqualTo(new S3Location(DESTINATION, "example-src-bucket/latest/2024-05-02T00-00Z/manifest.json"));
    }

    @Test
    void aParquetReportIsRefusedWithTheReason() {
        // given
        String manifest = InventoryFixture.report(base, "example-src-bucket/parquet/2024-05-01T00-00Z", "Parquet",
                "message s3.inventory { required binary bucket; required binary key; }", List.of(), true);
        Run run = job(manifest, "", 10, 1000);

        // when / then
        assertThatThrownBy(() -> run.batch().step(ListBatchState.start(run.jobId())))
                .isInstanceOf(InventoryException.class)
                .hasMessage("inventory format Parquet is not supported (manifest s3://example-inventory-bucket/"
                        + "example-src-bucket/parquet/2024-05-01T00-00Z/manifest.json): this reader reads CSV reports;"
                        + " reading Parquet or ORC needs the Hadoop-based readers, which are not part of the scanner");
        assertThat(store.findJob(run.jobId()).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void theLambdaHandlerTakesAndReturnsTheListBatchStateShape() throws Exception {
        // given
        String manifest = case01Report("example-src-bucket/handler/2024-05-01T00-00Z");
        Run run = job(manifest, "", 10, 1000);
        InventoryBatchHandler handler = new InventoryBatchHandler(run.batch(),
                LambdaMetrics.create(Env.of(Map.of())));
        String input = "{\"job_id\":\"" + run.jobId() + "\",\"token\":null,\"pages\":0,\"listed\":0,\"iteration\":0,\"done\":false}";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        // when
        handler.handleRequest(new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);

        // then
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"job_id\":\"" + run.jobId()
                + "\",\"token\":null,\"pages\":1,\"listed\":7,\"iteration\":1,\"done\":true}");
    }

    @Test
    void theLambdaHandlerPrintsObjectsListedAndPagesListedAsEmbeddedMetrics() throws Exception {
        // given
        String manifest = case01Report("example-src-bucket/handler-emf/2024-05-01T00-00Z");
        Run run = job(manifest, "", 10, 1000);
        InventoryBatchHandler handler = new InventoryBatchHandler(run.batch(), LambdaMetrics.create(Env.of(Map.of())));
        String input = "{\"job_id\":\"" + run.jobId() + "\",\"token\":null,\"pages\":0,\"listed\":0,\"iteration\":0,\"done\":false}";
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;

        // when
        System.setOut(new java.io.PrintStream(stdout, true, StandardCharsets.UTF_8));
        try {
            handler.handleRequest(new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                    new java.io.ByteArrayOutputStream(), null);
        } finally {
            System.setOut(original);
        }

        // then: one EMF document, namespace S3Scanner, dimension Service, the step's counts
        List<String> emf = stdout.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"_aws\"")).toList();
        assertThat(emf).hasSize(1);
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(emf.get(0));
        com.fasterxml.jackson.databind.JsonNode directive = doc.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("S3Scanner");
        assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"Service\"]]");
        assertThat(doc.path("Service").asText()).isEqualTo("s3scanner-lister");
        assertThat(directive.path("Metrics").toString())
                .isEqualTo("[{\"Name\":\"ObjectsListed\",\"Unit\":\"Count\"},{\"Name\":\"PagesListed\",\"Unit\":\"Count\"}]");
        assertThat(doc.path("ObjectsListed").asDouble()).isEqualTo(7.0);
        assertThat(doc.path("PagesListed").asDouble()).isEqualTo(1.0);
    }

    /** A job as the API creates it: source inventory, no report named in its options. */
    private static Run apiJob(S3Location reportsRoot) {
        String queue = sqs.createQueue(b -> b.queueName("inv-" + UUID.randomUUID())).queueUrl();
        InventoryBatch batch = new InventoryBatch(store, new InventoryReports(s3),
                new dev.s3scanner.core.listing.ListedPageRecorder(store,
                        new dev.s3scanner.core.queue.ScanTaskSender(sqs, queue, pool, 3, 1), 4096, 50),
                10, 1000, reportsRoot);
        Job job = store.createJob(new NewJob(UUID.randomUUID(), SOURCE, "", "inventory", SOURCE, "{}", null));
        return new Run(job.jobId(), queue, batch);
    }

    @Test
    void aJobWithoutAReportReadsItsBucketsLatestCompleteReportAndPinsIt() {
        // given: under the destination prefix "reports/", three reports of the source bucket: an old one
        // of configuration "zz-archive", the latest complete one of "daily", and a newer one of "daily"
        // still without its manifest.checksum (being written)
        List<File> data = List.of(new File("reports/example-src-bucket/data/inv-0001.csv.gz",
                InventoryFixture.resource("data/inv-0001.csv.gz")));
        InventoryFixture.report(base, "reports/example-src-bucket/zz-archive/2024-04-01T00-00Z", "CSV", CASE01_SCHEMA, data, true);
        String latest = InventoryFixture.report(base, "reports/example-src-bucket/daily/2024-05-02T00-00Z", "CSV",
                CASE01_SCHEMA, data, true);
        InventoryFixture.report(base, "reports/example-src-bucket/daily/2024-05-03T00-00Z", "CSV", CASE01_SCHEMA, data, false);
        Run run = apiJob(new S3Location(DESTINATION, "reports"));

        // when
        runToEnd(run);

        // then: the daily report of 2024-05-02 was read, and the job names it from now on
        Job job = store.findJob(run.jobId()).orElseThrow();
        assertThat(job.optionsJson()).contains("\"inventory_manifest\": \"s3://" + DESTINATION + "/" + latest + "\"");
        assertThat(latest).isEqualTo("reports/example-src-bucket/daily/2024-05-02T00-00Z/manifest.json");
        assertThat(keys(run.jobId())).containsExactlyElementsOf(case01ExpectedKeys());
        assertThat(job.status()).isNotEqualTo(JobStatus.FAILED);
    }

    @Test
    void aJobWithoutAReportFailsWithTheReasonWhenNoReportsLocationIsConfigured() {
        // given
        Run run = apiJob(null);

        // when / then
        String reason = "the job names no inventory report (option inventory_manifest) and no inventory reports location"
                + " is configured (SCANNER_INVENTORY_BUCKET)";
        assertThatThrownBy(() -> run.batch().step(ListBatchState.start(run.jobId())))
                .isInstanceOf(InventoryException.class).hasMessage(reason);
        Job job = store.findJob(run.jobId()).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.statusReason()).isEqualTo(reason);
    }

    @Test
    void aJobWithoutAReportFailsWithTheReasonWhenItsBucketHasNoCompleteReport() {
        // given: reports exist, but none for this job's bucket under the root
        Run run = apiJob(new S3Location(DESTINATION, "elsewhere/"));

        // when / then
        String reason = "no complete inventory report (manifest.json with manifest.checksum) under s3://" + DESTINATION
                + "/elsewhere/example-src-bucket/";
        assertThatThrownBy(() -> run.batch().step(ListBatchState.start(run.jobId())))
                .isInstanceOf(InventoryException.class).hasMessage(reason);
        assertThat(store.findJob(run.jobId()).orElseThrow().statusReason()).isEqualTo(reason);
    }
}
