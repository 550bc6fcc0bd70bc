package io.bulwark.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.config.HostPort;
import io.bulwark.config.ServerConfig;
import io.bulwark.core.Event;
import io.bulwark.core.EventBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerStateTest {
    private final ManualClock clock = new ManualClock();
    private final EventBus bus = new EventBus();
    private final List<Event> events = new ArrayList<>();
    private final Server server = server(Duration.ZERO, 10);

    ServerStateTest() {
        bus.subscribe(events::add);
    }

    private Server server(Duration slowStart, int weight) {
        return new Server("app", 0, new ServerConfig(new HostPort("127.0.0.1", 9002), weight, false), slowStart,
                clock, bus);
    }

    @Test
    void eachTransitionIsOneEventReadingLikeTheLogLine() {
        server.health(Health.DOWN, Cause.status(CauseKind.L7_BAD_STATUS, 503), "(3/3)");
        server.health(Health.DOWN, Cause.status(CauseKind.L7_BAD_STATUS, 503), "(3/3)");

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.describe()).isEqualTo("(app/127.0.0.1:9002) UP -> DOWN: L7 bad status 503 (3/3)");
            assertThat(e).isInstanceOfSatisfying(ServerStateChanged.class, c -> {
                assertThat(c.transition()).isEqualTo(Transition.UP_TO_DOWN);
                assertThat(c.cause().status()).isEqualTo(503);
                assertThat(c.timestampMillis()).isEqualTo(clock.currentTimeMillis());
            });
        });
        assertThat(server.transitions(Transition.UP_TO_DOWN)).isEqualTo(1);
        assertThat(server.eligible()).isFalse();
        assertThat(server.lastCause().describe()).isEqualTo("L7 bad status 503");
    }

    @Test
    void illegalTransitionThrows() {
        assertThatThrownBy(() -> server.health(Health.HELD, Cause.of(CauseKind.L7_OK), ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("illegal transition UP -> HELD");
        assertThat(events).isEmpty();
    }

    @Test
    void eligibleNeedsUpReadyAndNotEjected() {
        server.admin(AdminState.DRAIN, "rolling deploy");
        assertThat(server.eligible()).isFalse();
        server.admin(AdminState.MAINT, "disk swap");
        assertThat(server.eligible()).isFalse();
        server.admin(AdminState.READY, "done");
        assertThat(server.eligible()).isTrue();

        server.health(Health.DOWN, Cause.of(CauseKind.L4_REFUSED), "(3/3)");
        server.health(Health.HELD, Cause.of(CauseKind.L4_OK), "(2/2)");
        assertThat(server.eligible()).as("held for manual recovery").isFalse();
        assertThat(server.enable("by operator")).isTrue();
        assertThat(server.eligible()).isTrue();
        assertThat(server.enable("by operator")).as("only a held server is enabled").isFalse();

        assertThat(events).extracting(Event::describe).containsExactly(
                "(app/127.0.0.1:9002) READY -> DRAIN: manual rolling deploy",
                "(app/127.0.0.1:9002) DRAIN -> MAINT: manual disk swap",
                "(app/127.0.0.1:9002) MAINT -> READY: manual done",
                "(app/127.0.0.1:9002) UP -> DOWN: L4 refused (3/3)",
                "(app/127.0.0.1:9002) DOWN -> HELD: L4 ok (2/2)",
                "(app/127.0.0.1:9002) HELD -> UP: manual enabled by operator");
    }

    @Test
    void ejectionEndsAtItsDeadlineWithoutATimer() {
        server.eject(clock.nanoTime() + Duration.ofSeconds(30).toNanos(), Cause.status(CauseKind.PASSIVE_STATUS, 502),
                "(5 in a row, for 30s)");
        clock.advance(Duration.ofSeconds(29));
        assertThat(server.eligible()).isFalse();
        assertThat(server.ejected()).isTrue();

        clock.advance(Duration.ofSeconds(1));
        assertThat(server.eligible()).isTrue();
        assertThat(server.eligible()).isTrue();

        assertThat(events).extracting(Event::describe).containsExactly(
                "(app/127.0.0.1:9002) SERVING -> EJECTED: passive status 502 (5 in a row, for 30s)",
                "(app/127.0.0.1:9002) EJECTED -> SERVING: ejection expired");
    }

    @Test
    void ejectionInForceIsExtendedNotShortenedAndNotLoggedAgain() {
        long now = clock.nanoTime();
        assertThat(server.eject(now + 10, Cause.of(CauseKind.PASSIVE_RESET), "")).isTrue();
        assertThat(server.eject(now + 50, Cause.of(CauseKind.PASSIVE_RESET), "")).isFalse();
        assertThat(server.eject(now + 20, Cause.of(CauseKind.PASSIVE_RESET), "")).isFalse();

        assertThat(server.ejectedUntilNanos()).isEqualTo(now + 50);
        assertThat(events).hasSize(1);
    }

    @Test
    void slowStartRampsFromTenPercentToFullWeight() {
        Server s = server(Duration.ofSeconds(100), 100);
        assertThat(s.effectiveWeight(clock.nanoTime())).as("no ramp at startup").isEqualTo(100);

        s.health(Health.DOWN, Cause.of(CauseKind.L4_TIMEOUT), "");
        s.health(Health.UP, Cause.of(CauseKind.L4_OK), "");
        long back = clock.nanoTime();

        assertThat(s.effectiveWeight(back)).isEqualTo(10);
        assertThat(s.effectiveWeight(back + Duration.ofSeconds(50).toNanos())).isEqualTo(55);
        assertThat(s.effectiveWeight(back + Duration.ofSeconds(99).toNanos())).isEqualTo(99);
        assertThat(s.effectiveWeight(back + Duration.ofSeconds(100).toNanos())).isEqualTo(100);
        assertThat(s.effectiveWeight(back + Duration.ofHours(1).toNanos())).isEqualTo(100);
    }

    @Test
    void slowStartNeverGoesBelowOne() {
        Server s = server(Duration.ofSeconds(10), 3);
        s.admin(AdminState.MAINT, "");
        s.admin(AdminState.READY, "");

        assertThat(s.effectiveWeight(clock.nanoTime())).isEqualTo(1);
    }

    @Test
    void legacyHealthySwitchStillWorks() {
        server.healthy(false);
        assertThat(server.eligible()).isFalse();
        server.healthy(true);
        assertThat(server.eligible()).isTrue();
        assertThat(events).extracting(Event::describe).containsExactly(
                "(app/127.0.0.1:9002) UP -> DOWN: manual healthy(false)",
                "(app/127.0.0.1:9002) DOWN -> UP: manual healthy(true)");
    }

    @Test
    void everyLegalTransitionIsListedOnce() {
        assertThat(Transition.between(Health.DOWN, Health.UP)).isEqualTo(Transition.DOWN_TO_UP);
        assertThatThrownBy(() -> Transition.between(Health.UP, AdminState.DRAIN))
                .isInstanceOf(IllegalStateException.class);
    }
}
