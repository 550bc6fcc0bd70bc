package io.bulwark.upstream;

import io.bulwark.config.UpstreamConfig;
import java.util.ArrayList;
import java.util.List;

/** A named pool of servers built from its config; the servers are shared by all event loops. */
public final class Upstream {
    private final UpstreamConfig config;
    private final List<Server> servers;

    public Upstream(UpstreamConfig config) {
        this.config = config;
        List<Server> list = new ArrayList<>(config.servers().size());
        for (int i = 0; i < config.servers().size(); i++) {
            list.add(new Server(config.name(), i, config.servers().get(i)));
        }
        this.servers = List.copyOf(list);
    }

    public String name() {
        return config.name();
    }

    public UpstreamConfig config() {
        return config;
    }

    /** Every server, primaries and backups, in config order. */
    public List<Server> servers() {
        return servers;
    }
}
