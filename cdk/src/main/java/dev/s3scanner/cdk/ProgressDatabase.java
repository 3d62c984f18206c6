package dev.s3scanner.cdk;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.ec2.Connections;
import software.amazon.awscdk.services.ec2.ConnectionsProps;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.rds.DatabaseInstanceEngine;
import software.amazon.awscdk.services.rds.DatabaseProxy;
import software.amazon.awscdk.services.rds.DatabaseProxyOptions;
import software.amazon.awscdk.services.rds.IInstanceEngine;
import software.amazon.awscdk.services.rds.ParameterGroup;
import software.amazon.awscdk.services.rds.PostgresEngineVersion;
import software.amazon.awscdk.services.rds.PostgresInstanceEngineProps;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.triggers.Trigger;
import software.constructs.Construct;

/**
 * The job-progress database: RDS for PostgreSQL in private subnets, its credentials in Secrets
 * Manager, an RDS Proxy in front (TLS required, IAM auth available, session settings in the
 * proxy's init query), the Flyway migrations run at deploy time by a function that a CDK
 * {@link Trigger} invokes after the instance exists, and the refresher function that an
 * EventBridge {@code rate(1 minute)} rule runs ({@code REFRESH MATERIALIZED VIEW CONCURRENTLY
 * job_progress}).
 *
 * <p>Clients (API, lister, workers) reach the database through the proxy: connect with
 * {@link #environment()}, allow with {@link #getConnections()}, and authorize with
 * {@link #grantConnect(IGrantable)}. The refresher and the migration connect to the instance
 * directly: a refresh and DDL may run longer than the proxy's statement timeout and may pin a
 * proxy session (cases/16, cases/17). The refresher has reserved concurrency 1 and no async
 * retries, so overlapping refreshes are dropped instead of queued. Its Powertools metrics
 * ({@link #metricRefreshDuration}, {@link #metricRefreshFailures}) feed
 * {@link #getRefreshFailureAlarm()}.
 */
public class ProgressDatabase extends Construct implements IConnectable {

    /** Default proxy init query: timeouts that would otherwise be {@code SET} by clients. */
    public static final String DEFAULT_INIT_QUERY =
            "SET statement_timeout = '60s'; SET lock_timeout = '10s'; SET idle_in_transaction_session_timeout = '60s'";
    /** The database name. */
    public static final String DATABASE_NAME = "scanner";
    /** The master user name stored in the secret. */
    public static final String MASTER_USERNAME = "scanner_admin";

    private final String metricsNamespace;
    private final Alarm refreshFailureAlarm;
    private final DatabaseInstance instance;
    private final DatabaseProxy proxy;
    private final ISecret secret;
    private final Function refreshFunction;
    private final Function migrateFunction;
    private final Trigger migrationTrigger;
    private final Rule refreshRule;
    private final boolean iamAuth;
    private final Connections connections;

    /**
     * @param scope parent
     * @param id construct id
     * @param props settings; {@code vpc} is required
     * @throws IllegalArgumentException when a property is out of range; the message names it
     */
    public ProgressDatabase(Construct scope, String id, ProgressDatabaseProps props) {
        super(scope, id);
        if (props.getAllocatedStorageGiB() != null
                && (props.getAllocatedStorageGiB() < 20 || props.getAllocatedStorageGiB() > 16384)) {
            throw new IllegalArgumentException("allocatedStorageGiB must be between 20 and 16384, got "
                    + props.getAllocatedStorageGiB());
        }
        this.metricsNamespace = ScannerMetrics.checkNamespace(props.getMetricsNamespace());
        if (props.getProxyInitQuery() != null && props.getProxyInitQuery().isBlank()) {
            throw new IllegalArgumentException("proxyInitQuery must not be blank: leave it unset for the default");
        }
        IVpc vpc = props.getVpc();
        SubnetSelection dbSubnets = props.getDatabaseSubnets() != null ? props.getDatabaseSubnets()
                : SubnetSelection.builder().subnetType(vpc.getIsolatedSubnets().isEmpty()
                        ? SubnetType.PRIVATE_WITH_EGRESS : SubnetType.PRIVATE_ISOLATED).build();
        SubnetSelection fnSubnets = props.getFunctionSubnets() != null ? props.getFunctionSubnets()
                : SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
        this.iamAuth = Boolean.TRUE.equals(props.getIamAuth());
        int storage = props.getAllocatedStorageGiB() == null ? 50 : props.getAllocatedStorageGiB();

        IInstanceEngine engine = DatabaseInstanceEngine.postgres(
                PostgresInstanceEngineProps.builder().version(PostgresEngineVersion.VER_16).build());
        Map<String, String> parameters = new TreeMap<>();
        parameters.put("rds.force_ssl", "1");
        ParameterGroup parameterGroup = ParameterGroup.Builder.create(this, "Parameters")
                .engine(engine)
                .description("S3 Scanner progress database: TLS only")
                .parameters(parameters)
                .build();

        this.instance = DatabaseInstance.Builder.create(this, "Instance")
                .engine(engine)
                .instanceType(props.getInstanceType() != null ? props.getInstanceType() : new InstanceType("t3.medium"))
                .vpc(vpc)
                .vpcSubnets(dbSubnets)
                .credentials(Credentials.fromGeneratedSecret(MASTER_USERNAME))
                .databaseName(DATABASE_NAME)
                .parameterGroup(parameterGroup)
                .multiAz(Boolean.TRUE.equals(props.getMultiAz()))
                .allocatedStorage(storage)
                .maxAllocatedStorage(Math.min(storage * 4, 65536))
                .storageEncrypted(true)
                .storageEncryptionKey(props.getStorageEncryptionKey())
                .iamAuthentication(true)
                .publiclyAccessible(false)
                .autoMinorVersionUpgrade(true)
                .backupRetention(props.getBackupRetention() != null ? props.getBackupRetention() : Duration.days(7))
                .deletionProtection(props.getDeletionProtection() == null || props.getDeletionProtection())
                .removalPolicy(props.getRemovalPolicy() != null ? props.getRemovalPolicy() : RemovalPolicy.SNAPSHOT)
                .cloudwatchLogsExports(List.of("postgresql"))
                .build();
        this.secret = instance.getSecret();

        this.proxy = instance.addProxy("Proxy", DatabaseProxyOptions.builder()
                .vpc(vpc)
                .vpcSubnets(fnSubnets)
                .secrets(List.of(secret))
                .requireTls(true)
                .iamAuth(iamAuth)
                .initQuery(props.getProxyInitQuery() != null ? props.getProxyInitQuery() : DEFAULT_INIT_QUERY)
                .borrowTimeout(Duration.seconds(30))
                .maxConnectionsPercent(90)
                .build());
        instance.getConnections().allowDefaultPortFrom(proxy, "RDS Proxy to the database");
        this.connections = new Connections(ConnectionsProps.builder()
                .securityGroups(proxy.getConnections().getSecurityGroups())
                .defaultPort(Port.tcp(5432))
                .build());

        Code code = props.getRefresherCode() != null ? props.getRefresherCode() : RuntimeAssets.refresherCode();
        Map<String, String> direct = JavaFunctions.sorted(directEnvironment(),
                ScannerMetrics.powertoolsEnvironment(ScannerMetrics.REFRESHER_SERVICE, metricsNamespace));

        this.refreshFunction = JavaFunctions.builder(this, "RefreshFunction", code,
                        "dev.s3scanner.refresher.RefreshHandler::handleRequest", vpc, fnSubnets, direct,
                        "Refreshes the job_progress materialized view (EventBridge rate(1 minute))")
                .memorySize(512)
                .timeout(Duration.seconds(55))
                .reservedConcurrentExecutions(1)
                .build();
        refreshFunction.configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .retryAttempts(0)
                .maxEventAge(Duration.minutes(1))
                .build());
        this.refreshRule = Rule.Builder.create(this, "RefreshSchedule")
                .description("Refresh job_progress once a minute")
                .schedule(Schedule.rate(Duration.minutes(1)))
                .targets(List.of(LambdaFunction.Builder.create(refreshFunction)
                        .retryAttempts(0)
                        .maxEventAge(Duration.minutes(1))
                        .build()))
                .build();

        Map<String, String> migrateEnv = new TreeMap<>(direct);
        migrateEnv.put("SCANNER_PARTITIONED", Boolean.toString(Boolean.TRUE.equals(props.getPartitionedJobObjects())));
        this.migrateFunction = JavaFunctions.builder(this, "MigrateFunction", code,
                        "dev.s3scanner.refresher.MigrateHandler::handleRequest", vpc, fnSubnets, migrateEnv,
                        "Runs the Flyway migrations (CDK Trigger at deploy time)")
                .memorySize(1024)
                .timeout(Duration.minutes(15))
                .reservedConcurrentExecutions(1)
                .build();
        this.migrationTrigger = Trigger.Builder.create(this, "MigrationTrigger")
                .handler(migrateFunction)
                .executeAfter(List.of(instance))
                .executeOnHandlerChange(true)
                .timeout(Duration.minutes(15))
                .build();

        for (Function fn : List.of(refreshFunction, migrateFunction)) {
            secret.grantRead(fn);
            instance.getConnections().allowDefaultPortFrom(fn, "Direct connection from " + fn.getNode().getId());
            Nag.lambdaManagedPolicies(fn.getRole());
        }

        Map<String, IMetric> refreshInputs = new TreeMap<>();
        refreshInputs.put("failures", metricRefreshFailures(null));
        refreshInputs.put("errors", refreshFunction.metricErrors(FairQueue.defaults(null, "Sum")));
        this.refreshFailureAlarm = Alarm.Builder.create(this, "RefreshFailureAlarm")
                .alarmDescription("The job_progress refresh failed in 3 of the last 5 minutes (RefreshFailures or the"
                        + " refresh function's Errors): GET /jobs shows stale figures until it recovers")
                .metric(MathExpression.Builder.create()
                        .expression("FILL(failures, 0) + FILL(errors, 0)")
                        .usingMetrics(refreshInputs)
                        .label("Failed refreshes")
                        .period(Duration.minutes(1))
                        .build())
                .threshold(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(5)
                .datapointsToAlarm(3)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();

        Nag.suppress(instance.getNode().findChild("Secret"), "AwsSolutions-SMG4",
                "The runtime caches the password for the process lifetime and the refresher connects directly;"
                        + " rotate on purpose with a deployment, not on a schedule that would break live connections");
        Nag.suppress(instance, "AwsSolutions-RDS11",
                "PostgreSQL's default port: RDS Proxy for PostgreSQL listens on 5432 and a non-default port adds no protection inside private subnets");
        if (!Boolean.TRUE.equals(props.getMultiAz())) {
            Nag.suppress(instance, "AwsSolutions-RDS3",
                    "Single-AZ is the small tier's documented choice (ScaleTier.SMALL); other tiers are Multi-AZ");
        }
    }

    /** @return the database instance */
    public DatabaseInstance getInstance() { return instance; }

    /** @return the RDS Proxy clients connect through */
    public DatabaseProxy getProxy() { return proxy; }

    /** @return the master credentials (RDS's JSON shape: username, password, host, port, dbname) */
    public ISecret getSecret() { return secret; }

    /** @return the function that refreshes {@code job_progress} once a minute */
    public Function getRefreshFunction() { return refreshFunction; }

    /** @return the function that runs the Flyway migrations */
    public Function getMigrateFunction() { return migrateFunction; }

    /** @return the CDK Trigger that runs the migrations on deploy (after the instance exists) */
    public Trigger getMigrationTrigger() { return migrationTrigger; }

    /** @return the EventBridge {@code rate(1 minute)} rule */
    public Rule getRefreshRule() { return refreshRule; }

    /** @return the namespace of the refresher's metrics */
    public String getMetricsNamespace() { return metricsNamespace; }

    /**
     * Alarm on refresh failures: {@code RefreshFailures} plus the refresh function's
     * {@code Errors} at 1 or more per minute in 3 of 5 consecutive minutes (one failed run is
     * retried by the next minute's schedule; three mean {@code job_progress} is going stale).
     * Missing data is not breaching. No actions: add yours.
     *
     * @return the alarm
     */
    public Alarm getRefreshFailureAlarm() { return refreshFailureAlarm; }

    /** @return the proxy's connections: allow a client with {@code getConnections().allowDefaultPortFrom(client)} */
    @Override
    public Connections getConnections() { return connections; }

    /**
     * Lets {@code grantee} read the secret and, when the proxy requires IAM auth, {@code rds-db:connect}.
     *
     * @param grantee the client's principal
     * @return the secret-read grant
     */
    public Grant grantConnect(IGrantable grantee) {
        Grant read = secret.grantRead(grantee);
        if (iamAuth) {
            proxy.grantConnect(grantee, MASTER_USERNAME);
        }
        return read;
    }

    /**
     * @return the client environment through the proxy: {@code SCANNER_DB_SECRET_ARN},
     *         {@code SCANNER_DB_HOST} (proxy endpoint), {@code SCANNER_DB_PORT}, {@code SCANNER_DB_NAME}
     */
    public Map<String, String> environment() {
        Map<String, String> env = new TreeMap<>();
        env.put("SCANNER_DB_SECRET_ARN", secret.getSecretArn());
        env.put("SCANNER_DB_HOST", proxy.getEndpoint());
        env.put("SCANNER_DB_PORT", "5432");
        env.put("SCANNER_DB_NAME", DATABASE_NAME);
        return env;
    }

    private Map<String, String> directEnvironment() {
        Map<String, String> env = new TreeMap<>();
        env.put("SCANNER_DB_SECRET_ARN", secret.getSecretArn());
        env.put("SCANNER_DB_HOST", instance.getDbInstanceEndpointAddress());
        env.put("SCANNER_DB_PORT", instance.getDbInstanceEndpointPort());
        env.put("SCANNER_DB_NAME", DATABASE_NAME);
        return env;
    }

    /**
     * Sessions pinned by the proxy; should stay near 0 (cases/16).
     *
     * @param options overrides, may be {@code null}
     * @return {@code AWS/RDS DatabaseConnectionsCurrentlySessionPinned} for the proxy (Maximum, 1 minute)
     */
    public Metric metricSessionsPinned(MetricOptions options) {
        MetricOptions o = FairQueue.defaults(options, "Maximum");
        return Metric.Builder.create()
                .namespace("AWS/RDS")
                .metricName("DatabaseConnectionsCurrentlySessionPinned")
                .dimensionsMap(Map.of("ProxyName", proxy.getDbProxyName()))
                .period(o.getPeriod())
                .statistic(o.getStatistic())
                .label(o.getLabel())
                .build();
    }

    /**
     * Refresher metric (Powertools EMF, dimension {@code Service} = {@value ScannerMetrics#REFRESHER_SERVICE}).
     *
     * @param options overrides, may be {@code null}
     * @return {@code RefreshDuration} in milliseconds (Maximum, 1 minute)
     */
    public Metric metricRefreshDuration(MetricOptions options) {
        return ScannerMetrics.metric(metricsNamespace, ScannerMetrics.REFRESH_DURATION,
                Map.of(ScannerMetrics.SERVICE, ScannerMetrics.REFRESHER_SERVICE), "Maximum", "Refresh duration (ms)", options);
    }

    /**
     * Refresher metric (Powertools EMF, dimension {@code Service} = {@value ScannerMetrics#REFRESHER_SERVICE}).
     *
     * @param options overrides, may be {@code null}
     * @return {@code RefreshFailures} (Sum, 1 minute)
     */
    public Metric metricRefreshFailures(MetricOptions options) {
        return ScannerMetrics.metric(metricsNamespace, ScannerMetrics.REFRESH_FAILURES,
                Map.of(ScannerMetrics.SERVICE, ScannerMetrics.REFRESHER_SERVICE), "Sum", "Refresh failures", options);
    }

    /**
     * @param options overrides, may be {@code null}
     * @return the instance's CPU utilization in percent (Average, 1 minute)
     */
    public Metric metricCpuUtilization(MetricOptions options) {
        return instance.metricCPUUtilization(FairQueue.defaults(options, "Average"));
    }

    /**
     * @param options overrides, may be {@code null}
     * @return the instance's open connections (Maximum, 1 minute)
     */
    public Metric metricDatabaseConnections(MetricOptions options) {
        return instance.metricDatabaseConnections(FairQueue.defaults(options, "Maximum"));
    }
}
