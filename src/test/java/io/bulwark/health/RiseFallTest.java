package io.bulwark.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.CheckType;
import io.bulwark.config.HealthCheckConfig;
import io.bulwark.config.Recovery;
import io.bulwark.core.Event;
import io.bulwark.core.EventBus;
import io.bulwark.upstream.Cause;
import io.bulwark.upstream.CauseKind;
import io.bulwark.upstream.Health;
import io.bulwark.upstream.ManualClock;
import io.bulwark.upstream.Server;
import io.bulwark.upstream.Transition;
import io.bulwark.upstream.Upstream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The check loop in virtual time: a scripted probe, a manual clock, no sockets and no sleeps. */
class RiseFallTest {
    private static final Cause OK = Cause.status(CauseKind.L7_OK, 200);
    private static final Cause BAD = Cause.status(CauseKind.L7_BAD_STATUS, 503);
    private static final long SECOND = 1_000_000_000L;

    private final ManualClock clock = new ManualClock();
    private final VirtualScheduler scheduler = new VirtualScheduler(clock);
    private final EventBus bus = new EventBus();
    private final List<Event> events = new ArrayList<>();
    private final Deque<Cause> script = new ArrayDeque<>();
    private int probes;

    RiseFallTest() {
        bus.subscribe(events::add);
    }

    private Server start(HealthCheckConfig check, Recovery recovery) {
        Upstream up = Fixtures.upstream(1, Optional.of(check), Optional.empty(), recovery, 0, clock, bus);
        HealthChecker.start(up, s -> scheduler, (server, done) -> {
            probes++;
            done.accept(script.isEmpty() ? OK : script.poll());
        }, new SplittableRandom(1));
        return up.servers().getFirst();
    }

    /** Runs the first check, whose start is spread over one interval. */
    private void firstCheck() {
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(probes).isEqualTo(1);
    }

    @Test
    void fallFailuresInARowTakeAServerDownOnce() {
        Server s = start(Fixtures.check(CheckType.HTTP, 2, 3), Recovery.AUTO);
        script.addAll(List.of(BAD, BAD, BAD, BAD, BAD));

        firstCheck();
        assertThat(s.health()).isEqualTo(Health.UP);
        scheduler.advance(Duration.ofMillis(500));
        assertThat(s.health()).isEqualTo(Health.UP);
        scheduler.advance(Duration.ofMillis(500));
        assertThat(s.health()).isEqualTo(Health.DOWN);
        assertThat(s.eligible()).isFalse();
        scheduler.advance(Duration.ofSeconds(10));

        assertThat(events).extracting(Event::describe)
                .containsExactly("(app/127.0.0.1:9001) UP -> DOWN: L7 bad status 503 (3/3)");
        assertThat(s.transitions(Transition.UP_TO_DOWN)).isEqualTo(1);
    }

    @Test
    void aPassBetweenFailuresStartsTheCountOver() {
        Server s = start(Fixtures.check(CheckType.HTTP, 2, 3), Recovery.AUTO);
        script.addAll(List.of(BAD, BAD, OK, BAD, BAD, OK));

        scheduler.advance(Duration.ofSeconds(30));

        assertThat(s.health()).isEqualTo(Health.UP);
        assertThat(events).isEmpty();
    }

    @Test
    void riseSuccessesBringItBackAndIntervalsFollowTheState() {
        Server s = start(Fixtures.check(CheckType.HTTP, 2, 3), Recovery.AUTO);
        script.addAll(List.of(OK, BAD, BAD, BAD, BAD, OK, OK, OK));

        scheduler.advance(Duration.ofSeconds(60));

        assertThat(s.health()).isEqualTo(Health.UP);
        assertThat(events).extracting(Event::describe).containsExactly(
                "(app/127.0.0.1:9001) UP -> DOWN: L7 bad status 503 (3/3)",
                "(app/127.0.0.1:9001) DOWN -> UP: L7 ok 200 (2/2)");
        // first (spread), after OK: interval; two failures confirming: fast; down: down_interval twice (the
        // DOWN result and a further failure); one pass while down: fast; up again: interval.
        assertThat(scheduler.delays().subList(1, 9)).containsExactly(
                2 * SECOND, SECOND / 2, SECOND / 2, 5 * SECOND, 5 * SECOND, SECOND / 2, 2 * SECOND, 2 * SECOND);
    }

    @Test
    void manualRecoveryHoldsAServerThatPassesAgainUntilEnabled() {
        Server s = start(Fixtures.check(CheckType.HTTP, 2, 1), Recovery.MANUAL);
        script.addAll(List.of(BAD, OK, OK, OK, OK));

        scheduler.advance(Duration.ofSeconds(60));
        assertThat(s.health()).isEqualTo(Health.HELD);
        assertThat(s.eligible()).isFalse();

        assertThat(s.enable("by operator")).isTrue();
        assertThat(s.eligible()).isTrue();
        scheduler.advance(Duration.ofSeconds(60));
        assertThat(s.health()).isEqualTo(Health.UP);
        assertThat(events).extracting(Event::describe).containsExactly(
                "(app/127.0.0.1:9001) UP -> DOWN: L7 bad status 503 (1/1)",
                "(app/127.0.0.1:9001) DOWN -> HELD: L7 ok 200 (2/2)",
                "(app/127.0.0.1:9001) HELD -> UP: manual enabled by operator");
    }

    @Test
    void aHeldServerThatFailsAgainGoesDown() {
        Server s = start(Fixtures.check(CheckType.HTTP, 1, 2), Recovery.MANUAL);
        script.addAll(List.of(BAD, BAD, OK, BAD, BAD));

        scheduler.advance(Duration.ofSeconds(60));

        // Down again, then held again by the passes that follow the script.
        assertThat(s.transitions(Transition.HELD_TO_DOWN)).isEqualTo(1);
        assertThat(s.transitions(Transition.DOWN_TO_HELD)).isEqualTo(2);
        assertThat(s.eligible()).isFalse();
    }

    @Test
    void execWarningCountsAsAPassButStaysVisible() {
        Server s = start(Fixtures.check(CheckType.EXEC, 1, 1), Recovery.AUTO);
        script.addAll(List.of(Cause.of(CauseKind.EXEC_WARNING, "WARNING - slow")));

        firstCheck();

        assertThat(s.health()).isEqualTo(Health.UP);
        assertThat(s.lastCause().describe()).isEqualTo("exec WARNING: WARNING - slow");
    }

    @Test
    void anOperatorsChangeVoidsCountsTowardTheOldState() {
        Server s = start(Fixtures.check(CheckType.HTTP, 3, 3), Recovery.AUTO);
        script.addAll(List.of(BAD, BAD));
        firstCheck();
        scheduler.advance(Duration.ofMillis(500));

        s.healthy(false);
        s.healthy(true);
        script.addAll(List.of(BAD));
        scheduler.advance(Duration.ofMillis(500));

        assertThat(s.health()).as("one failure after the reset, not three").isEqualTo(Health.UP);
    }

    @Test
    void jitterStaysWithinItsShareAndFirstChecksAreSpreadOverOneInterval() {
        HealthCheckConfig check = Fixtures.withJitter(Fixtures.check(CheckType.TCP, 2, 3), 10);
        SplittableRandom random = new SplittableRandom(7);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 10_000; i++) {
            long d = Jitter.spread(check.interval().toNanos(), check.jitterPercent(), random);
            min = Math.min(min, d);
            max = Math.max(max, d);
            long first = Jitter.firstDelay(check.interval().toNanos(), random);
            assertThat(first).isBetween(0L, check.interval().toNanos() - 1);
        }
        assertThat(min).isBetween(1_800_000_000L, 1_810_000_000L);
        assertThat(max).isBetween(2_190_000_000L, 2_200_000_000L);
        assertThat(Jitter.spread(1000, 0, random)).isEqualTo(1000);
    }

    @Test
    void closingStopsTheLoop() {
        Upstream up = Fixtures.upstream(3, Optional.of(Fixtures.check(CheckType.TCP, 2, 3)), Optional.empty(),
                Recovery.AUTO, 0, clock, bus);
        HealthChecker checker = HealthChecker.start(up, s -> scheduler, (server, done) -> {
            probes++;
            done.accept(OK);
        }, new SplittableRandom(3));
        scheduler.advance(Duration.ofSeconds(10));
        int before = probes;
        assertThat(before).isGreaterThanOrEqualTo(12);

        checker.close();
        scheduler.advance(Duration.ofSeconds(10));

        assertThat(probes).isEqualTo(before);
    }
}
