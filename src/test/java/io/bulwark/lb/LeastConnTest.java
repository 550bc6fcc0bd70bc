package io.bulwark.lb;

import static io.bulwark.lb.TestServers.counts;
import static io.bulwark.lb.TestServers.triedOf;
import static io.bulwark.lb.TestServers.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.Balance;
import io.bulwark.upstream.Server;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeastConnTest {
    private static void load(Server server, int requests) {
        for (int i = 0; i < requests; i++) {
            server.requestStarted();
        }
    }

    @Test
    void prefersTheLeastLoadedServer() {
        List<Server> servers = weighted(1, 1, 1);
        load(servers.get(0), 3);
        load(servers.get(1), 1);
        load(servers.get(2), 2);
        LoadBalancer lb = LoadBalancer.create(Balance.LEAST_CONN, servers);
        for (int i = 0; i < 10; i++) {
            assertThat(lb.pick(0, Tried.NONE)).isSameAs(servers.get(1));
        }
    }

    @Test
    void comparesLoadRelativeToWeight() {
        List<Server> servers = weighted(1, 4);
        load(servers.get(0), 1);
        load(servers.get(1), 3); // 3/4 < 1/1
        LoadBalancer lb = LoadBalancer.create(Balance.LEAST_CONN, servers);
        assertThat(lb.pick(0, Tried.NONE)).isSameAs(servers.get(1));
        load(servers.get(1), 2); // 5/4 > 1/1
        assertThat(lb.pick(0, Tried.NONE)).isSameAs(servers.get(0));
    }

    @Test
    void rotatesTiesSoEqualServersShare() {
        List<Server> servers = weighted(1, 1, 1, 1);
        LoadBalancer lb = LoadBalancer.create(Balance.LEAST_CONN, servers);
        assertThat(counts(lb, servers, 400)).containsExactly(100, 100, 100, 100);
    }

    @Test
    void spreadsRequestsThatStayInFlightByWeight() {
        List<Server> servers = weighted(5, 3, 2);
        LoadBalancer lb = LoadBalancer.create(Balance.LEAST_CONN, servers);
        for (int i = 0; i < 100; i++) {
            lb.pick(0, Tried.NONE).requestStarted();
        }
        assertThat(servers.stream().mapToInt(Server::inFlight).toArray()).containsExactly(50, 30, 20);
    }

    @Test
    void skipsIneligibleAndTriedServersThenNull() {
        List<Server> servers = weighted(1, 1, 1);
        load(servers.get(1), 5);
        load(servers.get(2), 9);
        servers.get(0).healthy(false);
        LoadBalancer lb = LoadBalancer.create(Balance.LEAST_CONN, servers);
        assertThat(lb.pick(0, Tried.NONE)).isSameAs(servers.get(1));
        assertThat(lb.pick(0, triedOf(servers.get(1)))).isSameAs(servers.get(2));
        assertThat(lb.pick(0, triedOf(servers.get(1), servers.get(2)))).isNull();
    }

    @Test
    void returnsNullWhenNoServerIsEligible() {
        List<Server> servers = weighted(1, 1);
        servers.forEach(s -> s.healthy(false));
        assertThat(LoadBalancer.create(Balance.LEAST_CONN, servers).pick(0, Tried.NONE)).isNull();
    }
}
