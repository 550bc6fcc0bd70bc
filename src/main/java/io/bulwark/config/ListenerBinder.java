package io.bulwark.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Binds {@code listeners:}, the data-plane sockets. */
final class ListenerBinder {
    static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    static final int DEFAULT_MAX_REQUEST_LINE = 8 * 1024;
    static final int DEFAULT_MAX_HEADER_SIZE = 16 * 1024;
    // Below 64 bytes not even "GET / HTTP/1.1" with a host fits; above 1m a client is abusing us.
    private static final int MIN_LIMIT = 64;
    private static final int MAX_LIMIT = 1024 * 1024;
    private static final Map<String, PathRules.Forward> FORWARD_PATH = Arrays.stream(PathRules.Forward.values())
            .collect(Collectors.toMap(PathRules.Forward::configName, Function.identity(), (a, b) -> a,
                    LinkedHashMap::new));

    private ListenerBinder() {}

    static List<ListenerConfig> bindAll(Value listeners) {
        List<ListenerConfig> bound = new ArrayList<>();
        Map<String, String> nameAt = new HashMap<>();
        Map<HostPort, String> bindAt = new HashMap<>();
        for (Value item : listeners.list(true, "a list of listeners").orElse(List.of())) {
            item.section("a listener mapping with name and bind").ifPresent(s -> {
                ListenerConfig l = bind(s);
                bound.add(l);
                s.optional("name").filter(v -> l.name() != null).ifPresent(v -> {
                    String first = nameAt.putIfAbsent(l.name(), s.path());
                    if (first != null) {
                        v.problem("duplicate listener name '" + l.name() + "' (first at " + first + ")");
                    }
                });
                // Port 0 asks the OS for a fresh port each time, so only fixed ports can collide.
                s.optional("bind").filter(v -> l.bind() != null && l.bind().port() != 0).ifPresent(v -> {
                    String first = bindAt.putIfAbsent(l.bind(), s.path());
                    if (first != null) {
                        v.problem("duplicate bind " + l.bind() + " (first at " + first + ")");
                    }
                });
            });
        }
        return bound;
    }

    private static ListenerConfig bind(Section s) {
        String name = s.required("name", Names.EXPECTED)
                .flatMap(v -> v.matching(Names.PATTERN, Names.EXPECTED))
                .orElse(null);
        HostPort bind = s.required("bind", "host:port like 0.0.0.0:8080").flatMap(v -> v.hostPort(0)).orElse(null);
        ListenerConfig l = new ListenerConfig(
                name,
                bind,
                s.duration("header_timeout", Limits.MIN_TIMEOUT, Limits.MAX_TIMEOUT, DEFAULT_HEADER_TIMEOUT),
                s.duration("idle_timeout", Limits.MIN_TIMEOUT, Limits.MAX_TIMEOUT, DEFAULT_IDLE_TIMEOUT),
                s.size("max_request_line", MIN_LIMIT, MAX_LIMIT, DEFAULT_MAX_REQUEST_LINE),
                s.size("max_header_size", MIN_LIMIT, MAX_LIMIT, DEFAULT_MAX_HEADER_SIZE),
                s.bool("reuse_port", true),
                s.bool("defer_accept", true),
                new PathRules(
                        s.bool("normalize_path", PathRules.DEFAULT.normalize()),
                        s.bool("merge_slashes", PathRules.DEFAULT.mergeSlashes()),
                        s.choice("forward_path", FORWARD_PATH, PathRules.DEFAULT.forward())));
        s.finish();
        return l;
    }
}
