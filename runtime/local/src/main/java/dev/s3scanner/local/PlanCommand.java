package dev.s3scanner.local;

import dev.s3scanner.local.plan.PlanModel;
import dev.s3scanner.local.plan.Quantities;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scanner plan}: expected listing time, scan time and cost per AWS service for a job on a
 * tier, from {@link PlanModel}, with every formula shown and every input overridable.
 */
@Command(name = "plan", description = "Estimate listing time, scan time and cost per AWS service for a job on a tier.")
final class PlanCommand implements Callable<Integer> {
    @Option(names = "--objects", required = true, paramLabel = "N", description = "Objects in the job, e.g. 1M, 50M, 250000.")
    String objects;

    @Option(names = "--avg-size", required = true, paramLabel = "SIZE", description = "Average object size, e.g. 100KB, 2MB.")
    String avgSize;

    @Option(names = "--tier", paramLabel = "TIER", description = "small, medium, large or enterprise. Default: the tier meant for --objects.")
    String tier;

    @Option(names = "--max-workers", paramLabel = "N", description = "Override the tier's maximum worker tasks.")
    Integer maxWorkers;

    @Option(names = "--worker-vcpu", paramLabel = "N", description = "Override the tier's vCPUs per worker task.")
    Double workerVcpu;

    @Option(names = "--worker-memory-gb", paramLabel = "N", description = "Override the tier's memory per worker task, in GB.")
    Double workerMemoryGb;

    @Option(names = "--inventory", negatable = true, description = "Force S3 Inventory listing on or off (default: the tier's).")
    Boolean inventory;

    @Option(names = "--prefixes", paramLabel = "N", description = "Partitioned prefixes the objects are spread over. Default: ${DEFAULT-VALUE}.")
    int prefixes = 10;

    @Option(names = "--worker-files-per-vcpu", paramLabel = "N", description = "Small objects a worker vCPU scans per second (BENCHMARKS.md).")
    Double filesPerVcpu;

    @Option(names = "--worker-mb-per-vcpu", paramLabel = "N", description = "MB a worker vCPU scans per second (BENCHMARKS.md).")
    Double mbPerVcpu;

    @Option(names = "--db-objects-per-vcpu", paramLabel = "N", description = "Objects whose results one database vCPU records per second (BENCHMARKS.md).")
    Double dbObjectsPerVcpu;

    @Option(names = "--record-rate", paramLabel = "N", description = "Objects per second one list step records and enqueues (BENCHMARKS.md).")
    Double recordRate;

    @Option(names = "--list-page-seconds", paramLabel = "S", description = "Seconds per ListObjectsV2 call of 1,000 keys.")
    Double listPageSeconds;

    @Override
    public Integer call() {
        PlanModel.Plan plan = PlanModel.compute(inputs());
        print(plan, System.out);
        return 0;
    }

    PlanModel.Inputs inputs() {
        long n;
        long size;
        try {
            n = Quantities.parseCount(objects);
            size = Quantities.parseSize(avgSize);
        } catch (IllegalArgumentException e) {
            throw new UserException(2, e.getMessage());
        }
        PlanModel.Tier t;
        try {
            t = tier == null ? PlanModel.recommend(n) : PlanModel.tier(tier);
        } catch (IllegalArgumentException e) {
            throw new UserException(2, e.getMessage());
        }
        t = new PlanModel.Tier(t.name(), t.upToObjects(), positive(maxWorkers, t.maxWorkers(), "--max-workers"),
                positive(workerVcpu, t.workerVcpu(), "--worker-vcpu"), positive(workerMemoryGb, t.workerMemoryGb(), "--worker-memory-gb"),
                t.dbInstance(), t.multiAz(), inventory != null ? inventory : t.inventory());
        PlanModel.Rates d = PlanModel.Rates.defaults();
        PlanModel.Rates rates = new PlanModel.Rates(
                positive(listPageSeconds, d.listPageSeconds(), "--list-page-seconds"),
                positive(recordRate, d.recordObjectsPerSecond(), "--record-rate"),
                d.inventoryObjectsPerSecond(),
                positive(filesPerVcpu, d.workerFilesPerVcpuSecond(), "--worker-files-per-vcpu"),
                mbPerVcpu == null ? d.workerBytesPerVcpuSecond() : positive(mbPerVcpu, 0.0, "--worker-mb-per-vcpu") * 1e6,
                d.s3GetsPerPrefixSecond(), d.stepStartupSeconds(),
                positive(dbObjectsPerVcpu, d.dbObjectsPerVcpuSecond(), "--db-objects-per-vcpu"));
        if (prefixes < 1) {
            throw new UserException(2, "--prefixes must be at least 1, was " + prefixes);
        }
        PlanModel.Inputs base = PlanModel.Inputs.of(n, size, t);
        return new PlanModel.Inputs(n, size, t, base.prices(), rates, prefixes, base.objectsPerMessage(), base.messageBytes(),
                base.pagesPerStep(), base.transitionsPerStep(), base.listMemoryGb());
    }

    private static int positive(Integer v, int d, String name) {
        if (v == null) {
            return d;
        }
        if (v < 1) {
            throw new UserException(2, name + " must be at least 1, was " + v);
        }
        return v;
    }

    private static double positive(Double v, double d, String name) {
        if (v == null) {
            return d;
        }
        if (!(v > 0)) {
            throw new UserException(2, name + " must be greater than 0, was " + v);
        }
        return v;
    }

    static void print(PlanModel.Plan plan, PrintStream out) {
        int labelWidth = 0;
        int formulaWidth = 0;
        for (PlanModel.Line l : plan.lines()) {
            labelWidth = Math.max(labelWidth, l.label().length());
            formulaWidth = Math.max(formulaWidth, l.formula().length());
        }
        String section = "";
        for (PlanModel.Line l : plan.lines()) {
            if (!l.section().equals(section)) {
                section = l.section();
                out.println(section.substring(0, 1).toUpperCase(Locale.ROOT) + section.substring(1));
            }
            out.printf("  %-" + labelWidth + "s  %-" + formulaWidth + "s  = %s%n", l.label(), l.formula(), l.value());
        }
        PlanModel.Tier used = plan.inputs().tier();
        out.println();
        out.printf("Estimate: %s for %s objects (%s per 1M), done in about %s; Amazon Macie would charge %s for the same bytes.%n",
                Quantities.money(plan.costUsd()), Quantities.count(plan.inputs().objects()),
                Quantities.money(plan.costPerMillionUsd()), Quantities.duration(plan.totalSeconds()),
                Quantities.money(plan.macieUsd()));
        if (!plan.recommended().name().equals(used.name())) {
            out.printf("Recommended tier for %s objects: %s (planned with %s).%n", Quantities.count(plan.inputs().objects()),
                    plan.recommended().name(), used.name());
        } else {
            out.printf("Recommended tier: %s (deploy with: cdk deploy -c tier=%s).%n", used.name(), used.name());
        }
        out.println("Inputs: prices are us-east-1 on-demand list prices; rates come from BENCHMARKS.md; override them with the options of scanner plan --help.");
    }
}
