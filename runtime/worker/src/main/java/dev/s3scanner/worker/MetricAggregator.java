package dev.s3scanner.worker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StatisticSet;

/**
 * Aggregates metric values in memory as CloudWatch statistic sets (sample count, sum, minimum,
 * maximum per metric name, unit and dimension) and turns what it holds into PutMetricData
 * requests, so that a worker sends one call a minute whatever it scanned. Thread-safe.
 *
 * <p>CloudWatch cannot compute percentiles from statistic sets, so a metric whose percentiles
 * matter (the dashboard's latency p50/p99) is added with {@link #addDistribution}: its samples are
 * kept as {@code Values}/{@code Counts} pairs (rounded to two significant digits from 100 up, so a
 * minute holds a few hundred distinct values at most), sent in data of at most 150 values each,
 * which CloudWatch treats as raw samples.
 *
 * <p>Limits of one PutMetricData request (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html):
 * 1,000 metric data and a 1 MB payload; {@link #drainRequests} splits at both (the payload size is
 * estimated from the strings and numbers of each datum, with room for the encoding).
 */
public final class MetricAggregator {
    /** PutMetricData's limit on metric data per request. */
    public static final int MAX_DATA_PER_REQUEST = 1000;
    /** PutMetricData's payload limit in bytes. */
    public static final int MAX_REQUEST_BYTES = 1_000_000;
    /** PutMetricData's limit on distinct values in one datum's {@code Values} array. */
    public static final int MAX_VALUES_PER_DATUM = 150;
    /** Estimated encoding overhead of one datum beyond its strings (field names, four doubles, a timestamp). */
    private static final int DATUM_OVERHEAD_BYTES = 200;
    /** Estimated encoding size of one value and its count. */
    private static final int VALUE_BYTES = 20;

    /** A metric's identity: name, unit and at most one dimension ({@code null} name for none). */
    private record Key(String name, StandardUnit unit, String dimensionName, String dimensionValue) {
    }

    private static final class Stats {
        long count;
        double sum;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        void add(double value) {
            count++;
            sum += value;
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
    }

    private Map<Key, Stats> current = new LinkedHashMap<>();
    private Map<Key, java.util.TreeMap<Double, Double>> distributions = new LinkedHashMap<>();

    /**
     * Adds one sample of a metric without dimensions whose percentiles are wanted.
     *
     * @param name  metric name
     * @param unit  unit
     * @param value the sample (0 or more)
     */
    public synchronized void addDistribution(String name, StandardUnit unit, double value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        distributions.computeIfAbsent(new Key(name, unit, null, null), k -> new java.util.TreeMap<>())
                .merge(round(value), 1.0, Double::sum);
    }

    /** {@code value} with two significant digits from 100 up, whole below (e.g. 7, 64, 120, 4300). */
    static double round(double value) {
        if (value < 100) {
            return Math.rint(value);
        }
        double scale = Math.pow(10, Math.floor(Math.log10(value)) - 1);
        return Math.rint(value / scale) * scale;
    }

    /**
     * Adds one sample of a metric without dimensions.
     *
     * @param name  metric name
     * @param unit  unit
     * @param value the sample
     */
    public void add(String name, StandardUnit unit, double value) {
        add(name, unit, null, null, value);
    }

    /**
     * Adds one sample of a metric with one dimension.
     *
     * @param name           metric name
     * @param unit           unit
     * @param dimensionName  dimension name, or {@code null} for none
     * @param dimensionValue dimension value (1 to 1,024 characters), or {@code null} for none
     * @param value          the sample
     */
    public synchronized void add(String name, StandardUnit unit, String dimensionName, String dimensionValue,
                                 double value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        current.computeIfAbsent(new Key(name, unit, dimensionName, dimensionValue), k -> new Stats()).add(value);
    }

    /**
     * Takes everything aggregated so far (and starts afresh) as PutMetricData requests.
     *
     * @param namespace the CloudWatch namespace
     * @param timestamp the data's timestamp (the flush time)
     * @return the requests, each within the API's limits; empty when nothing was added
     */
    public List<PutMetricDataRequest> drainRequests(String namespace, Instant timestamp) {
        Map<Key, Stats> taken;
        Map<Key, java.util.TreeMap<Double, Double>> takenDistributions;
        synchronized (this) {
            taken = current;
            current = new LinkedHashMap<>();
            takenDistributions = distributions;
            distributions = new LinkedHashMap<>();
        }
        List<MetricDatum> all = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (Map.Entry<Key, Stats> e : taken.entrySet()) {
            Key k = e.getKey();
            Stats s = e.getValue();
            MetricDatum.Builder datum = MetricDatum.builder().metricName(k.name()).unit(k.unit()).timestamp(timestamp)
                    .statisticValues(StatisticSet.builder().sampleCount((double) s.count).sum(s.sum)
                            .minimum(s.min).maximum(s.max).build());
            int size = DATUM_OVERHEAD_BYTES + utf8Length(k.name()) + k.unit().toString().length();
            if (k.dimensionName() != null) {
                datum.dimensions(Dimension.builder().name(k.dimensionName()).value(k.dimensionValue()).build());
                size += utf8Length(k.dimensionName()) + utf8Length(k.dimensionValue());
            }
            all.add(datum.build());
            sizes.add(size);
        }
        for (Map.Entry<Key, java.util.TreeMap<Double, Double>> e : takenDistributions.entrySet()) {
            Key k = e.getKey();
            List<Map.Entry<Double, Double>> pairs = new ArrayList<>(e.getValue().entrySet());
            for (int i = 0; i < pairs.size(); i += MAX_VALUES_PER_DATUM) {
                List<Map.Entry<Double, Double>> chunk = pairs.subList(i, Math.min(pairs.size(), i + MAX_VALUES_PER_DATUM));
                all.add(MetricDatum.builder().metricName(k.name()).unit(k.unit()).timestamp(timestamp)
                        .values(chunk.stream().map(Map.Entry::getKey).toList())
                        .counts(chunk.stream().map(Map.Entry::getValue).toList()).build());
                sizes.add(DATUM_OVERHEAD_BYTES + utf8Length(k.name()) + chunk.size() * VALUE_BYTES);
            }
        }
        List<PutMetricDataRequest> requests = new ArrayList<>();
        List<MetricDatum> data = new ArrayList<>();
        int bytes = namespace.length() + 100;
        for (int i = 0; i < all.size(); i++) {
            int size = sizes.get(i);
            if (!data.isEmpty() && (data.size() == MAX_DATA_PER_REQUEST || bytes + size > MAX_REQUEST_BYTES)) {
                requests.add(PutMetricDataRequest.builder().namespace(namespace).metricData(data).build());
                data = new ArrayList<>();
                bytes = namespace.length() + 100;
            }
            data.add(all.get(i));
            bytes += size;
        }
        if (!data.isEmpty()) {
            requests.add(PutMetricDataRequest.builder().namespace(namespace).metricData(data).build());
        }
        return requests;
    }

    private static int utf8Length(String s) {
        return s == null ? 0 : s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
