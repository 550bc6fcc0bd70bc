package io.bulwark.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.bulwark.config.Balance;
import io.bulwark.config.HostPort;
import io.bulwark.config.ServerConfig;
import io.bulwark.core.EventBus;
import io.bulwark.upstream.ManualClock;
import io.bulwark.upstream.Server;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A recovered server's share ramps from 10 % of its weight to all of it over slow_start, in virtual time. */
class SlowStartTest {
    private final ManualClock clock = new ManualClock();

    private List<Server> servers(int n) {
        List<Server> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Server("u", i, new ServerConfig(new HostPort("10.0.0." + (i + 1), 80), 1, false),
                    Duration.ofSeconds(10), clock, new EventBus()));
        }
        return list;
    }

    /** The share of {@code picks} that went to server 0. */
    private static double shareOfFirst(LoadBalancer lb, int picks) {
        int first = 0;
        for (int i = 0; i < picks; i++) {
            if (lb.pick(i, Tried.NONE).index() == 0) {
                first++;
            }
        }
        return first / (double) picks;
    }

    @ParameterizedTest
    @EnumSource(value = Balance.class, names = {"ROUND_ROBIN", "RANDOM"})
    void recoveredServerRampsFromTenPercentToFullWeight(Balance balance) {
        List<Server> servers = servers(2);
        LoadBalancer lb = LoadBalancer.create(balance, servers);
        assertThat(shareOfFirst(lb, 20_000)).as("before any failure: equal weights").isCloseTo(0.5, offset(0.02));

        servers.get(0).healthy(false);
        assertThat(shareOfFirst(lb, 1_000)).as("down").isZero();
        servers.get(0).healthy(true);
        // Just back: 10 % of weight 1 against 1 gives 0.1 / 1.1 of the picks.
        assertThat(shareOfFirst(lb, 20_000)).as("just recovered").isCloseTo(0.1 / 1.1, offset(0.02));

        clock.advance(Duration.ofSeconds(5));
        // Half way: 100 + 900 / 2 = 550 thousandths.
        assertThat(shareOfFirst(lb, 20_000)).as("half way").isCloseTo(0.55 / 1.55, offset(0.02));

        clock.advance(Duration.ofSeconds(5));
        assertThat(shareOfFirst(lb, 20_000)).as("ramp over").isCloseTo(0.5, offset(0.02));
    }

    /** Share of server 0 under a steady 20 requests in flight, finished oldest first. */
    private static double shareOfFirstUnderLoad(LoadBalancer lb, int picks) {
        java.util.ArrayDeque<Server> inFlight = new java.util.ArrayDeque<>();
        int first = 0;
        for (int i = 0; i < picks; i++) {
            Server s = lb.pick(i, Tried.NONE);
            s.requestStarted();
            inFlight.add(s);
            if (s.index() == 0) {
                first++;
            }
            if (inFlight.size() > 20) {
                inFlight.poll().requestFinished();
            }
        }
        inFlight.forEach(Server::requestFinished);
        return first / (double) picks;
    }

    @org.junit.jupiter.api.Test
    void leastConnHandsARampingServerLoadInProportionToItsRampedWeight() {
        List<Server> servers = servers(2);
        LoadBalancer lb = LoadBalancer.create(Balance.LEAST_CONN, servers);
        assertThat(shareOfFirstUnderLoad(lb, 20_000)).as("equal weights").isCloseTo(0.5, offset(0.03));
        servers.get(0).healthy(false);
        servers.get(0).healthy(true);
        assertThat(shareOfFirstUnderLoad(lb, 20_000)).as("just recovered").isCloseTo(0.1 / 1.1, offset(0.03));
        clock.advance(Duration.ofSeconds(10));
        assertThat(shareOfFirstUnderLoad(lb, 20_000)).as("ramp over").isCloseTo(0.5, offset(0.03));
    }

    @ParameterizedTest
    @EnumSource(value = Balance.class, names = {"ROUND_ROBIN", "RANDOM"})
    void withoutSlowStartARecoveredServerGetsItsFullShareAtOnce(Balance balance) {
        List<Server> servers = TestServers.weighted(1, 1);
        LoadBalancer lb = LoadBalancer.create(balance, servers);
        servers.get(0).healthy(false);
        servers.get(0).healthy(true);
        assertThat(shareOfFirst(lb, 20_000)).isCloseTo(0.5, offset(0.02));
    }
}
