package io.bulwark.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.Balance;
import io.bulwark.upstream.AdminState;
import io.bulwark.upstream.Server;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Below the panic threshold, traffic spreads over all primaries instead of crushing the survivors. */
class PanicTest {
    private static Set<Integer> picked(LoadBalancer lb, int picks) {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < picks; i++) {
            Server s = lb.pick(i, Tried.NONE);
            seen.add(s == null ? -1 : s.index());
        }
        return seen;
    }

    @Test
    void aboveTheThresholdOnlyEligibleServersAreUsed() {
        List<Server> servers = TestServers.weighted(1, 1, 1, 1);
        LoadBalancer lb = LoadBalancer.create(Balance.ROUND_ROBIN, servers, 50);
        servers.get(0).healthy(false);
        servers.get(1).healthy(false);
        // 2 of 4 eligible is 50 %: not below the threshold.
        assertThat(picked(lb, 100)).containsExactlyInAnyOrder(2, 3);
    }

    @Test
    void belowTheThresholdEveryPrimaryTakesTrafficAgain() {
        List<Server> servers = TestServers.weighted(1, 1, 1, 1);
        LoadBalancer lb = LoadBalancer.create(Balance.LEAST_CONN, servers, 50);
        servers.get(0).healthy(false);
        servers.get(1).healthy(false);
        servers.get(2).healthy(false);
        assertThat(picked(lb, 100)).containsExactlyInAnyOrder(0, 1, 2, 3);
        servers.get(0).healthy(true);
        servers.get(1).healthy(true);
        assertThat(picked(lb, 100)).as("recovered above the threshold").containsExactlyInAnyOrder(0, 1, 3);
    }

    @Test
    void panicLeavesOutServersTheOperatorTookOut() {
        List<Server> servers = TestServers.weighted(1, 1, 1);
        LoadBalancer lb = LoadBalancer.create(Balance.ROUND_ROBIN, servers, 80);
        servers.get(0).admin(AdminState.MAINT, "test");
        servers.get(1).healthy(false);
        assertThat(picked(lb, 60)).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void anEligibleBackupIsPreferredToPanic() {
        List<Server> servers = List.of(TestServers.server(0, 1, false), TestServers.server(1, 1, false),
                TestServers.server(2, 1, true));
        LoadBalancer lb = LoadBalancer.create(Balance.ROUND_ROBIN, servers, 50);
        servers.get(0).healthy(false);
        servers.get(1).healthy(false);
        assertThat(picked(lb, 20)).containsExactly(2);
        servers.get(2).healthy(false);
        assertThat(picked(lb, 20)).as("backup down too: panic over the primaries").containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void withoutAThresholdEverythingDownMeansNoServer() {
        List<Server> servers = TestServers.weighted(1, 1);
        LoadBalancer lb = LoadBalancer.create(Balance.ROUND_ROBIN, servers, 0);
        servers.forEach(s -> s.healthy(false));
        assertThat(picked(lb, 10)).containsExactly(-1);
    }
}
