package io.bulwark.health;

import io.bulwark.config.Durations;
import io.bulwark.config.PassiveConfig;
import io.bulwark.core.Clock;
import io.bulwark.upstream.FailureKind;
import io.bulwark.upstream.OutcomeListener;
import io.bulwark.upstream.Server;
import io.bulwark.upstream.Upstream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Passive health from real traffic for one upstream; the proxy reports every request's outcome here, from
 * any event loop. Two detectors run side by side:
 * <ul>
 *   <li>Envoy-style consecutive failures ({@code passive:}): {@code consecutive_failures} in a row eject the
 *       server for {@code ejection_time × n} (the n-th ejection in a row), capped at {@code max_ejection_time};
 *       after a clean spell longer than the cap, n starts over.
 *   <li>nginx's {@code max_fails} per server: that many failures within {@code fail_timeout} make it
 *       unavailable for {@code fail_timeout}. Successes in between do not reset the count (as documented).
 * </ul>
 * Neither ejects beyond {@code max_ejection_percent} of the servers, and at least one server always stays,
 * so a failing upstream degrades instead of going dark. Without {@code passive:}, response statuses do not
 * count (nginx's default) and only the one-stays rule caps ejection.
 *
 * <p>Success is the common case and takes no lock and, while nothing failed, writes nothing.
 */
public final class PassiveDetector implements OutcomeListener {
    private final Clock clock;
    private final List<Server> servers;
    private final Outlier[] outliers;
    private final int consecutiveLimit;
    private final boolean[] failureStatus = new boolean[600];
    private final long ejectionNanos;
    private final long maxEjectionNanos;
    private final int maxEjected;
    private final LongAdder ejections = new LongAdder();
    private final LongAdder refusedByCap = new LongAdder();

    public PassiveDetector(Upstream upstream, Clock clock) {
        this.clock = clock;
        this.servers = upstream.servers();
        this.outliers = new Outlier[servers.size()];
        for (int i = 0; i < outliers.length; i++) {
            outliers[i] = new Outlier();
        }
        PassiveConfig config = upstream.config().passive().orElse(null);
        int n = servers.size();
        if (config == null) {
            consecutiveLimit = 0;
            ejectionNanos = 0;
            maxEjectionNanos = 0;
            maxEjected = n - 1;
        } else {
            consecutiveLimit = config.consecutiveFailures();
            config.failureStatuses().forEach(s -> failureStatus[s] = true);
            ejectionNanos = config.ejectionTime().toNanos();
            maxEjectionNanos = config.maxEjectionTime().toNanos();
            maxEjected = Math.min(n - 1, n * config.maxEjectionPercent() / 100);
        }
    }

    /** A request to {@code server} completed successfully. Lock-free; writes only after a failure. */
    @Override
    public void onSuccess(Server server, long latencyNanos) {
        AtomicInteger consecutive = outliers[server.index()].consecutive;
        if (consecutive.get() != 0) {
            consecutive.set(0);
        }
    }

    /** A response arrived; a status in {@code failure_statuses} counts as a failure, anything else as success. */
    @Override
    public void onResponse(Server server, int status, long latencyNanos) {
        if (status >= 100 && status < failureStatus.length && failureStatus[status]) {
            onFailure(server, PassiveFailure.status(status));
        } else {
            onSuccess(server, latencyNanos);
        }
    }

    /** A request to {@code server} failed at the transport level, as the proxy reports it. */
    @Override
    public void onFailure(Server server, FailureKind kind) {
        onFailure(server, switch (kind) {
            case CONNECT_FAILURE -> PassiveFailure.CONNECT_FAILURE;
            case RESET -> PassiveFailure.RESET;
            case TIMEOUT -> PassiveFailure.TIMEOUT;
        });
    }

    /** A request to {@code server} failed as {@code failure} says. */
    public void onFailure(Server server, PassiveFailure failure) {
        Outlier o = outliers[server.index()];
        long now = clock.nanoTime();
        int inARow = o.consecutive.incrementAndGet();
        if (consecutiveLimit > 0 && inARow >= consecutiveLimit) {
            ejectConsecutive(server, o, failure, inARow, now);
        }
        int maxFails = server.config().maxFails();
        if (maxFails > 0) {
            long window = server.config().failTimeout().toNanos();
            int count = 0;
            synchronized (o) {
                if (o.windowFails == 0 || now - o.windowStartNanos > window) {
                    o.windowStartNanos = now;
                    o.windowFails = 0;
                }
                if (++o.windowFails >= maxFails) {
                    count = o.windowFails;
                    o.windowFails = 0;
                }
            }
            if (count > 0) {
                eject(server, now + window, failure, "(max_fails " + count + " within "
                        + Durations.format(server.config().failTimeout()) + ", out for "
                        + Durations.format(server.config().failTimeout()) + ")");
            }
        }
    }

    private synchronized void ejectConsecutive(Server server, Outlier o, PassiveFailure failure, int inARow, long now) {
        if (server.ejected()) {
            o.consecutive.set(0);
            return;
        }
        // A server that stayed clean for longer than the cap starts its back-off over.
        int times = o.timesEjected == 0 || now - o.lastEjectionEndNanos > maxEjectionNanos ? 1 : o.timesEjected + 1;
        long nanos = ejectionNanos > maxEjectionNanos / times ? maxEjectionNanos : ejectionNanos * times;
        String detail = "(" + inARow + " in a row, ejected " + Durations.format(Duration.ofNanos(nanos))
                + ", #" + times + ")";
        if (eject(server, now + nanos, failure, detail)) {
            o.timesEjected = times;
            o.lastEjectionEndNanos = now + nanos;
            o.consecutive.set(0);
        }
    }

    /** Ejects unless the cap is reached; extends an ejection in force silently. Returns whether it ejected. */
    private synchronized boolean eject(Server server, long untilNanos, PassiveFailure failure, String detail) {
        if (server.ejected()) {
            server.eject(untilNanos, failure.cause(), detail);
            return false;
        }
        if (ejectedCount() >= maxEjected) {
            refusedByCap.increment();
            return false;
        }
        server.eject(untilNanos, failure.cause(), detail);
        ejections.increment();
        return true;
    }

    private int ejectedCount() {
        int n = 0;
        for (Server s : servers) {
            if (s.ejected()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Ends every ejection whose deadline has passed. Ejections also end on the first eligibility read after
     * their deadline; calling this every second or so makes the EJECTED -> SERVING event timely when no
     * traffic arrives.
     */
    public void sweep() {
        for (Server s : servers) {
            s.eligible();
        }
    }

    /** Ejections made so far, for metrics. */
    public long ejections() {
        return ejections.sum();
    }

    /** Ejections not made because {@code max_ejection_percent} (or the last-one-stays rule) was reached. */
    public long refusedEjections() {
        return refusedByCap.sum();
    }

    /** Per-server counters; the consecutive count is the only field the success path touches. */
    private static final class Outlier {
        final AtomicInteger consecutive = new AtomicInteger();
        // Guarded by the detector's lock.
        int timesEjected;
        long lastEjectionEndNanos;
        // Guarded by this object's lock.
        int windowFails;
        long windowStartNanos;
    }
}
