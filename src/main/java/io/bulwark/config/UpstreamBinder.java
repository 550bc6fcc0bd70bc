package io.bulwark.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Binds {@code upstreams:}, a mapping from upstream name to its pool and timeouts. */
final class UpstreamBinder {
    static final Balance DEFAULT_BALANCE = Balance.ROUND_ROBIN;
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);
    static final int DEFAULT_KEEPALIVE = 64;
    static final int MAX_KEEPALIVE = 10_000;
    static final Duration DEFAULT_KEEPALIVE_TIMEOUT = Duration.ofSeconds(60);

    private static final Map<String, Balance> BALANCES = Arrays.stream(Balance.values())
            .collect(Collectors.toMap(Balance::configName, Function.identity(), (a, b) -> a, LinkedHashMap::new));

    private static final Map<String, Recovery> RECOVERIES = Arrays.stream(Recovery.values())
            .collect(Collectors.toMap(Recovery::configName, Function.identity(), (a, b) -> a, LinkedHashMap::new));

    private UpstreamBinder() {}

    /** Upstreams by name in file order; names are unique because YAML keys are (duplicates are reported). */
    static SequencedMap<String, UpstreamConfig> bindAll(Value upstreams) {
        SequencedMap<String, UpstreamConfig> bound = new LinkedHashMap<>();
        upstreams.section("a mapping from upstream name to upstream").ifPresent(section -> {
            List<Section.Entry> entries = section.entries();
            if (entries.isEmpty()) {
                upstreams.problem("no upstreams (expected: at least one upstream)");
            }
            for (Section.Entry e : entries) {
                e.key().matching(Names.PATTERN, Names.EXPECTED);
                // A broken upstream still takes its name (with a null value), so routes naming it are not
                // reported as well: the config is refused anyway.
                bound.put(e.name(), e.value().section("an upstream mapping with servers")
                        .map(s -> bind(e.name(), s))
                        .orElse(null));
            }
            section.finish();
        });
        return Collections.unmodifiableSequencedMap(bound);
    }

    /** Like any duration, but a bare {@code 0} is clear enough here: off. */
    private static Optional<Duration> slowStart(Value v) {
        if (v.node() instanceof ScalarNode n && n.getValue().equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        return v.duration(Duration.ZERO, Limits.MAX_TIMEOUT);
    }

    private static UpstreamConfig bind(String name, Section s) {
        UpstreamConfig upstream = new UpstreamConfig(
                name,
                s.choice("balance", BALANCES, DEFAULT_BALANCE),
                s.duration("connect_timeout", Limits.MIN_TIMEOUT, Limits.MAX_TIMEOUT, DEFAULT_CONNECT_TIMEOUT),
                s.duration("read_timeout", Limits.MIN_TIMEOUT, Limits.MAX_TIMEOUT, DEFAULT_READ_TIMEOUT),
                s.duration("write_timeout", Limits.MIN_TIMEOUT, Limits.MAX_TIMEOUT, DEFAULT_WRITE_TIMEOUT),
                s.integer("keepalive", 0, MAX_KEEPALIVE, DEFAULT_KEEPALIVE),
                s.duration("keepalive_timeout", Limits.MIN_TIMEOUT, Limits.MAX_TIMEOUT, DEFAULT_KEEPALIVE_TIMEOUT),
                List.copyOf(s.required("servers", "a list of servers with address")
                        .map(ServerBinder::bindAll)
                        .orElse(List.of())),
                s.optional("health_check").flatMap(HealthCheckBinder::bind),
                s.optional("passive").flatMap(PassiveBinder::bind),
                s.optional("slow_start").flatMap(UpstreamBinder::slowStart).orElse(Duration.ZERO),
                s.choice("recovery", RECOVERIES, Recovery.AUTO),
                s.optional("retry").flatMap(RetryBinder::bind).orElse(RetryConfig.DEFAULT),
                s.optional("panic_threshold").flatMap(v -> HealthCheckBinder.percent(v, 100)).orElse(0));
        s.finish();
        return upstream;
    }
}
