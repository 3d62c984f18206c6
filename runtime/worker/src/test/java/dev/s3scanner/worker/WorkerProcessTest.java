package dev.s3scanner.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.s3scanner.core.store.Job;
import dev.s3scanner.core.store.JobStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Real worker processes ({@link WorkerMain} in separate JVMs, configured only through the
 * environment as in ECS) against the real queue, database and object store: killed at random
 * while S3 misbehaves, and stopped with SIGTERM.
 */
class WorkerProcessTest {
    private static WorkerFixture fx;
    private static S3Client s3;
    private static FaultProxy proxy;
    private static CloudWatchStandIn cloudWatch;
    private static EventBridgeStandIn events;

    @BeforeAll
    static void start() throws Exception {
        fx = new WorkerFixture();
        s3 = fx.s3();
        proxy = new FaultProxy(fx.s3Server.endpoint());
        cloudWatch = new CloudWatchStandIn();
        events = new EventBridgeStandIn();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        cloudWatch.close();
        events.close();
        s3.close();
        fx.close();
    }

    private static Process startWorker(String queueUrl, int visibilitySeconds, Map<String, String> extraEnv) throws IOException {
        return startWorker(queueUrl, visibilitySeconds, extraEnv, Path.of("target", "worker-processes.log"));
    }

    private static Process startWorker(String queueUrl, int visibilitySeconds, Map<String, String> extraEnv, Path log)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                WorkerMain.class.getName());
        Map<String, String> env = pb.environment();
        env.put("SCANNER_QUEUE_URL", queueUrl);
        env.put("SCANNER_JDBC_URL", fx.db.url());
        env.put("SCANNER_S3_ENDPOINT", proxy.endpoint().toString());
        env.put("SCANNER_SQS_ENDPOINT", fx.sqsServer.endpoint().toString());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("SCANNER_WORKER_VCPU", "1");
        env.put("SCANNER_WORKER_MEMORY_MIB", "512");
        env.put("SCANNER_VISIBILITY_TIMEOUT_SECONDS", Integer.toString(visibilitySeconds));
        env.put("SCANNER_LOG_LEVEL", "WARN");
        // the SDK's service-specific endpoint variables: metrics and events go to the stand-ins
        env.put("AWS_ENDPOINT_URL_CLOUDWATCH", cloudWatch.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", events.endpoint().toString());
        env.putAll(extraEnv);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }

    private static Map<String, byte[]> files(int n) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder("id,name,email,phone\n");
            for (int r = 0; r < 20; r++) {
                sb.append(i * 100 + r).append(",Person ").append(r).append(',');
                sb.append(r % 5 == 0 ? "p" + i + "." + r + "@example.com" : "n/a").append(',');
                sb.append(r % 7 == 0 ? "(212) 555-01" + String.format("%02d", r) : "").append('\n');
            }
            files.put("batch/f" + i + ".csv", sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    private static Set<String> findings(Job job) {
        Set<String> out = new TreeSet<>();
        for (List<String> r : fx.db.query("SELECT key, detector, byte_offset, masked_value FROM findings WHERE job_id = ?", job.jobId())) {
            out.add(String.join("\t", r));
        }
        return out;
    }

    private static JobStatus await(Job job, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JobStatus s = fx.store.findJob(job.jobId()).orElseThrow().status();
            if (s.isFinal()) {
                return s;
            }
            Thread.sleep(200);
        }
        return fx.store.findJob(job.jobId()).orElseThrow().status();
    }

    @Test
    void killedWorkersAndS3FaultsLoseNothingAndDuplicateNothing() throws Exception {
        // given: a clean run's findings as the reference
        String bucket = fx.bucket("chaos", files(800));
        String[] clean = fx.queue("chaos-clean", 50, 6);
        Job reference = fx.listAndEnqueue(s3, bucket, clean[0], 10);
        Worker inProcess = WorkerComponents.build(fx.store, s3, fx.sqs,
                new WorkerSettings(clean[0], 2, 8, 10, Duration.ofSeconds(1), Duration.ofSeconds(30), 1L << 30));
        inProcess.start();
        assertThat(await(reference, Duration.ofMinutes(3))).isEqualTo(JobStatus.COMPLETED);
        inProcess.stop(Duration.ofSeconds(5));

        // when: two worker processes, killed with SIGKILL and replaced 22 times at random, while
        // S3 answers 5% of GETs with 503 SlowDown and drops 2% of connections mid-body
        String[] chaos = fx.queue("chaos", 50, 6);
        Job job = fx.listAndEnqueue(s3, bucket, chaos[0], 10);
        proxy.slowDownRate = 0.05;
        proxy.dropRate = 0.02;
        List<Process> workers = Collections.synchronizedList(new ArrayList<>());
        workers.add(startWorker(chaos[0], 6, Map.of()));
        workers.add(startWorker(chaos[0], 6, Map.of()));
        Random random = new Random(42);
        int kills = 0;
        try {
            while (kills < 22) {
                Thread.sleep(300 + random.nextInt(1200));
                int victim = random.nextInt(workers.size());
                workers.get(victim).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                workers.set(victim, startWorker(chaos[0], 6, Map.of()));
                kills++;
            }
            JobStatus status = await(job, Duration.ofMinutes(4));

            // then
            assertThat(status).isEqualTo(JobStatus.COMPLETED);
        } finally {
            proxy.slowDownRate = 0;
            proxy.dropRate = 0;
            for (Process p : workers) {
                p.destroyForcibly();
            }
        }
        assertThat(kills).isGreaterThanOrEqualTo(20);
        assertThat(proxy.injected503.get()).isPositive();
        assertThat(proxy.injectedDrops.get()).isPositive();
        assertThat(fx.db.query("SELECT state, count(*) FROM job_objects WHERE job_id = ? GROUP BY state", job.jobId()))
                .containsExactly(List.of("succeeded", "800"));
        assertThat(findings(job)).isEqualTo(findings(reference)).hasSize(Integer.parseInt(
                fx.db.scalar("SELECT count(*) FROM findings WHERE job_id = ?", job.jobId())));
        assertThat(fx.store.liveProgress(job.jobId()).orElseThrow().findings()).isEqualTo(findings(reference).size());
    }

    @Test
    void sigtermStopsWithinTheGracePeriodAndGivesBackUnfinishedMessages() throws Exception {
        // given: a worker holding messages whose objects take 40 s each, a 300 s visibility
        // timeout, and a stand-in for the ECS agent's task-protection endpoint
        List<String> protection = Collections.synchronizedList(new ArrayList<>());
        HttpServer agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/", ex -> {
            protection.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " "
                    + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] ok = "{\"protection\":{}}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        agent.start();
        String bucket = fx.bucket("sigterm", files(30));
        String[] q = fx.queue("sigterm", 50, 300);
        Job job = fx.listAndEnqueue(s3, bucket, q[0], 10);
        proxy.delayMillis = 40_000;
        Process worker = startWorker(q[0], 300,
                Map.of("ECS_AGENT_URI", "http://127.0.0.1:" + agent.getAddress().getPort() + "/api/task-1"));
        int getsBefore = proxy.gets.get();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (proxy.gets.get() == getsBefore && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1500);

        // when
        long sent = System.nanoTime();
        worker.destroy(); // SIGTERM
        boolean exited = worker.waitFor(30, TimeUnit.SECONDS);
        long tookMillis = (System.nanoTime() - sent) / 1_000_000;
        proxy.delayMillis = 0;

        // then: it exited within ECS's 30 s, and the unfinished messages are back at once: a new
        // worker finishes the job long before their 300 s visibility timeout would have passed
        assertThat(exited).as("exited within 30 s of SIGTERM").isTrue();
        assertThat(tookMillis).isLessThan(30_000);
        Worker next = WorkerComponents.build(fx.store, s3, fx.sqs,
                new WorkerSettings(q[0], 2, 8, 10, Duration.ofSeconds(1), Duration.ofSeconds(300), 1L << 30));
        next.start();
        assertThat(await(job, Duration.ofSeconds(90))).isEqualTo(JobStatus.COMPLETED);
        next.stop(Duration.ofSeconds(5));
        assertThat(fx.db.query("SELECT state, count(*) FROM job_objects WHERE job_id = ? GROUP BY state", job.jobId()))
                .containsExactly(List.of("succeeded", "30"));
        assertThat(protection).first().isEqualTo(
                "PUT /api/task-1/task-protection/v1/state {\"ProtectionEnabled\":true,\"ExpiresInMinutes\":60}");
        assertThat(protection).last().isEqualTo("PUT /api/task-1/task-protection/v1/state {\"ProtectionEnabled\":false}");
        agent.stop(0);
    }

    @Test
    void aWorkerProcessLogsJsonAndPublishesItsMetricsAndFindingEventsAtSigterm() throws Exception {
        // given: a worker configured through the environment as in ECS, with a findings bus
        String bucket = fx.bucket("telemetry-process", files(5));
        String[] q = fx.queue("telemetry-process", 5, 30);
        Job job = fx.listAndEnqueue(s3, bucket, q[0], 10);
        Path log = Path.of("target", "worker-process-json.log");
        java.nio.file.Files.deleteIfExists(log);
        Process worker = startWorker(q[0], 30, Map.of("SCANNER_METRICS_NAMESPACE", "S3ScannerProcessTest",
                "SCANNER_FINDINGS_EVENT_BUS", "scanner-findings", "SCANNER_LOG_LEVEL", "DEBUG"), log);

        // when
        JobStatus status = await(job, Duration.ofSeconds(60));
        worker.destroy(); // SIGTERM: the metrics are flushed on the way out
        boolean exited = worker.waitFor(30, TimeUnit.SECONDS);

        // then
        assertThat(status).isEqualTo(JobStatus.COMPLETED);
        assertThat(exited).isTrue();
        List<com.fasterxml.jackson.databind.JsonNode> data = new ArrayList<>();
        cloudWatch.requests().stream()
                .filter(r -> r.path("Namespace").asText().equals("S3ScannerProcessTest"))
                .forEach(r -> r.path("MetricData").forEach(data::add));
        assertThat(data).filteredOn(d -> d.path("MetricName").asText().equals("ObjectsScanned"))
                .singleElement().satisfies(d -> assertThat(d.path("StatisticValues").path("Sum").asDouble()).isEqualTo(5.0));
        assertThat(events.acceptedDetails()).filteredOn(d -> d.path("job_id").asText().equals(job.jobId().toString()))
                .hasSize(Integer.parseInt(fx.db.scalar("SELECT count(*) FROM findings WHERE job_id = ?", job.jobId())))
                .isNotEmpty();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> lines = java.nio.file.Files.readAllLines(log).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("scanner worker:")).toList();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            assertThat(json.readTree(line).path("message").isTextual()).as(line).isTrue();
        }
        assertThat(lines).anySatisfy(l -> assertThat(json.readTree(l).path("key").asText()).startsWith("batch/f"));
    }
}
