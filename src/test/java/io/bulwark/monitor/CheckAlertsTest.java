package io.bulwark.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.alert.Notifications;
import io.bulwark.config.AlertRuleConfig;
import io.bulwark.config.AlertsConfig;
import io.bulwark.core.EventBus;
import io.bulwark.core.Severity;
import io.bulwark.upstream.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A monitor check's results through to the alerts they cause, in virtual time: the check's own state logic
 * (SOFT, HARD, flapping) and the alarms' decisions (problem, reminder, recovery), with no thread and no sleep.
 */
class CheckAlertsTest {
    private final ManualClock clock = new ManualClock();
    private final EventBus bus = new EventBus();
    private final long start = clock.currentTimeMillis();
    private final List<String> sent = new ArrayList<>();
    private Notifications alarms;
    private CheckRunner runner;

    private void start(int attempts) {
        AlertRuleConfig rule = new AlertRuleConfig(List.of("monitor/**"), Severity.WARNING, List.of("mail"),
                Duration.ofMinutes(30), true, 0, Duration.ZERO, List.of());
        alarms = Notifications.of(new AlertsConfig("gw1", "", Duration.ZERO, 100, Duration.ofSeconds(1),
                Duration.ofMinutes(5), Optional.empty(), Map.of(), List.of(rule), List.of()));
        bus.subscribe(e -> alarms.on(e, clock.currentTimeMillis()));
        runner = new CheckRunner(CheckRunnerTest.config(attempts, true), timeout -> null, bus, clock,
                clock.nanoTime());
    }

    /** The next check, when due, with this result; the alarms tick every virtual second on the way. */
    private void result(Status status) {
        while (clock.nanoTime() < runner.nextCheckNanos()) {
            clock.advance(Duration.ofNanos(Math.min(1_000_000_000L, runner.nextCheckNanos() - clock.nanoTime())));
            send();
        }
        runner.complete(CheckResult.of(status, "LOAD " + status), clock.nanoTime());
        send();
    }

    private void send() {
        alarms.tick(clock.currentTimeMillis());
        for (Notifications.Outgoing o : alarms.due(clock.currentTimeMillis(), false)) {
            sent.add((clock.currentTimeMillis() - start) / 60_000 + "m " + o.alert().kind() + " "
                    + o.alert().items().getFirst().current());
        }
    }

    @Test
    void aProblemIsToldOnlyOnceHardThenRemindedOnceAndItsRecoveryTold() {
        start(3);
        result(Status.OK);           // 0m
        result(Status.CRITICAL);     // 5m SOFT 1/3
        assertThat(sent).as("nothing while SOFT").isEmpty();
        result(Status.CRITICAL);     // 6m SOFT 2/3
        assertThat(sent).isEmpty();
        result(Status.CRITICAL);     // 7m HARD 3/3
        assertThat(sent).containsExactly("7m PROBLEM CRITICAL");
        for (int i = 0; i < 8; i++) {
            result(Status.CRITICAL); // 12m .. 47m
        }
        result(Status.OK);           // 52m
        assertThat(sent).containsExactly("7m PROBLEM CRITICAL", "37m REMINDER CRITICAL", "52m RECOVERY OK");
    }

    @Test
    void anAlternatingCheckIsToldFlappingOnceAndSettledOnce() {
        start(1);
        for (int i = 0; i < 20; i++) {
            result(i % 2 == 0 ? Status.CRITICAL : Status.OK);
        }
        for (int i = 0; i < 20; i++) {
            result(Status.OK);
        }
        assertThat(sent).filteredOn(s -> s.contains("FLAPPING")).hasSize(2);
        // Before flapping is detected each change is told, as Nagios tells it; the result that starts it is held
        // back, and so is everything until it settles; the problem that began at 40m was never told, so its end
        // is not either.
        assertThat(sent).containsExactly(
                "0m PROBLEM CRITICAL", "5m RECOVERY OK", "10m PROBLEM CRITICAL", "15m RECOVERY OK",
                "20m PROBLEM CRITICAL", "25m RECOVERY OK", "30m PROBLEM CRITICAL", "35m RECOVERY OK",
                "40m FLAPPING_START FLAPPING", "165m FLAPPING_STOP STEADY");
    }
}
