package io.bulwark.health;

import io.bulwark.upstream.Cause;
import io.bulwark.upstream.CauseKind;
import io.bulwark.upstream.Server;
import java.util.random.RandomGenerator;

/**
 * One server's check loop: probe, apply the result, schedule the next one. The next check is scheduled only
 * after the previous result is in, so a slow server never has two checks in flight.
 */
final class ServerCheck {
    private final Server server;
    private final Probe probe;
    private final RiseFall riseFall;
    private final Scheduler scheduler;
    private final int jitterPercent;
    private final RandomGenerator random;
    private volatile boolean stopped;
    private volatile Scheduler.Cancellable pending;

    ServerCheck(Server server, Probe probe, RiseFall riseFall, Scheduler scheduler, int jitterPercent,
            RandomGenerator random) {
        this.server = server;
        this.probe = probe;
        this.riseFall = riseFall;
        this.scheduler = scheduler;
        this.jitterPercent = jitterPercent;
        this.random = random;
    }

    void start() {
        pending = scheduler.schedule(this::run, Jitter.firstDelay(riseFall.intervalNanos(), random));
    }

    void stop() {
        stopped = true;
        Scheduler.Cancellable p = pending;
        if (p != null) {
            p.cancel();
        }
    }

    private void run() {
        if (stopped) {
            return;
        }
        try {
            probe.run(server, cause -> scheduler.execute(() -> completed(cause)));
        } catch (RuntimeException e) {
            // A probe bug must not end the loop silently: count it as an unknown result and go on.
            completed(Cause.of(CauseKind.L4_ERROR, "probe failed: " + e));
        }
    }

    private void completed(Cause cause) {
        if (stopped) {
            return;
        }
        long next = riseFall.apply(cause);
        pending = scheduler.schedule(this::run, Jitter.spread(next, jitterPercent, random));
    }
}
