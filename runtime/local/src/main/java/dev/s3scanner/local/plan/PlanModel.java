package dev.s3scanner.local.plan;

import static dev.s3scanner.local.plan.Quantities.bytes;
import static dev.s3scanner.local.plan.Quantities.count;
import static dev.s3scanner.local.plan.Quantities.duration;
import static dev.s3scanner.local.plan.Quantities.money;
import static dev.s3scanner.local.plan.Quantities.price;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The capacity and cost model behind {@code scanner plan}: how long listing and scanning take and
 * what each AWS service costs, for a number of objects, an average size and a scale tier. Every
 * input is a visible, overridable parameter, and every output line shows its formula, so a reader
 * can check it line by line.
 *
 * <p>Sources of the default inputs:
 * <ul>
 *   <li>Prices: AWS public price lists for US East (N. Virginia), on-demand, as of 2026:
 *       Amazon S3 (LIST $0.005 and GET $0.0004 per 1,000 requests; S3 Inventory $0.0025 per
 *       million objects listed), Amazon SQS (standard queue $0.40 per million requests, every 64 KiB
 *       chunk of a request's payload billed as one request), AWS Fargate (Linux/x86
 *       $0.04048 per vCPU-hour and $0.004445 per GB-hour), AWS Lambda ($0.20 per million requests,
 *       $0.0000166667 per GB-second), AWS Step Functions Standard ($0.025 per 1,000 state
 *       transitions), Amazon RDS for PostgreSQL (per-hour instance prices below, doubled for
 *       Multi-AZ) and Amazon Macie (sensitive data discovery $1.00 per GB, first 50 TB a month).</li>
 *   <li>S3 request rates: S3 User Guide, "Best practices design patterns: optimizing Amazon S3
 *       performance" (at least 5,500 GET requests per second per partitioned prefix); ListObjectsV2
 *       returns at most 1,000 keys per call.</li>
 *   <li>Throughputs: the project's own benchmarks, recorded in BENCHMARKS.md (listing
 *       record-and-enqueue rate, worker files and bytes per vCPU, and the database's CPU per recorded
 *       object: 0.09–0.15 ms of PostgreSQL CPU per object with three findings on this machine, taken
 *       as 0.2 ms, so 5,000 objects per second per database vCPU, for RDS's Multi-AZ commits and RDS
 *       Proxy, which the benchmark machine does not have).</li>
 * </ul>
 * Not modelled: data transfer (none inside a Region through the S3 gateway endpoint the stack
 * creates), CloudWatch, Secrets Manager, KMS requests, and the database's storage.
 */
public final class PlanModel {
    private PlanModel() {
    }

    /**
     * Unit prices in US dollars.
     *
     * @param s3ListPer1000        S3 LIST requests, per 1,000
     * @param s3GetPer1000         S3 GET requests, per 1,000
     * @param inventoryPerMillion  S3 Inventory, per million objects listed
     * @param sqsPerMillion        SQS standard requests (64 KiB chunks), per million
     * @param fargateVcpuHour      Fargate vCPU-hour
     * @param fargateGbHour        Fargate GB-hour of memory
     * @param lambdaPerMillion     Lambda requests, per million
     * @param lambdaGbSecond       Lambda GB-second
     * @param sfnPer1000           Step Functions Standard state transitions, per 1,000
     * @param rdsInstanceHour      RDS for PostgreSQL single-AZ instance-hour by instance class
     * @param maciePerGb           Amazon Macie sensitive data discovery, per GB
     */
    public record Prices(double s3ListPer1000, double s3GetPer1000, double inventoryPerMillion, double sqsPerMillion,
                         double fargateVcpuHour, double fargateGbHour, double lambdaPerMillion, double lambdaGbSecond,
                         double sfnPer1000, Map<String, Double> rdsInstanceHour, double maciePerGb) {
        /** us-east-1 on-demand prices (see the class comment for the sources). */
        public static Prices usEast1() {
            return new Prices(0.005, 0.0004, 0.0025, 0.40, 0.04048, 0.004445, 0.20, 0.0000166667, 0.025,
                    Map.of("db.t3.medium", 0.068, "db.t3.large", 0.136, "db.r6g.large", 0.225, "db.r6g.xlarge", 0.45),
                    1.00);
        }
    }

    /**
     * Throughputs and latencies.
     *
     * @param listPageSeconds          time of one ListObjectsV2 call (1,000 keys) from a Lambda function
     * @param recordObjectsPerSecond   objects recorded and enqueued per second by one list step
     * @param inventoryObjectsPerSecond objects read from S3 Inventory CSV.gz per second by one step
     * @param workerFilesPerVcpuSecond small objects one worker vCPU scans per second (per-object overhead bound)
     * @param workerBytesPerVcpuSecond bytes one worker vCPU scans per second (detection bound)
     * @param s3GetsPerPrefixSecond    S3 GET requests per second per partitioned prefix
     * @param stepStartupSeconds       time for the first tasks to start and the fleet to scale out
     * @param dbObjectsPerVcpuSecond   objects whose results (state, findings, counters) one database
     *                                 vCPU records per second
     */
    public record Rates(double listPageSeconds, double recordObjectsPerSecond, double inventoryObjectsPerSecond,
                        double workerFilesPerVcpuSecond, double workerBytesPerVcpuSecond, double s3GetsPerPrefixSecond,
                        double stepStartupSeconds, double dbObjectsPerVcpuSecond) {
        /** Defaults from BENCHMARKS.md and S3's documented request rates. */
        public static Rates defaults() {
            return new Rates(0.12, 40_000, 100_000, 1_000, 100e6, 5_500, 120, 5_000);
        }
    }

    /**
     * vCPUs of the RDS instance classes the tiers use (Amazon RDS User Guide, "Hardware specifications
     * for DB instance classes").
     */
    static final Map<String, Integer> RDS_VCPUS = Map.of("db.t3.medium", 2, "db.t3.large", 2, "db.r6g.large", 2,
            "db.r6g.xlarge", 4);

    /**
     * A scale tier as the CDK's {@code ScaleTier} defines it (DESIGN.md, "Scale tiers").
     *
     * @param name          tier name
     * @param upToObjects   the largest job the tier is meant for ({@code Long.MAX_VALUE} for the last)
     * @param maxWorkers    ECS tasks at most
     * @param workerVcpu    vCPUs per task
     * @param workerMemoryGb memory per task in GB
     * @param dbInstance    RDS instance class
     * @param multiAz       whether the database is Multi-AZ
     * @param inventory     whether listing reads S3 Inventory instead of ListObjectsV2
     */
    public record Tier(String name, long upToObjects, int maxWorkers, double workerVcpu, double workerMemoryGb,
                       String dbInstance, boolean multiAz, boolean inventory) {
    }

    /** The four tiers, smallest first (the CDK's {@code ScaleTier} defaults). */
    public static List<Tier> tiers() {
        return List.of(
                new Tier("small", 1_000_000, 5, 1, 2, "db.t3.medium", false, false),
                new Tier("medium", 10_000_000, 20, 1, 2, "db.t3.large", true, false),
                new Tier("large", 50_000_000, 50, 2, 4, "db.r6g.large", true, false),
                new Tier("enterprise", Long.MAX_VALUE, 100, 2, 4, "db.r6g.xlarge", true, true));
    }

    /** The tier by name. @throws IllegalArgumentException naming the tiers for an unknown name */
    public static Tier tier(String name) {
        for (Tier t : tiers()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("tier must be one of small, medium, large, enterprise, got '" + name + "'");
    }

    /** The smallest tier meant for {@code objects} objects. */
    public static Tier recommend(long objects) {
        for (Tier t : tiers()) {
            if (objects <= t.upToObjects()) {
                return t;
            }
        }
        throw new IllegalStateException("unreachable: the last tier has no upper bound");
    }

    /**
     * Everything the model needs.
     *
     * @param objects            objects in the job
     * @param avgSizeBytes       average object size in bytes
     * @param tier               the tier deployed
     * @param prices             unit prices
     * @param rates              throughputs
     * @param prefixes           partitioned prefixes the objects are spread over (bounds the S3 GET rate)
     * @param objectsPerMessage  objects packed per SQS message
     * @param messageBytes       average message body size in bytes
     * @param pagesPerStep       ListObjectsV2 pages per list step (Lambda invocation)
     * @param transitionsPerStep Step Functions state transitions per list step
     * @param listMemoryGb       memory of the list-step Lambda function in GB
     */
    public record Inputs(long objects, long avgSizeBytes, Tier tier, Prices prices, Rates rates, int prefixes,
                         int objectsPerMessage, int messageBytes, int pagesPerStep, int transitionsPerStep,
                         double listMemoryGb) {
        public Inputs {
            Objects.requireNonNull(tier, "tier");
            Objects.requireNonNull(prices, "prices");
            Objects.requireNonNull(rates, "rates");
        }

        /** Defaults for everything but the job and the tier. */
        public static Inputs of(long objects, long avgSizeBytes, Tier tier) {
            return new Inputs(objects, avgSizeBytes, tier, Prices.usEast1(), Rates.defaults(), 10, 100, 15_000, 10, 3, 1.0);
        }
    }

    /**
     * One line of the plan.
     *
     * @param section  the part it belongs to
     * @param label    what it is
     * @param formula  how it is computed, with the numbers used
     * @param value    the result, formatted
     */
    public record Line(String section, String label, String formula, String value) {
    }

    /**
     * The plan.
     *
     * @param inputs         what it was computed from
     * @param lines          every step, in order
     * @param listingSeconds time to list and enqueue every object
     * @param scanSeconds    time for the worker fleet to scan every object
     * @param totalSeconds   the job's wall-clock time (listing and scanning overlap)
     * @param costUsd        the job's total cost
     * @param macieUsd       Amazon Macie's price for the same bytes
     * @param recommended    the tier meant for this many objects
     */
    public record Plan(Inputs inputs, List<Line> lines, double listingSeconds, double scanSeconds, double totalSeconds,
                       double costUsd, double macieUsd, Tier recommended) {
        /** Cost per million objects. */
        public double costPerMillionUsd() {
            return costUsd / inputs.objects() * 1_000_000;
        }
    }

    /** Computes a plan. */
    public static Plan compute(Inputs in) {
        List<Line> lines = new ArrayList<>();
        Tier t = in.tier();
        Rates r = in.rates();
        Prices p = in.prices();
        double n = in.objects();
        double totalBytes = n * in.avgSizeBytes();
        String job = "job";
        lines.add(new Line(job, "data", count(n) + " objects x " + bytes(in.avgSizeBytes()), bytes(totalBytes)));
        lines.add(new Line(job, "tier", t.name() + ": " + t.maxWorkers() + " workers x " + fmt(t.workerVcpu()) + " vCPU / "
                + fmt(t.workerMemoryGb()) + " GB, " + t.dbInstance() + (t.multiAz() ? " Multi-AZ" : ""),
                t.inventory() ? "S3 Inventory listing" : "ListObjectsV2 listing"));

        // listing
        String ls = "listing";
        double pages = Math.ceil(n / 1000);
        double listingSeconds;
        double steps;
        if (t.inventory()) {
            listingSeconds = n / r.inventoryObjectsPerSecond();
            lines.add(new Line(ls, "read rate", "S3 Inventory CSV.gz, measured", count(r.inventoryObjectsPerSecond()) + " objects/s"));
            lines.add(new Line(ls, "listing time", count(n) + " / " + count(r.inventoryObjectsPerSecond()) + "/s", duration(listingSeconds)));
            steps = Math.ceil(n / (in.pagesPerStep() * 1000.0));
        } else {
            double perPage = r.listPageSeconds() + 1000 / r.recordObjectsPerSecond();
            listingSeconds = pages * perPage;
            lines.add(new Line(ls, "pages", count(n) + " / 1,000 keys per ListObjectsV2 call", count(pages)));
            lines.add(new Line(ls, "time per page", fmt(r.listPageSeconds()) + " s LIST + 1,000 / " + count(r.recordObjectsPerSecond())
                    + "/s record and enqueue", fmt(perPage) + " s"));
            lines.add(new Line(ls, "listing time", count(pages) + " pages x " + fmt(perPage) + " s", duration(listingSeconds)));
            steps = Math.ceil(pages / in.pagesPerStep());
        }
        lines.add(new Line(ls, "list steps", (t.inventory() ? count(n) + " / " + count(in.pagesPerStep() * 1000.0)
                : count(pages) + " / " + in.pagesPerStep()) + " per Lambda invocation", count(steps)));

        // scanning
        String sc = "scanning";
        double byFiles = r.workerFilesPerVcpuSecond() * t.workerVcpu();
        double byBytes = r.workerBytesPerVcpuSecond() * t.workerVcpu() / in.avgSizeBytes();
        double perWorker = Math.min(byFiles, byBytes);
        lines.add(new Line(sc, "per worker", "min(" + fmt(t.workerVcpu()) + " vCPU x " + count(r.workerFilesPerVcpuSecond())
                + " files/s, " + fmt(t.workerVcpu()) + " vCPU x " + bytes(r.workerBytesPerVcpuSecond()) + "/s / "
                + bytes(in.avgSizeBytes()) + ")", fmt(perWorker) + " objects/s"));
        double fleet = perWorker * t.maxWorkers();
        double getCap = r.s3GetsPerPrefixSecond() * in.prefixes();
        Integer dbVcpus = RDS_VCPUS.get(t.dbInstance());
        if (dbVcpus == null) {
            throw new IllegalArgumentException("no vCPU count for RDS instance class " + t.dbInstance());
        }
        double dbCap = r.dbObjectsPerVcpuSecond() * dbVcpus;
        double rate = Math.min(fleet, Math.min(getCap, dbCap));
        lines.add(new Line(sc, "fleet", "min(" + t.maxWorkers() + " workers x " + fmt(perWorker) + "/s, S3 "
                + count(r.s3GetsPerPrefixSecond()) + " GET/s x " + in.prefixes() + " prefixes, " + t.dbInstance() + " "
                + dbVcpus + " vCPU x " + count(r.dbObjectsPerVcpuSecond()) + " recorded/s)", count(rate) + " objects/s"));
        double scanSeconds = n / rate;
        lines.add(new Line(sc, "scan time", count(n) + " / " + count(rate) + "/s", duration(scanSeconds)));
        double totalSeconds = Math.max(listingSeconds, scanSeconds) + r.stepStartupSeconds();
        lines.add(new Line(sc, "job time", "max(listing, scanning) + " + duration(r.stepStartupSeconds())
                + " start-up and scale-out (they overlap)", duration(totalSeconds)));

        // cost
        String co = "cost";
        double cost = 0;
        if (t.inventory()) {
            double inv = n / 1e6 * p.inventoryPerMillion();
            cost += inv;
            lines.add(new Line(co, "S3 Inventory", count(n) + " / 1M x " + price(p.inventoryPerMillion()), money(inv)));
        } else {
            double list = pages / 1000 * p.s3ListPer1000();
            cost += list;
            lines.add(new Line(co, "S3 LIST", count(pages) + " / 1,000 x " + price(p.s3ListPer1000()), money(list)));
        }
        double get = n / 1000 * p.s3GetPer1000();
        cost += get;
        lines.add(new Line(co, "S3 GET", count(n) + " / 1,000 x " + price(p.s3GetPer1000()), money(get)));
        double messages = Math.ceil(n / in.objectsPerMessage());
        double chunksPerBatch = Math.ceil(10.0 * in.messageBytes() / 65_536);
        double batches = Math.ceil(messages / 10);
        double sqsRequests = batches * chunksPerBatch * 2 + batches; // send and receive carry bodies; delete does not
        double sqs = sqsRequests / 1e6 * p.sqsPerMillion();
        cost += sqs;
        lines.add(new Line(co, "SQS messages", count(n) + " / " + in.objectsPerMessage() + " objects per message",
                count(messages)));
        lines.add(new Line(co, "SQS requests", count(batches) + " batches of 10 x (" + fmt(chunksPerBatch) + " send + "
                + fmt(chunksPerBatch) + " receive 64 KiB chunks + 1 delete)", count(sqsRequests)));
        lines.add(new Line(co, "SQS", count(sqsRequests) + " / 1M x " + price(p.sqsPerMillion()), money(sqs)));
        double taskHours = t.maxWorkers() * scanSeconds / 3600;
        double fargatePerTaskHour = t.workerVcpu() * p.fargateVcpuHour() + t.workerMemoryGb() * p.fargateGbHour();
        double fargate = taskHours * fargatePerTaskHour;
        cost += fargate;
        lines.add(new Line(co, "Fargate", t.maxWorkers() + " tasks x " + fmt(scanSeconds / 3600) + " h x ("
                + fmt(t.workerVcpu()) + " x " + price(p.fargateVcpuHour()) + " + " + fmt(t.workerMemoryGb()) + " x "
                + price(p.fargateGbHour()) + ")", money(fargate)));
        double stepSeconds = listingSeconds / steps;
        double lambda = steps / 1e6 * p.lambdaPerMillion() + steps * stepSeconds * in.listMemoryGb() * p.lambdaGbSecond();
        cost += lambda;
        lines.add(new Line(co, "Lambda", count(steps) + " list steps x (" + fmt(stepSeconds) + " s x " + fmt(in.listMemoryGb())
                + " GB x " + price(p.lambdaGbSecond()) + " + request)", money(lambda)));
        double sfn = steps * in.transitionsPerStep() / 1000 * p.sfnPer1000();
        cost += sfn;
        lines.add(new Line(co, "Step Functions", count(steps) + " steps x " + in.transitionsPerStep() + " transitions / 1,000 x "
                + price(p.sfnPer1000()), money(sfn)));
        Double hourly = p.rdsInstanceHour().get(t.dbInstance());
        if (hourly == null) {
            throw new IllegalArgumentException("no price for RDS instance class " + t.dbInstance());
        }
        double rdsHourly = hourly * (t.multiAz() ? 2 : 1);
        double rds = rdsHourly * totalSeconds / 3600;
        cost += rds;
        lines.add(new Line(co, "RDS (while the job runs)", price(hourly) + "/h" + (t.multiAz() ? " x 2 (Multi-AZ)" : "") + " x "
                + fmt(totalSeconds / 3600) + " h", money(rds)));
        lines.add(new Line(co, "total", "sum of the above", money(cost)));
        lines.add(new Line(co, "per 1M objects", money(cost) + " / " + fmt(n / 1e6), money(cost / n * 1e6)));
        double macie = totalBytes / 1e9 * p.maciePerGb();
        lines.add(new Line(co, "Amazon Macie, same data", bytes(totalBytes) + " x " + price(p.maciePerGb()) + "/GB", money(macie)));
        Tier recommended = recommend(in.objects());
        if (!t.inventory() && listingSeconds > 2 * scanSeconds) {
            lines.add(new Line("note", "listing bound", "listing takes " + duration(listingSeconds) + ", scanning "
                    + duration(scanSeconds), "S3 Inventory mode (--inventory) lists faster"));
        }
        return new Plan(in, List.copyOf(lines), listingSeconds, scanSeconds, totalSeconds, cost, macie, recommended);
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, Math.abs(v) < 10 ? "%.3f" : "%,.1f", v);
    }
}
