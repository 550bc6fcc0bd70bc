package io.bulwark.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Binds a {@code retry:} block of an upstream or a route; defaults in {@link RetryConfig#DEFAULT}. */
final class RetryBinder {
    static final int MAX_ATTEMPTS = 10;
    static final Duration MAX_BACKOFF = Duration.ofSeconds(1);
    static final int MAX_MIN_PER_SECOND = 100_000;
    static final int MAX_RETRY_BUFFER = 64 * 1024 * 1024;

    private static final Map<String, RetryOn> CONDITIONS = Arrays.stream(RetryOn.values())
            .collect(Collectors.toMap(RetryOn::configName, Function.identity(), (a, b) -> a, LinkedHashMap::new));

    private RetryBinder() {}

    static Optional<RetryConfig> bind(Value value) {
        RetryConfig d = RetryConfig.DEFAULT;
        return value.section("a mapping with retry_on, attempts, per_try_timeout, ...").map(s -> {
            RetryConfig config = new RetryConfig(
                    s.optional("retry_on").map(RetryBinder::conditions).orElse(d.retryOn()),
                    s.integer("attempts", 1, MAX_ATTEMPTS, d.attempts()),
                    s.optional("per_try_timeout").flatMap(v -> v.duration(Limits.MIN_TIMEOUT, Limits.MAX_TIMEOUT)),
                    s.optional("timeout").flatMap(v -> zeroOr(v, Limits.MIN_TIMEOUT, Limits.MAX_TIMEOUT))
                            .orElse(d.timeout()),
                    s.optional("backoff").flatMap(v -> zeroOr(v, Duration.ZERO, MAX_BACKOFF)).orElse(d.backoff()),
                    s.integer("budget_percent", 0, 100, d.budgetPercent()),
                    s.integer("budget_min_per_second", 0, MAX_MIN_PER_SECOND, d.budgetMinPerSecond()),
                    s.size("retry_buffer", 0, MAX_RETRY_BUFFER, d.retryBufferBytes()));
            s.finish();
            return config;
        });
    }

    /** A bare {@code 0} is clear enough for "off" / "none"; anything else is a duration in range. */
    private static Optional<Duration> zeroOr(Value v, Duration min, Duration max) {
        if (v.node() instanceof ScalarNode n && n.getValue().equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        return v.duration(min, max);
    }

    private static Set<RetryOn> conditions(Value v) {
        Set<RetryOn> set = EnumSet.noneOf(RetryOn.class);
        String expected = "a list like [" + String.join(", ", CONDITIONS.keySet()) + "]";
        for (Value item : v.list(false, expected).orElse(List.of())) {
            item.choice(CONDITIONS).ifPresent(set::add);
        }
        return set;
    }
}
