package io.bulwark.config;

import io.bulwark.core.Threshold;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Binds {@code monitor:}, a mapping from check name to check. Each check names its type; the keys of other
 * types are reported, so is a range that is not one (with the plugin guidelines' syntax in the message).
 */
final class MonitorBinder {
    static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMinutes(1);
    static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(30);
    static final int DEFAULT_MAX_CHECK_ATTEMPTS = 3;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final double DEFAULT_LOW_FLAP = 25.0;
    static final double DEFAULT_HIGH_FLAP = 50.0;

    private static final Map<String, MonitorType> TYPES = Arrays.stream(MonitorType.values())
            .collect(Collectors.toMap(MonitorType::configName, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    private static final Map<String, Boolean> MEMORY = new LinkedHashMap<>();
    private static final String RANGE_EXPECTED = "a Nagios range like 80, 10:, ~:10, 10:20 or @10:20 (quote"
            + " it when it starts with @ or ends with :)";

    static {
        MEMORY.put("ram", false);
        MEMORY.put("heap", true);
    }

    /** The type-specific keys, and the types they belong to. */
    private static final Map<String, List<MonitorType>> OWNERS = Map.of(
            "per_cpu", List.of(MonitorType.LOAD),
            "of", List.of(MonitorType.MEMORY),
            "path", List.of(MonitorType.DISK),
            "target", List.of(MonitorType.LATENCY),
            "url", List.of(MonitorType.HTTP),
            "expect_status", List.of(MonitorType.HTTP),
            "command", List.of(MonitorType.EXEC));

    private MonitorBinder() {}

    /**
     * The checks by name, in file order. A broken check still takes its name (with a {@code null} value), so a
     * tracker naming it is not reported as well: the config is refused anyway.
     */
    static Map<String, MonitorCheckConfig> bindAll(Value monitor) {
        Map<String, MonitorCheckConfig> checks = new LinkedHashMap<>();
        monitor.section("a mapping from check name to check").ifPresent(all -> {
            for (Section.Entry e : all.entries()) {
                e.key().matching(Names.PATTERN, Names.EXPECTED);
                checks.put(e.name(), e.value().section("a check mapping with type")
                        .map(s -> bind(e.name(), s)).orElse(null));
            }
            all.finish();
        });
        return java.util.Collections.unmodifiableMap(checks);
    }

    private static MonitorCheckConfig bind(String name, Section s) {
        MonitorType type = s.required("type", "one of " + String.join(", ", TYPES.keySet()))
                .flatMap(v -> v.choice(TYPES)).orElse(null);
        int measures = type == MonitorType.LOAD ? 3 : 1;
        List<Threshold> warning = s.optional("warning").map(v -> ranges(v, measures)).orElse(List.of());
        List<Threshold> critical = s.optional("critical").map(v -> ranges(v, measures)).orElse(List.of());
        Duration check = s.duration("check_interval", Limits.MIN_TIMEOUT, Duration.ofDays(1), DEFAULT_CHECK_INTERVAL);
        Duration retry = s.duration("retry_interval", Limits.MIN_TIMEOUT, Duration.ofDays(1),
                check.compareTo(DEFAULT_RETRY_INTERVAL) < 0 ? check : DEFAULT_RETRY_INTERVAL);
        int attempts = s.integer("max_check_attempts", 1, 100, DEFAULT_MAX_CHECK_ATTEMPTS);
        boolean flap = s.bool("flap_detection", true);
        double low = s.optional("low_flap_threshold").flatMap(v -> percent(v)).orElse(DEFAULT_LOW_FLAP);
        double high = s.optional("high_flap_threshold").flatMap(v -> percent(v)).orElse(DEFAULT_HIGH_FLAP);
        if (low >= high) {
            s.optional("low_flap_threshold").or(() -> s.optional("high_flap_threshold")).ifPresent(v -> v.problem(
                    "low_flap_threshold " + low + " is not below high_flap_threshold " + high
                            + " (expected: low < high, e.g. 25 and 50)"));
        }
        Duration timeout = s.duration("timeout", Limits.MIN_TIMEOUT, Duration.ofMinutes(10),
                check.compareTo(DEFAULT_TIMEOUT) < 0 ? check : DEFAULT_TIMEOUT);
        // One check at a time: a timeout past the interval would silently stretch it; say so instead.
        s.optional("timeout").filter(v -> timeout.compareTo(check) > 0).ifPresent(v -> v.problem(
                Durations.format(timeout) + " (expected: at most check_interval, " + Durations.format(check) + ")"));
        boolean perCpu = s.bool("per_cpu", false);
        boolean heap = s.choice("of", MEMORY, false);
        Path path = s.optional("path").flatMap(v -> v.text("an absolute path like /var/log")
                .filter(p -> absolute(v, p))).map(Path::of).orElse(type == MonitorType.DISK ? Path.of("/") : null);
        HostPort target = s.optional("target").flatMap(v -> v.hostPort(1)).orElse(null);
        URI url = s.optional("url").flatMap(MonitorBinder::url).orElse(null);
        StatusRanges expect = s.optional("expect_status").flatMap(HealthCheckBinder::statuses)
                .orElse(type == MonitorType.HTTP ? StatusRanges.DEFAULT : null);
        List<String> command = s.optional("command").flatMap(VrrpBinder::command).orElse(List.of());
        if (type != null) {
            for (Map.Entry<String, List<MonitorType>> owner : OWNERS.entrySet()) {
                if (!owner.getValue().contains(type)) {
                    s.optional(owner.getKey()).ifPresent(v -> v.problem("applies only to type "
                            + owner.getValue().getFirst().configName() + " (expected: no " + owner.getKey()
                            + " for type " + type.configName() + ")"));
                }
            }
            switch (type) {
                case LATENCY -> s.required("target", "host:port of a peer, router or backend, like 10.0.0.2:80");
                case HTTP -> s.required("url", "a URL like http://127.0.0.1:8080/healthz");
                case EXEC -> {
                    s.required("command", "a plugin command like /usr/lib/nagios/plugins/check_load -w 8 -c 12");
                    for (String key : List.of("warning", "critical")) {
                        s.optional(key).ifPresent(v -> v.problem("does not apply to type exec: the plugin judges"
                                + " its own result (expected: its -w and -c in command)"));
                    }
                }
                default -> { }
            }
        }
        s.finish();
        return new MonitorCheckConfig(name, type, warning, critical, check, retry, attempts, flap, low, high, timeout,
                perCpu, heap, path, target, url, expect, command);
    }

    /**
     * {@code count} ranges, comma-separated; one range stands for all of them, as check_load takes one
     * threshold for its three averages.
     */
    private static List<Threshold> ranges(Value v, int count) {
        Optional<String> text = v.text(RANGE_EXPECTED);
        if (text.isEmpty()) {
            return List.of();
        }
        String[] parts = text.get().split(",", -1);
        if (parts.length != 1 && parts.length != count) {
            v.problem(v.display() + " has " + parts.length + " ranges (expected: " + (count == 1 ? "one range"
                    : "one range for all " + count + " load averages, or " + count + " separated by commas") + ")");
            return List.of();
        }
        List<Threshold> out = new ArrayList<>();
        for (String part : parts) {
            try {
                out.add(Threshold.parse(part));
            } catch (IllegalArgumentException e) {
                v.problem(e.getMessage());
                return List.of();
            }
        }
        while (out.size() < count) {
            out.add(out.getFirst());
        }
        return out;
    }

    private static Optional<Double> percent(Value v) {
        return v.text("a percent 0..100").flatMap(t -> {
            try {
                double d = Double.parseDouble(t);
                if (d >= 0 && d <= 100) {
                    return Optional.of(d);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            v.problem(v.display() + " (expected: a percent 0..100, like 25)");
            return Optional.empty();
        });
    }

    private static boolean absolute(Value v, String path) {
        if (path.startsWith("/")) {
            return true;
        }
        v.problem(path + " (expected: an absolute path like /var/log)");
        return false;
    }

    private static Optional<URI> url(Value v) {
        return v.text("a URL like http://127.0.0.1:8080/healthz").flatMap(t -> {
            try {
                URI u = new URI(t);
                if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                    return Optional.of(u);
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            v.problem(t + " (expected: an http or https URL with a host, like http://127.0.0.1:8080/healthz)");
            return Optional.empty();
        });
    }
}
