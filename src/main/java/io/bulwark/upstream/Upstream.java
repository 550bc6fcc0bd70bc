package io.bulwark.upstream;

import io.bulwark.config.UpstreamConfig;
import io.bulwark.core.Clock;
import io.bulwark.core.EventBus;
import java.util.ArrayList;
import java.util.List;

/** A named pool of servers built from its config; the servers are shared by all event loops. */
public final class Upstream {
    private final UpstreamConfig config;
    private final List<Server> servers;

    /** An upstream on the system clock whose server events go nowhere; for tests and tools. */
    public Upstream(UpstreamConfig config) {
        this(config, Clock.system(), new EventBus());
    }

    /** An upstream whose servers publish their state changes on {@code events}. */
    public Upstream(UpstreamConfig config, Clock clock, EventBus events) {
        this.config = config;
        List<Server> list = new ArrayList<>(config.servers().size());
        for (int i = 0; i < config.servers().size(); i++) {
            list.add(new Server(config.name(), i, config.servers().get(i), config.slowStart(), clock, events));
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
