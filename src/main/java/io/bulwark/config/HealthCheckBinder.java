package io.bulwark.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Binds an upstream's {@code health_check:}; keys that do not apply to the chosen type are reported. */
final class HealthCheckBinder {
    static final CheckType DEFAULT_TYPE = CheckType.HTTP;
    static final String DEFAULT_PATH = "/";
    static final String DEFAULT_METHOD = "GET";
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    static final int DEFAULT_RISE = 2;
    static final int DEFAULT_FALL = 3;
    static final int DEFAULT_JITTER_PERCENT = 10;
    static final int MAX_RISE_FALL = 100;
    // Beyond half, a check could fire at nearly twice or nearly no interval; that is noise, not spreading.
    static final int MAX_JITTER_PERCENT = 50;

    private static final Map<String, CheckType> TYPES = Arrays.stream(CheckType.values())
            .collect(Collectors.toMap(CheckType::configName, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    private static final Pattern METHOD = Pattern.compile("[A-Z]+");
    private static final Pattern PATH = Pattern.compile("/\\S*");
    private static final Pattern PERCENT = Pattern.compile("[0-9]{1,3}%");
    private static final List<String> HTTP_KEYS = List.of("path", "method", "host", "expect_status", "expect_body");
    private static final List<String> EXEC_KEYS = List.of("command");

    private HealthCheckBinder() {}

    static Optional<HealthCheckConfig> bind(Value value) {
        return value.section("a mapping with type, interval, rise, fall, ...").map(HealthCheckBinder::bind);
    }

    private static HealthCheckConfig bind(Section s) {
        CheckType type = s.choice("type", TYPES, DEFAULT_TYPE);
        String path = s.optional("path")
                .flatMap(v -> v.matching(PATH, "an absolute path like /healthz")).orElse(DEFAULT_PATH);
        String method = s.optional("method")
                .flatMap(v -> v.matching(METHOD, "an upper-case HTTP method like GET or HEAD")).orElse(DEFAULT_METHOD);
        Optional<String> host = s.optional("host").flatMap(v -> v.text("a Host header value like app.internal"));
        StatusRanges expectStatus = s.optional("expect_status").flatMap(HealthCheckBinder::statuses)
                .orElse(StatusRanges.DEFAULT);
        Optional<String> expectBody = s.optional("expect_body").flatMap(v -> v.text("a substring of the body"));
        List<String> command = s.optional("command").flatMap(HealthCheckBinder::command).orElse(List.of());
        Duration interval = s.duration("interval", Limits.MIN_TIMEOUT, Limits.MAX_TIMEOUT, DEFAULT_INTERVAL);
        Duration timeout = s.duration("timeout", Limits.MIN_TIMEOUT, Limits.MAX_TIMEOUT, DEFAULT_TIMEOUT);
        int rise = s.integer("rise", 1, MAX_RISE_FALL, DEFAULT_RISE);
        int fall = s.integer("fall", 1, MAX_RISE_FALL, DEFAULT_FALL);
        // A quarter of the interval: a changing server is confirmed within about one normal interval.
        Duration fast = s.duration("fast_interval", Limits.MIN_TIMEOUT, Limits.MAX_TIMEOUT, defaultFast(interval));
        Duration down = s.duration("down_interval", Limits.MIN_TIMEOUT, Limits.MAX_TIMEOUT, interval);
        int jitter = s.optional("jitter").flatMap(v -> percent(v, MAX_JITTER_PERCENT)).orElse(DEFAULT_JITTER_PERCENT);

        // Checks run one after another per server, so a timeout longer than the interval would silently
        // stretch the interval; say so instead.
        s.optional("timeout").filter(v -> timeout.compareTo(interval) > 0).ifPresent(v ->
                v.problem(Durations.format(timeout) + " (expected: at most interval, " + Durations.format(interval) + ")"));
        if (method.equals("HEAD")) {
            // A HEAD response has no body, so the check could never pass.
            s.optional("expect_body").ifPresent(v -> v.problem(
                    "cannot match a body of a HEAD response (expected: method GET, or no expect_body)"));
        }
        if (type != CheckType.HTTP) {
            onlyFor(s, HTTP_KEYS, "http", type);
        }
        if (type != CheckType.EXEC) {
            onlyFor(s, EXEC_KEYS, "exec", type);
        } else if (s.optional("command").isEmpty()) {
            s.required("command", "a plugin command like /usr/lib/nagios/plugins/check_tcp -H {host} -p {port}");
        }
        s.finish();
        return new HealthCheckConfig(type, path, method, host, expectStatus, expectBody,
                type == CheckType.EXEC ? command : List.of(), interval, timeout, rise, fall, fast, down, jitter);
    }

    static Duration defaultFast(Duration interval) {
        Duration quarter = interval.dividedBy(4);
        return quarter.compareTo(Limits.MIN_TIMEOUT) < 0 ? Limits.MIN_TIMEOUT : quarter;
    }

    private static void onlyFor(Section s, List<String> keys, String owner, CheckType type) {
        for (String key : keys) {
            s.optional(key).ifPresent(v -> v.problem(
                    "applies only to type " + owner + " (expected: no " + key + " for type " + type.configName() + ")"));
        }
    }

    /** Status codes and ranges, shared with the monitor's http checks. */
    static Optional<StatusRanges> statuses(Value v) {
        return v.text(StatusRanges.EXPECTED).flatMap(t -> {
            try {
                return Optional.of(StatusRanges.parse(t));
            } catch (IllegalArgumentException e) {
                v.problem(v.display() + " (expected: " + StatusRanges.EXPECTED + ")");
                return Optional.empty();
            }
        });
    }

    private static Optional<List<String>> command(Value v) {
        return v.text("a command line").flatMap(t -> {
            try {
                return Optional.of(Commands.split(t));
            } catch (IllegalArgumentException e) {
                v.problem(e.getMessage() + " (expected: a command line, quoted like a shell's; no shell runs it)");
                return Optional.empty();
            }
        });
    }

    /** A whole percentage written with its sign, {@code 10%}, in 0..max; shared with other binders. */
    static Optional<Integer> percent(Value v, int max) {
        String expected = "a percentage like 10% in 0%.." + max + "%";
        return v.matching(PERCENT, expected).flatMap(t -> {
            int n = Integer.parseInt(t.substring(0, t.length() - 1));
            if (n > max) {
                v.problem(t + " (expected: " + expected + ")");
                return Optional.empty();
            }
            return Optional.of(n);
        });
    }
}
