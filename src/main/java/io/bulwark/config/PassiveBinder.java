package io.bulwark.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Binds an upstream's {@code passive:} detection; defaults follow Envoy's consecutive-5xx detector. Its
 * {@code outlier:} block is {@link OutlierBinder}'s.
 */
final class PassiveBinder {
    static final int DEFAULT_CONSECUTIVE_FAILURES = 5;
    static final int MAX_CONSECUTIVE_FAILURES = 1000;
    static final Set<Integer> DEFAULT_FAILURE_STATUSES = Set.of(502, 503, 504);
    static final Duration DEFAULT_EJECTION_TIME = Duration.ofSeconds(30);
    static final Duration DEFAULT_MAX_EJECTION_TIME = Duration.ofSeconds(300);
    static final int DEFAULT_MAX_EJECTION_PERCENT = 50;

    private PassiveBinder() {}

    static Optional<PassiveConfig> bind(Value value) {
        return value.section("a mapping with consecutive_failures, ejection_time, ...").map(s -> {
            int consecutive = s.integer("consecutive_failures", 0, MAX_CONSECUTIVE_FAILURES, DEFAULT_CONSECUTIVE_FAILURES);
            Set<Integer> statuses = s.optional("failure_statuses").map(PassiveBinder::statuses)
                    .orElse(DEFAULT_FAILURE_STATUSES);
            Duration ejection = s.duration("ejection_time", Limits.MIN_TIMEOUT, Limits.MAX_TIMEOUT, DEFAULT_EJECTION_TIME);
            Duration max = s.duration("max_ejection_time", Limits.MIN_TIMEOUT, Limits.MAX_TIMEOUT,
                    DEFAULT_MAX_EJECTION_TIME);
            int percent = s.integer("max_ejection_percent", 0, 100, DEFAULT_MAX_EJECTION_PERCENT);
            Optional<OutlierConfig> outlier = s.optional("outlier").flatMap(OutlierBinder::bind);
            s.optional("max_ejection_time").filter(v -> max.compareTo(ejection) < 0).ifPresent(v -> v.problem(
                    Durations.format(max) + " (expected: at least ejection_time, " + Durations.format(ejection) + ")"));
            s.finish();
            return new PassiveConfig(consecutive, statuses, ejection, max.compareTo(ejection) < 0 ? ejection : max,
                    percent, outlier);
        });
    }

    private static Set<Integer> statuses(Value v) {
        Set<Integer> codes = new LinkedHashSet<>();
        for (Value item : v.list(false, "a list of HTTP statuses like [502, 503, 504]").orElse(List.of())) {
            item.integer(StatusRanges.MIN, StatusRanges.MAX).ifPresent(codes::add);
        }
        return Set.copyOf(codes);
    }
}
