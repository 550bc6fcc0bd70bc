package io.bulwark.monitor;

import io.bulwark.config.MonitorCheckConfig;
import io.bulwark.core.Clock;
import io.bulwark.core.EventBus;
import java.time.Duration;

/**
 * One configured check's state between runs: each result moves its Nagios state ({@link CheckState}), and what
 * changed is published, a {@link CheckStateChanged} for every state change (SOFT ones too, for the journal)
 * and a {@link CheckFlapping} when it starts or stops flapping. Whom to tell, and when again, is the alarms'
 * business. Results come in one at a time, from the check's own thread or a test's virtual time.
 */
final class CheckRunner {
    private final MonitorCheckConfig config;
    private final Probe probe;
    private final CheckState state;
    private final EventBus events;
    private final Clock clock;
    private volatile CheckResult last;

    CheckRunner(MonitorCheckConfig config, Probe probe, EventBus events, Clock clock, long firstCheckNanos) {
        this.config = config;
        this.probe = probe;
        this.events = events;
        this.clock = clock;
        this.state = new CheckState(rules(config), firstCheckNanos);
    }

    /** The config's rules for {@link CheckState}; without flap detection its flapping is never published. */
    static CheckRules rules(MonitorCheckConfig c) {
        return new CheckRules(c.checkInterval(), c.retryInterval(), c.maxCheckAttempts(), c.lowFlapThreshold(),
                c.highFlapThreshold());
    }

    String name() {
        return config.name();
    }

    Probe probe() {
        return probe;
    }

    Duration timeout() {
        return config.timeout();
    }

    /** When the next check is due, on the clock's nanosecond scale. */
    long nextCheckNanos() {
        return state.nextCheckNanos();
    }

    /** The last result, or {@code null} before the first. */
    CheckResult last() {
        return last;
    }

    /** Takes one result that came in at {@code nowNanos}: the state moves and what changed is published. */
    void complete(CheckResult result, long nowNanos) {
        last = result;
        Verdict v = state.record(result.status(), nowNanos);
        long millis = clock.currentTimeMillis();
        // As Nagios decides flapping before it notifies: the result that starts the flapping is already held
        // back, so its start goes out first, and its end after the result that ended it.
        boolean starts = config.flapDetection() && v.flappingStarted();
        boolean stops = config.flapDetection() && v.flappingStopped();
        if (starts) {
            events.publish(new CheckFlapping(config.name(), true, state.percentStateChange(),
                    config.highFlapThreshold(), millis));
        }
        if (v.stateChange() || v.hardStateChange()) {
            events.publish(new CheckStateChanged(config.name(), v.previousStatus(), v.previousType(), v.status(),
                    v.type(), v.attempt(), config.maxCheckAttempts(), result.text(), millis));
        }
        if (stops) {
            events.publish(new CheckFlapping(config.name(), false, state.percentStateChange(),
                    config.lowFlapThreshold(), millis));
        }
    }
}
