package io.bulwark.monitor;

import io.bulwark.config.MonitorCheckConfig;
import io.bulwark.core.Clock;
import io.bulwark.core.EventBus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host and peer checks of a config, running: each on a virtual thread of its own that waits until its
 * check is due, runs the probe (which may block, a plugin or a connect) and hands the result to its
 * {@link CheckRunner}. Nothing here touches an event loop.
 */
public final class Monitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Monitor.class);

    /** No checks. */
    public static final Monitor NONE = new Monitor(List.of(), List.of());

    private final List<CheckRunner> runners;
    private final List<Thread> threads;
    private volatile boolean closed;

    private Monitor(List<CheckRunner> runners, List<Thread> threads) {
        this.runners = runners;
        this.threads = threads;
    }

    /** Starts every check; the first run of each is due at once. */
    public static Monitor start(Map<String, MonitorCheckConfig> checks, EventBus events) {
        return start(checks, events, Clock.system(), Probes::of);
    }

    static Monitor start(Map<String, MonitorCheckConfig> checks, EventBus events, Clock clock,
            Function<MonitorCheckConfig, Probe> probes) {
        if (checks.isEmpty()) {
            return NONE;
        }
        List<CheckRunner> runners = new ArrayList<>();
        long now = clock.nanoTime();
        for (MonitorCheckConfig c : checks.values()) {
            runners.add(new CheckRunner(c, probes.apply(c), events, clock, now));
        }
        List<Thread> threads = new ArrayList<>();
        Monitor m = new Monitor(List.copyOf(runners), threads);
        for (CheckRunner r : runners) {
            threads.add(Thread.ofVirtual().name("monitor-" + r.name()).start(() -> m.run(r, clock)));
        }
        log.info("monitor: {} check(s): {}", runners.size(), String.join(", ", checks.keySet()));
        return m;
    }

    private void run(CheckRunner r, Clock clock) {
        try {
            while (!closed) {
                long wait = r.nextCheckNanos() - clock.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                CheckResult result = r.probe().run(r.timeout());
                if (!closed) {
                    r.complete(result, clock.nanoTime());
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            // A probe must answer with a result; one that throws is a bug, said once, and its check stops.
            log.error("monitor check {} stopped: its probe failed", r.name(), e);
        }
    }

    /** The last result of the named check, or {@code null} before its first run or for an unknown name. */
    public CheckResult last(String check) {
        for (CheckRunner r : runners) {
            if (r.name().equals(check)) {
                return r.last();
            }
        }
        return null;
    }

    /** Stops every check; a probe in progress is interrupted (a plugin is killed). */
    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
