package io.bulwark.health;

import io.bulwark.config.Durations;
import io.bulwark.config.PassiveConfig;
import io.bulwark.core.Clock;
import io.bulwark.upstream.Cause;
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
 * any event loop. Up to three detectors run side by side:
 * <ul>
 *   <li>Envoy-style consecutive failures ({@code passive:}): {@code consecutive_failures} in a row eject the
 *       server for {@code ejection_time × n} (the n-th ejection in a row), capped at {@code max_ejection_time};
 *       after a clean spell longer than the cap, n starts over.
 *   <li>nginx's {@code max_fails} per server: that many failures within {@code fail_timeout} make it
 *       unavailable for {@code fail_timeout}. Successes in between do not reset the count (as documented).
 *   <li>Statistical outliers ({@code passive.outlier:}, see {@link OutlierWindow}): every {@code interval},
 *       a server whose success rate or mean latency stands out from its peers' is ejected with the same
 *       back-off as consecutive failures. {@link #sweep()} runs the evaluation when a window has ended.
 * </ul>
 * None ejects beyond {@code max_ejection_percent} of the servers, and at least one server always stays,
 * so a failing upstream degrades instead of going dark. Without {@code passive:}, response statuses do not
 * count (nginx's default) and only the one-stays rule caps ejection.
 *
 * <p>Success is the common case and takes no lock and, while nothing failed, writes nothing but (with
 * {@code outlier:}) three uncontended {@link LongAdder} adds.
 */
public final class PassiveDetector implements OutcomeListener {
    private final Clock clock;
    private final List<Server> servers;
    private final Outlier[] outliers;
    /** Statistical outlier detection; null when {@code passive.outlier:} is absent. */
    private final OutlierWindow statistics;
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
            statistics = null;
        } else {
            consecutiveLimit = config.consecutiveFailures();
            config.failureStatuses().forEach(s -> failureStatus[s] = true);
            ejectionNanos = config.ejectionTime().toNanos();
            maxEjectionNanos = config.maxEjectionTime().toNanos();
            maxEjected = Math.min(n - 1, n * config.maxEjectionPercent() / 100);
            statistics = config.outlier().map(o -> new OutlierWindow(o, n, clock.nanoTime())).orElse(null);
        }
    }

    /**
     * A request to {@code server} completed successfully. Lock-free; writes only after a failure, and, with
     * {@code outlier:}, to uncontended-cheap {@link LongAdder}s.
     */
    @Override
    public void onSuccess(Server server, long latencyNanos) {
        AtomicInteger consecutive = outliers[server.index()].consecutive;
        if (consecutive.get() != 0) {
            consecutive.set(0);
        }
        if (statistics != null) {
            statistics.success(server.index(), latencyNanos);
        }
    }

    /** A response arrived; a status in {@code failure_statuses} counts as a failure, anything else as success. */
    @Override
    public void onResponse(Server server, int status, long latencyNanos) {
        if (status >= 100 && status < failureStatus.length && failureStatus[status]) {
            if (statistics != null) {
                statistics.response(server.index(), latencyNanos);
            }
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
        if (statistics != null) {
            statistics.failure(server.index());
        }
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
                eject(server, now + window, failure.cause(), "(max_fails " + count + " within "
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
        ejectWithBackOff(server, o, failure.cause(), inARow + " in a row, ", now);
    }

    /**
     * Ejects for {@code ejection_time × n} (the n-th ejection in a row), capped; {@code counts} opens the
     * detail, e.g. {@code "5 in a row, "}, or is empty.
     */
    private synchronized void ejectWithBackOff(Server server, Outlier o, Cause cause, String counts, long now) {
        // A server that stayed clean for longer than the cap starts its back-off over.
        int times = o.timesEjected == 0 || now - o.lastEjectionEndNanos > maxEjectionNanos ? 1 : o.timesEjected + 1;
        long nanos = ejectionNanos > maxEjectionNanos / times ? maxEjectionNanos : ejectionNanos * times;
        String detail = "(" + counts + "ejected " + Durations.format(Duration.ofNanos(nanos)) + ", #" + times + ")";
        if (eject(server, now + nanos, cause, detail)) {
            o.timesEjected = times;
            o.lastEjectionEndNanos = now + nanos;
            o.consecutive.set(0);
        }
    }

    /** Ejects unless the cap is reached; extends an ejection in force silently. Returns whether it ejected. */
    private synchronized boolean eject(Server server, long untilNanos, Cause cause, String detail) {
        if (server.ejected()) {
            server.eject(untilNanos, cause, detail);
            return false;
        }
        if (ejectedCount() >= maxEjected) {
            refusedByCap.increment();
            return false;
        }
        server.eject(untilNanos, cause, detail);
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
     * Ends every ejection whose deadline has passed, then, with {@code outlier:}, judges the window if
     * {@code interval} has passed since the last judgement. Ejections also end on the first eligibility read
     * after their deadline; calling this every second or so makes the EJECTED -> SERVING event timely when no
     * traffic arrives, and the outlier windows as long as configured (give or take that second).
     */
    public void sweep() {
        for (Server s : servers) {
            s.eligible();
        }
        if (statistics != null) {
            long now = clock.nanoTime();
            for (OutlierWindow.Verdict v : statistics.evaluate(now)) {
                ejectOutlier(v, now);
            }
        }
    }

    /** Ejects a statistical outlier, worst first as the verdicts come, until the cap is reached. */
    private synchronized void ejectOutlier(OutlierWindow.Verdict v, long now) {
        Server server = servers.get(v.server());
        if (server.ejected()) {
            // Already out (its window began before a consecutive-failure ejection); do not extend it silently.
            return;
        }
        ejectWithBackOff(server, outliers[v.server()], v.cause(), "", now);
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
