package dev.s3scanner.worker;

import com.zaxxer.hikari.HikariDataSource;
import dev.s3scanner.core.aws.AwsClients;
import dev.s3scanner.core.config.ConfigException;
import dev.s3scanner.core.config.DatabaseSettings;
import dev.s3scanner.core.config.Env;
import dev.s3scanner.core.logging.LogFields;
import dev.s3scanner.core.metrics.MetricNames;
import dev.s3scanner.core.store.DataSources;
import dev.s3scanner.core.store.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The ECS task's entry point. Reads and checks its configuration ({@link WorkerSettings#fromEnv},
 * {@link DatabaseSettings#fromEnv}) before doing anything, runs until SIGTERM, then stops within
 * ECS's default 30-second grace period (25 s for in-hand messages, the rest to give back).
 * Publishes its metrics to CloudWatch ({@link WorkerMetrics}, namespace {@code SCANNER_METRICS_NAMESPACE})
 * and, when {@code SCANNER_FINDINGS_EVENT_BUS} is set, each finding to EventBridge
 * ({@link FindingsEventPublisher}).
 */
public final class WorkerMain {
    static {
        // the worker image's logging configuration (not named logback.xml, so that a runner that
        // embeds the worker, such as the local scanner command, keeps its own)
        LogFields.useLogbackConfiguration("s3scanner-worker-logback.xml");
    }

    private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);
    private static final Duration GRACE = Duration.ofSeconds(25);

    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Env env = Env.system();
        WorkerSettings settings;
        DatabaseSettings db;
        String namespace;
        Optional<String> bus;
        try {
            settings = WorkerSettings.fromEnv(env);
            db = DatabaseSettings.fromEnv(env);
            namespace = MetricNames.namespace(env);
            bus = FindingsEventPublisher.busFromEnv(env);
        } catch (ConfigException e) {
            System.err.println("scanner worker: " + e.getMessage());
            System.exit(2);
            return;
        }
        AwsClients.Settings aws;
        try {
            aws = AwsClients.Settings.fromEnv(env, settings.maxInFlightObjects() + settings.receivers() + 4);
        } catch (ConfigException e) {
            System.err.println("scanner worker: " + e.getMessage());
            System.exit(2);
            return;
        }
        HikariDataSource ds = DataSources.create(db, settings.receivers() + 2, "scanner-worker", arn -> {
            try (SecretsManagerClient sm = AwsClients.secretsManager(aws)) {
                return sm.getSecretValue(b -> b.secretId(arn)).secretString();
            }
        });
        CloudWatchAsyncClient cloudWatch = CloudWatchAsyncClient.builder().region(Region.of(aws.region()))
                .credentialsProvider(aws.credentials()).build();
        WorkerMetrics metrics = new WorkerMetrics(cloudWatch, namespace, Duration.ofSeconds(60), Clock.systemUTC());
        List<ScanListener> listeners = new ArrayList<>(List.of(metrics));
        FindingsEventPublisher events = bus.map(b -> new FindingsEventPublisher(EventBridgeAsyncClient.builder()
                .region(Region.of(aws.region())).credentialsProvider(aws.credentials()).build(), b, 4,
                Duration.ofMillis(200), metrics::findingsPublishFailed)).orElse(null);
        if (events != null) {
            listeners.add(events);
        }
        Worker worker = WorkerComponents.build(new JobStore(ds), AwsClients.s3(aws), AwsClients.sqs(aws), settings,
                ScanListener.all(listeners));
        TaskProtection protection = env.optional(TaskProtection.AGENT_URI)
                .map(uri -> new TaskProtection(uri, worker::isBusy, Duration.ofSeconds(1)))
                .orElse(null);
        CountDownLatch exited = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("SIGTERM: stopping");
            try {
                boolean clean = worker.stop(GRACE);
                LOG.info("worker stopped {}", clean ? "cleanly" : "with messages given back");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (protection != null) {
                    protection.close();
                }
                if (events != null) {
                    events.close();
                }
                metrics.close();
                ds.close();
                exited.countDown();
            }
        }, "shutdown"));
        worker.start();
        System.err.println("scanner worker: started");
        exited.await();
    }
}
