package io.bulwark.lb;

import static io.bulwark.lb.TestServers.counts;
import static io.bulwark.lb.TestServers.triedOf;
import static io.bulwark.lb.TestServers.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.Balance;
import io.bulwark.config.HostPort;
import io.bulwark.config.ServerConfig;
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

    /** n servers of weight 1 on literal addresses (TestServers' run out past 10.0.0.255 and would resolve). */
    private static List<Server> many(int n) {
        List<Server> servers = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            servers.add(new Server("u", i, new ServerConfig(new HostPort("10.1." + (i / 250) + "." + (i % 250 + 1), 80), 1, false)));
        }
        return servers;
    }

    @Test
    void tiersUpToTheLimitArePickedExactly() {
        assertThat(LoadBalancer.create(Balance.LEAST_CONN, many(LeastConn.EXACT_MAX)))
                .isInstanceOf(LeastConn.class);
        // Behaviour, not flags: with one idle server among loaded ones, an exact pick always finds it.
        List<Server> small = many(LeastConn.EXACT_MAX);
        small.forEach(s -> load(s, 5));
        Server idle = small.get(7);
        idle.requestFinished();
        LoadBalancer exact = LoadBalancer.create(Balance.LEAST_CONN, small);
        for (int i = 0; i < 100; i++) {
            assertThat(exact.pick(0, Tried.NONE)).isSameAs(idle);
        }
    }

    @Test
    void sampledModeKeepsInFlightRequestsEven() {
        List<Server> servers = many(1_000);
        LoadBalancer lb = new LeastConn(servers, true, 42);
        for (int i = 0; i < 20_000; i++) {
            lb.pick(0, Tried.NONE).requestStarted();
        }
        int[] inFlight = servers.stream().mapToInt(Server::inFlight).toArray();
        int max = java.util.Arrays.stream(inFlight).max().orElseThrow();
        int min = java.util.Arrays.stream(inFlight).min().orElseThrow();
        // 20 per server on average; two choices keep the spread tight (a plain random draw would not).
        assertThat(max).isLessThanOrEqualTo(24);
        assertThat(min).isGreaterThanOrEqualTo(16);
    }

    @Test
    void sampledModePrefersTheLessLoadedPerWeight() {
        List<Server> servers = weighted(1, 1);
        load(servers.get(0), 4);
        load(servers.get(1), 1);
        LoadBalancer lb = new LeastConn(servers, true, 7);
        int toLighter = 0;
        for (int i = 0; i < 1_000; i++) {
            if (lb.pick(0, Tried.NONE) == servers.get(1)) {
                toLighter++;
            }
        }
        // Only a draw of the busier server twice picks it: about a quarter of the time.
        assertThat(toLighter).isBetween(650, 850);
    }

    @Test
    void sampledModeSkipsIneligibleAndTriedAndFallsBackToAScan() {
        List<Server> servers = many(200);
        servers.forEach(s -> s.healthy(false));
        Server last = servers.get(123);
        last.healthy(true);
        Server other = servers.get(150);
        other.healthy(true);
        LoadBalancer lb = new LeastConn(servers, true, 3);
        for (int i = 0; i < 200; i++) {
            assertThat(lb.pick(0, triedOf(other))).isSameAs(last);
        }
        assertThat(lb.pick(0, triedOf(other, last))).isNull();
        last.healthy(false);
        other.healthy(false);
        assertThat(lb.pick(0, Tried.NONE)).isNull();
    }

    @Test
    void sampledModeDrawsByWeightWhenAllAreIdle() {
        List<Server> servers = weighted(5, 3, 2, 0);
        LoadBalancer lb = new LeastConn(servers, true, 11);
        int[] counts = counts(lb, servers, 100_000);
        // Idle servers tie, and a tie keeps the first draw: the draw's own distribution, by weight.
        assertThat(counts[0]).isBetween(48_500, 51_500);
        assertThat(counts[1]).isBetween(28_500, 31_500);
        assertThat(counts[2]).isBetween(18_500, 21_500);
        assertThat(counts[3]).isZero();
    }
}
