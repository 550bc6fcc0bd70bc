package io.bulwark.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.PassiveConfig;
import io.bulwark.config.Recovery;
import io.bulwark.core.Event;
import io.bulwark.core.EventBus;
import io.bulwark.upstream.FailureKind;
import io.bulwark.upstream.ManualClock;
import io.bulwark.upstream.OutcomeListener;
import io.bulwark.upstream.Server;
import io.bulwark.upstream.Transition;
import io.bulwark.upstream.Upstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PassiveDetectorTest {
    private final ManualClock clock = new ManualClock();
    private final EventBus bus = new EventBus();
    private final List<Event> events = new ArrayList<>();

    PassiveDetectorTest() {
        bus.subscribe(events::add);
    }

    private Upstream upstream(int servers, Optional<PassiveConfig> passive, int maxFails) {
        return Fixtures.upstream(servers, Optional.empty(), passive, Recovery.AUTO, maxFails, clock, bus);
    }

    private static void fail(PassiveDetector d, Server s, int times) {
        for (int i = 0; i < times; i++) {
            d.onFailure(s, PassiveFailure.status(503));
        }
    }

    @Test
    void consecutiveFailuresEjectForTheBaseTime() {
        Upstream up = upstream(4, Optional.of(Fixtures.passive(5, 50)), 0);
        PassiveDetector d = new PassiveDetector(up, clock);
        Server s = up.servers().getFirst();

        fail(d, s, 4);
        assertThat(s.eligible()).isTrue();
        fail(d, s, 1);
        assertThat(s.eligible()).isFalse();

        clock.advance(Duration.ofSeconds(29));
        assertThat(s.eligible()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(s.eligible()).isTrue();
        assertThat(events).extracting(Event::describe).containsExactly(
                "(app/127.0.0.1:9001) SERVING -> EJECTED: passive status 503 (5 in a row, ejected 30s, #1)",
                "(app/127.0.0.1:9001) EJECTED -> SERVING: ejection expired");
        assertThat(d.ejections()).isEqualTo(1);
    }

    @Test
    void sweepEndsExpiredEjectionsWithoutTraffic() {
        Upstream up = upstream(4, Optional.of(Fixtures.passive(1, 50)), 0);
        PassiveDetector d = new PassiveDetector(up, clock);
        fail(d, up.servers().getFirst(), 1);
        clock.advance(Duration.ofSeconds(30));

        d.sweep();

        assertThat(events).extracting(Event::describe).last()
                .isEqualTo("(app/127.0.0.1:9001) EJECTED -> SERVING: ejection expired");
    }

    @Test
    void transportFailuresReportedThroughTheOutcomeInterfaceCountAndNameTheirCause() {
        Upstream up = upstream(4, Optional.of(Fixtures.passive(1, 50)), 0);
        OutcomeListener d = new PassiveDetector(up, clock);
        Server s = up.servers().getFirst();

        d.onFailure(s, FailureKind.TIMEOUT);

        assertThat(s.eligible()).isFalse();
        assertThat(events).extracting(Event::describe).first().asString()
                .startsWith("(app/127.0.0.1:9001) SERVING -> EJECTED: passive timeout");
    }

    @Test
    void aSuccessResetsTheConsecutiveCount() {
        Upstream up = upstream(4, Optional.of(Fixtures.passive(3, 50)), 0);
        PassiveDetector d = new PassiveDetector(up, clock);
        Server s = up.servers().getFirst();

        fail(d, s, 2);
        d.onSuccess(s, 1_000_000);
        fail(d, s, 2);
        d.onResponse(s, 200, 1_000_000);
        d.onFailure(s, PassiveFailure.RESET);
        d.onFailure(s, PassiveFailure.TIMEOUT);

        assertThat(s.eligible()).isTrue();
        d.onResponse(s, 502, 1_000_000);
        assertThat(s.eligible()).isFalse();
    }

    @Test
    void repeatedEjectionsBackOffUpToTheCap() {
        Upstream up = upstream(4, Optional.of(Fixtures.passive(1, 50)), 0);
        PassiveDetector d = new PassiveDetector(up, clock);
        Server s = up.servers().getFirst();
        List<Long> lengths = new ArrayList<>();

        for (int i = 0; i < 12; i++) {
            long start = clock.nanoTime();
            fail(d, s, 1);
            lengths.add(Duration.ofNanos(s.ejectedUntilNanos() - start).toSeconds());
            clock.advance(Duration.ofNanos(s.ejectedUntilNanos() - start));
            assertThat(s.eligible()).isTrue();
        }

        assertThat(lengths).containsExactly(30L, 60L, 90L, 120L, 150L, 180L, 210L, 240L, 270L, 300L, 300L, 300L);
    }

    @Test
    void backOffStartsOverAfterACleanSpellLongerThanTheCap() {
        Upstream up = upstream(4, Optional.of(Fixtures.passive(1, 50)), 0);
        PassiveDetector d = new PassiveDetector(up, clock);
        Server s = up.servers().getFirst();

        fail(d, s, 1);
        clock.advance(Duration.ofSeconds(30));
        fail(d, s, 1);
        assertThat(s.ejectedUntilNanos() - clock.nanoTime()).isEqualTo(Duration.ofSeconds(60).toNanos());
        clock.advance(Duration.ofSeconds(60 + 301));
        fail(d, s, 1);

        assertThat(s.ejectedUntilNanos() - clock.nanoTime()).isEqualTo(Duration.ofSeconds(30).toNanos());
    }

    @Test
    void neverEjectsMoreThanMaxEjectionPercent() {
        Upstream up = upstream(4, Optional.of(Fixtures.passive(1, 50)), 0);
        PassiveDetector d = new PassiveDetector(up, clock);

        up.servers().forEach(s -> fail(d, s, 1));

        assertThat(up.servers()).filteredOn(Server::eligible).hasSize(2);
        assertThat(d.refusedEjections()).isEqualTo(2);
    }

    @Test
    void theLastServerIsNeverEjectedEvenAtOneHundredPercent() {
        Upstream up = upstream(2, Optional.of(Fixtures.passive(1, 100)), 0);
        PassiveDetector d = new PassiveDetector(up, clock);

        up.servers().forEach(s -> fail(d, s, 3));

        assertThat(up.servers()).filteredOn(Server::eligible).hasSize(1);
    }

    @Test
    void nginxMaxFailsWithinFailTimeoutTakesAServerOutForFailTimeout() {
        Upstream up = upstream(3, Optional.empty(), 3);
        PassiveDetector d = new PassiveDetector(up, clock);
        Server s = up.servers().getFirst();

        d.onFailure(s, PassiveFailure.CONNECT_FAILURE);
        d.onFailure(s, PassiveFailure.CONNECT_FAILURE);
        clock.advance(Duration.ofSeconds(11));
        d.onFailure(s, PassiveFailure.CONNECT_FAILURE);
        assertThat(s.eligible()).as("the first two fell out of the 10s window").isTrue();

        d.onSuccess(s, 1);
        d.onFailure(s, PassiveFailure.CONNECT_FAILURE);
        d.onFailure(s, PassiveFailure.CONNECT_FAILURE);
        assertThat(s.eligible()).as("successes do not reset nginx's count").isFalse();
        clock.advance(Duration.ofSeconds(10));
        assertThat(s.eligible()).isTrue();

        assertThat(events).extracting(Event::describe).first().isEqualTo(
                "(app/127.0.0.1:9001) SERVING -> EJECTED: passive connect failure (max_fails 3 within 10s, out for 10s)");
    }

    @Test
    void withoutPassiveSectionStatusesDoNotCountAndMaxFailsZeroDisables() {
        Upstream up = upstream(3, Optional.empty(), 1);
        PassiveDetector d = new PassiveDetector(up, clock);
        d.onResponse(up.servers().getFirst(), 503, 1);
        assertThat(up.servers().getFirst().eligible()).isTrue();

        Upstream off = upstream(3, Optional.empty(), 0);
        PassiveDetector none = new PassiveDetector(off, clock);
        fail(none, off.servers().getFirst(), 100);
        assertThat(off.servers().getFirst().eligible()).isTrue();
    }

    @Test
    void failuresWhileEjectedDoNotEjectAgainOrLogAgain() {
        Upstream up = upstream(4, Optional.of(Fixtures.passive(2, 50)), 0);
        PassiveDetector d = new PassiveDetector(up, clock);
        Server s = up.servers().getFirst();

        fail(d, s, 10);

        assertThat(s.transitions(Transition.SERVING_TO_EJECTED)).isEqualTo(1);
        assertThat(events).hasSize(1);
    }

    @Test
    void failuresFromManyThreadsEjectExactlyOnce() throws Exception {
        Upstream up = upstream(4, Optional.of(Fixtures.passive(5, 50)), 0);
        PassiveDetector d = new PassiveDetector(up, clock);
        Server s = up.servers().getFirst();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    d.onFailure(s, PassiveFailure.RESET);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }

        assertThat(s.transitions(Transition.SERVING_TO_EJECTED)).isEqualTo(1);
        assertThat(events).hasSize(1);
    }

    @Test
    void successPathDoesNotAllocate() {
        Upstream up = upstream(2, Optional.of(Fixtures.passive(5, 50)), 1);
        PassiveDetector d = new PassiveDetector(up, clock);
        Server s = up.servers().getFirst();
        var bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 100_000; i++) {
            d.onSuccess(s, i);
            d.onResponse(s, 200, i);
        }
        long before = bean.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            d.onSuccess(s, i);
            d.onResponse(s, 200, i);
        }
        assertThat(bean.getCurrentThreadAllocatedBytes() - before).isLessThan(1024);
    }
}
