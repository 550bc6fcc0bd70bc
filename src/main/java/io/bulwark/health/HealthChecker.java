package io.bulwark.health;

import io.bulwark.config.HealthCheckConfig;
import io.bulwark.config.Recovery;
import io.bulwark.core.Transport;
import io.bulwark.upstream.Server;
import io.bulwark.upstream.Upstream;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Runs an upstream's active checks: one loop per server, each pinned to one event loop of the group, so
 * a server's timers, probes and state changes happen on one thread. Exec plugins run on virtual threads and
 * hand their results back to that loop. Closing stops every loop; a check in flight finishes unapplied.
 */
public final class HealthChecker implements AutoCloseable {
    private final List<ServerCheck> checks;

    private HealthChecker(List<ServerCheck> checks) {
        this.checks = checks;
    }

    /**
     * Starts checking every server of {@code upstream} as its {@code health_check} says; with no
     * {@code health_check} it does nothing and servers keep their health.
     */
    public static HealthChecker start(Upstream upstream, EventLoopGroup group, Transport transport) {
        HealthCheckConfig config = upstream.config().healthCheck().orElse(null);
        if (config == null) {
            return new HealthChecker(List.of());
        }
        List<ServerCheck> checks = new ArrayList<>();
        for (Server server : upstream.servers()) {
            EventLoop loop = group.next();
            Probe probe = switch (config.type()) {
                case HTTP -> new HttpProbe(loop, transport, config);
                case TCP -> new TcpProbe(loop, transport, config.timeout());
                case EXEC -> new ExecProbe(config.command(), config.timeout());
            };
            checks.add(check(server, config, upstream.config().recovery(), probe, new EventLoopScheduler(loop),
                    ThreadLocalRandom.current()));
        }
        return start(checks);
    }

    /** For tests: the same loops on any scheduler and probe, e.g. virtual time and scripted results. */
    static HealthChecker start(Upstream upstream, Function<Server, Scheduler> schedulers, Probe probe,
            RandomGenerator random) {
        HealthCheckConfig config = upstream.config().healthCheck().orElseThrow();
        List<ServerCheck> checks = new ArrayList<>();
        for (Server server : upstream.servers()) {
            checks.add(check(server, config, upstream.config().recovery(), probe, schedulers.apply(server), random));
        }
        return start(checks);
    }

    private static ServerCheck check(Server server, HealthCheckConfig config, Recovery recovery, Probe probe,
            Scheduler scheduler, RandomGenerator random) {
        return new ServerCheck(server, probe, new RiseFall(server, config, recovery), scheduler,
                config.jitterPercent(), random);
    }

    private static HealthChecker start(List<ServerCheck> checks) {
        checks.forEach(ServerCheck::start);
        return new HealthChecker(List.copyOf(checks));
    }

    /** Stops every server's check loop. */
    @Override
    public void close() {
        checks.forEach(ServerCheck::stop);
    }
}
