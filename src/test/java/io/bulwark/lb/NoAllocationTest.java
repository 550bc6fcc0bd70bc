package io.bulwark.lb;

import static io.bulwark.lb.TestServers.triedOf;
import static io.bulwark.lb.TestServers.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.Balance;
import io.bulwark.upstream.Server;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NoAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @ParameterizedTest
    @EnumSource(Balance.class)
    void picksDoNotAllocateOnFastOrFallbackPaths(Balance balance) {
        List<Server> servers = weighted(5, 3, 2, 1, 1, 4);
        servers.add(TestServers.server(servers.size(), 2, true));
        servers.get(1).healthy(false);
        servers.get(3).requestStarted();
        LoadBalancer lb = LoadBalancer.create(balance, servers);
        Tried tried = triedOf(servers.get(0));
        Tried allPrimaries = triedOf(servers.subList(0, 6).toArray(new Server[0]));
        run(lb, tried, allPrimaries, 20_000); // let the JIT settle

        long before = THREADS.getCurrentThreadAllocatedBytes();
        long sink = run(lb, tried, allPrimaries, 100_000);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

        assertThat(sink).isPositive();
        // Slack for the measurement itself; a single allocating pick path would cost megabytes here.
        assertThat(allocated).isLessThan(4_096);
    }

    private static long run(LoadBalancer lb, Tried tried, Tried allPrimaries, int rounds) {
        long sink = 0;
        for (int i = 0; i < rounds; i++) {
            sink += lb.pick(i * 0x9E3779B97F4A7C15L, Tried.NONE).index();
            sink += lb.pick(i, tried).index();
            sink += lb.pick(i, allPrimaries).index();
        }
        return sink;
    }
}
