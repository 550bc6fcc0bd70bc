package io.bulwark.lb;

import io.bulwark.config.HostPort;
import io.bulwark.config.ServerConfig;
import io.bulwark.upstream.Server;
import java.util.ArrayList;
import java.util.List;

/** Builds servers for balancer tests: literal addresses, so nothing resolves DNS. */
final class TestServers {
    private TestServers() {}

    static List<Server> weighted(int... weights) {
        List<Server> servers = new ArrayList<>();
        for (int weight : weights) {
            servers.add(server(servers.size(), weight, false));
        }
        return servers;
    }

    static Server server(int index, int weight, boolean backup) {
        return new Server("u", index, new ServerConfig(new HostPort("10.0.0." + (index + 1), 80), weight, backup));
    }

    static int[] counts(LoadBalancer balancer, List<Server> servers, int picks) {
        int[] counts = new int[servers.size()];
        for (int i = 0; i < picks; i++) {
            counts[balancer.pick(i, Tried.NONE).index()]++;
        }
        return counts;
    }

    static Tried triedOf(Server... servers) {
        List<Server> list = List.of(servers);
        return list::contains;
    }
}
