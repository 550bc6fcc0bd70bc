package io.bulwark.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Binds {@code passive.outlier:}; defaults follow Envoy's success-rate detector where it has one. */
final class OutlierBinder {
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    static final Duration MAX_INTERVAL = Duration.ofHours(1);
    static final int MAX_MIN_REQUESTS = 1_000_000;
    static final int MIN_MIN_HOSTS = 3;
    static final int MAX_MIN_HOSTS = 1000;
    static final double MAX_FACTOR = 10;
    static final Duration MAX_LATENCY_GAP = Duration.ofMinutes(1);
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");

    private OutlierBinder() {}

    static Optional<OutlierConfig> bind(Value value) {
        return value.section("a mapping with interval, min_requests, success_rate_stdev, ...").map(s -> {
            OutlierConfig d = OutlierConfig.DEFAULTS;
            Duration interval = s.duration("interval", MIN_INTERVAL, MAX_INTERVAL, d.interval());
            int minRequests = s.integer("min_requests", 1, MAX_MIN_REQUESTS, d.minRequests());
            int minHosts = s.integer("min_hosts", MIN_MIN_HOSTS, MAX_MIN_HOSTS, d.minHosts());
            double successRate = s.optional("success_rate_stdev").flatMap(OutlierBinder::factor)
                    .orElse(d.successRateStdev());
            double latency = s.optional("latency_stdev").flatMap(OutlierBinder::factor).orElse(d.latencyStdev());
            Duration gap = s.duration("min_latency_gap", Duration.ZERO, MAX_LATENCY_GAP, d.minLatencyGap());
            if (successRate == 0 && latency == 0) {
                s.value().problem("success_rate_stdev and latency_stdev are both 0 "
                        + "(expected: at least one above 0, or no outlier: section)");
            }
            s.finish();
            return new OutlierConfig(interval, minRequests, minHosts, successRate, latency, gap);
        });
    }

    /** An unquoted decimal like {@code 1.9} in 0..10; YAML's {@code .inf} and {@code .nan} are refused. */
    private static Optional<Double> factor(Value v) {
        String expected = "a number of standard deviations like 1.9 in 0.." + (int) MAX_FACTOR + ", 0 = off";
        if (!(v.node() instanceof ScalarNode s) || v.isNull()) {
            v.problem(v.display() + " (expected: " + expected + ")");
            return Optional.empty();
        }
        if (s.getScalarStyle() != ScalarStyle.PLAIN) {
            v.problem(v.display() + " (expected: " + expected + ", without quotes)");
            return Optional.empty();
        }
        if (!DECIMAL.matcher(s.getValue()).matches()) {
            v.problem(v.display() + " (expected: " + expected + ")");
            return Optional.empty();
        }
        BigDecimal n = new BigDecimal(s.getValue());
        if (n.compareTo(BigDecimal.valueOf(MAX_FACTOR)) > 0) {
            v.problem(v.display() + " (expected: " + expected + ")");
            return Optional.empty();
        }
        return Optional.of(n.doubleValue());
    }
}
