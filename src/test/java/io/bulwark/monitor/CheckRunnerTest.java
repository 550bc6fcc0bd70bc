package io.bulwark.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.MonitorCheckConfig;
import io.bulwark.config.MonitorType;
import io.bulwark.core.Event;
import io.bulwark.core.EventBus;
import io.bulwark.core.Severity;
import io.bulwark.upstream.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A check's results in virtual time, and the events they publish: every line exactly as logged. */
class CheckRunnerTest {
    private final ManualClock clock = new ManualClock();
    private final EventBus bus = new EventBus();
    private final List<Event> events = new ArrayList<>();
    private CheckRunner runner;

    CheckRunnerTest() {
        bus.subscribe(events::add);
    }

    static MonitorCheckConfig config(int attempts, boolean flapDetection) {
        return new MonitorCheckConfig("cpu_load", MonitorType.EXEC, List.of(), List.of(), Duration.ofMinutes(5),
                Duration.ofMinutes(1), attempts, flapDetection, 25, 50, Duration.ofSeconds(10), false, false, null,
                null, null, null, List.of("/usr/lib/nagios/plugins/check_load"));
    }

    private void start(MonitorCheckConfig c) {
        runner = new CheckRunner(c, timeout -> CheckResult.of(Status.OK, "unused"), bus, clock, clock.nanoTime());
    }

    /** The check's next run, when it is due, with this result. */
    private void result(Status status, String text) {
        clock.advance(Duration.ofNanos(Math.max(0, runner.nextCheckNanos() - clock.nanoTime())));
        runner.complete(CheckResult.of(status, text), clock.nanoTime());
    }

    private List<String> lines() {
        return events.stream().map(Event::describe).toList();
    }

    @Test
    void aProblemIsJournaledSoftThenHardOnceConfirmedThenRecovered() {
        start(config(3, true));
        result(Status.OK, "LOAD OK - total load average: 0.20, 0.10, 0.05");
        result(Status.CRITICAL, "LOAD CRITICAL - total load average: 13.10, 9.02, 5.51");
        result(Status.CRITICAL, "LOAD CRITICAL - total load average: 13.40, 9.50, 5.60");
        result(Status.CRITICAL, "LOAD CRITICAL - total load average: 13.70, 9.90, 5.70");
        result(Status.CRITICAL, "LOAD CRITICAL - total load average: 12.90, 10.1, 5.80");
        result(Status.OK, "LOAD OK - total load average: 1.20, 6.10, 5.10");

        assertThat(lines()).containsExactly(
                "(monitor/cpu_load) OK -> CRITICAL (SOFT 1/3): LOAD CRITICAL - total load average: 13.10, 9.02, 5.51",
                "(monitor/cpu_load) CRITICAL (SOFT) -> CRITICAL (HARD 3/3): LOAD CRITICAL - total load average: 13.70, 9.90, 5.70",
                "(monitor/cpu_load) CRITICAL -> OK (HARD 1/3): LOAD OK - total load average: 1.20, 6.10, 5.10");
        assertThat(events).extracting(Event::severity).containsExactly(Severity.INFO, Severity.CRITICAL, Severity.OK);
        assertThat(events).extracting(Event::source).containsOnly("monitor/cpu_load");
        assertThat(runner.last().text()).startsWith("LOAD OK");
    }

    @Test
    void aProblemThatClearsBeforeItIsConfirmedIsInformationOnly() {
        start(config(3, true));
        result(Status.WARNING, "LOAD WARNING - total load average: 8.50, 4.00, 2.00");
        result(Status.OK, "LOAD OK - total load average: 2.00, 3.90, 2.00");

        assertThat(lines()).containsExactly(
                "(monitor/cpu_load) OK -> WARNING (SOFT 1/3): LOAD WARNING - total load average: 8.50, 4.00, 2.00",
                "(monitor/cpu_load) WARNING (SOFT) -> OK (HARD 1/3): LOAD OK - total load average: 2.00, 3.90, 2.00");
        assertThat(events).extracting(Event::severity).containsOnly(Severity.INFO);
    }

    @Test
    void flappingStartsAndStopsOnceEach() {
        start(config(1, true));
        for (int i = 0; i < 20; i++) {
            result(i % 2 == 0 ? Status.CRITICAL : Status.OK, i % 2 == 0 ? "DOWN" : "UP");
        }
        for (int i = 0; i < 20; i++) {
            result(Status.OK, "UP");
        }
        List<String> flapping = events.stream().filter(e -> e instanceof CheckFlapping).map(Event::describe).toList();
        assertThat(flapping).hasSize(2);
        assertThat(flapping.get(0)).startsWith("(monitor/cpu_load) started flapping: 51.5% state change >= 50.0%");
        assertThat(flapping.get(1)).startsWith("(monitor/cpu_load) stopped flapping: ").endsWith("<= 25.0% threshold");
    }

    @Test
    void withoutFlapDetectionNoFlappingIsPublished() {
        start(config(1, false));
        for (int i = 0; i < 30; i++) {
            result(i % 2 == 0 ? Status.CRITICAL : Status.OK, "x");
        }
        assertThat(events).noneMatch(e -> e instanceof CheckFlapping).hasSize(30);
    }

    @Test
    void checksFollowTheCheckAndRetryIntervals() {
        start(config(3, true));
        long t0 = clock.nanoTime();
        result(Status.OK, "ok");
        assertThat(runner.nextCheckNanos() - t0).isEqualTo(Duration.ofMinutes(5).toNanos());
        result(Status.CRITICAL, "bad");
        assertThat(runner.nextCheckNanos() - t0).isEqualTo(Duration.ofMinutes(6).toNanos());
    }
}
