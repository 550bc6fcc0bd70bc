package io.bulwark.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Binds an upstream's {@code servers:} list. */
final class ServerBinder {
    static final int DEFAULT_WEIGHT = 1;
    static final int MAX_WEIGHT = 1000;
    static final int MAX_MAX_FAILS = 1000;

    private ServerBinder() {}

    static List<ServerConfig> bindAll(Value servers) {
        List<ServerConfig> bound = new ArrayList<>();
        Map<HostPort, String> addressAt = new HashMap<>();
        for (Value item : servers.list(true, "a list of servers with address").orElse(List.of())) {
            item.section("a server mapping with address").ifPresent(s -> {
                ServerConfig server = bind(s);
                bound.add(server);
                s.optional("address").filter(v -> server.address() != null).ifPresent(v -> {
                    String first = addressAt.putIfAbsent(server.address(), relative(servers, s));
                    if (first != null) {
                        v.problem("duplicate address " + server.address() + " (first at " + first + ")");
                    }
                });
            });
        }
        if (!bound.isEmpty() && bound.stream().allMatch(ServerConfig::backup)) {
            // Backups serve only while no primary is eligible; with no primary at all that reads as a mistake.
            servers.problem("every server is a backup (expected: at least one server without backup: true)");
        }
        return bound;
    }

    private static ServerConfig bind(Section s) {
        ServerConfig server = new ServerConfig(
                s.required("address", "host:port like 127.0.0.1:9001").flatMap(v -> v.hostPort(1)).orElse(null),
                s.integer("weight", 1, MAX_WEIGHT, DEFAULT_WEIGHT),
                s.bool("backup", false),
                s.integer("max_fails", 0, MAX_MAX_FAILS, ServerConfig.DEFAULT_MAX_FAILS),
                s.duration("fail_timeout", Limits.MIN_TIMEOUT, Limits.MAX_TIMEOUT, ServerConfig.DEFAULT_FAIL_TIMEOUT),
                s.bool("down", false));
        s.finish();
        return server;
    }

    /** {@code servers[0]} rather than the full path: the duplicate is always in the same upstream. */
    private static String relative(Value servers, Section server) {
        int dot = servers.path().lastIndexOf('.');
        return server.path().substring(dot + 1);
    }
}
