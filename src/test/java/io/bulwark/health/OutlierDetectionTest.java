package io.bulwark.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.OutlierConfig;
import io.bulwark.config.Recovery;
import io.bulwark.core.Event;
import io.bulwark.core.EventBus;
import io.bulwark.upstream.CauseKind;
import io.bulwark.upstream.FailureKind;
import io.bulwark.upstream.ManualClock;
import io.bulwark.upstream.Server;
import io.bulwark.upstream.ServerStateChanged;
import io.bulwark.upstream.Upstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutlierDetectionTest {
    private static final Duration INTERVAL = OutlierConfig.DEFAULTS.interval();
    private static final long MS = 1_000_000;

    private final ManualClock clock = new ManualClock();
    private final EventBus bus = new EventBus();
    private final List<Event> events = new ArrayList<>();

    OutlierDetectionTest() {
        bus.subscribe(events::add);
    }

    private Upstream upstream(int servers, OutlierConfig outlier, int maxEjectionPercent) {
        return Fixtures.upstream(servers, Optional.empty(), Optional.of(Fixtures.outlier(outlier, maxEjectionPercent)),
                Recovery.AUTO, 0, clock, bus);
    }

    /** {@code requests} responses from {@code server}, {@code failures} of them 503, each after {@code latencyMs}. */
    private static void traffic(PassiveDetector d, Server server, int requests, int failures, long latencyMs) {
        for (int i = 0; i < requests; i++) {
            d.onResponse(server, i < failures ? 503 : 200, latencyMs * MS);
        }
    }

    private List<String> described() {
        return events.stream().map(Event::describe).toList();
    }

    @Test
    void aServerFailingThirtyPercentAmongFourAtNinetyNineIsEjectedWithTheNumbers() {
        Upstream up = upstream(5, OutlierConfig.DEFAULTS, 50);
        PassiveDetector d = new PassiveDetector(up, clock);
        List<Server> s = up.servers();
        traffic(d, s.get(0), 400, 4, 5);
        traffic(d, s.get(1), 400, 6, 5);
        traffic(d, s.get(2), 400, 3, 5);
        traffic(d, s.get(3), 400, 2, 5);
        traffic(d, s.get(4), 400, 120, 5);

        clock.advance(INTERVAL);
        d.sweep();

        assertThat(described()).containsExactly("(app/127.0.0.1:9005) SERVING -> EJECTED: outlier success rate: "
                + "70.0 % < 96.3 % (mean 99.1 %, stdev 1.5 %, 1.9 sd) over 400 requests (ejected 30s, #1)");
        ServerStateChanged event = (ServerStateChanged) events.getFirst();
        assertThat(event.cause().kind()).isEqualTo(CauseKind.OUTLIER_SUCCESS_RATE);
        assertThat(event.cause().detail()).startsWith("70.0 % < 96.3 %");
        assertThat(s.get(4).lastCause()).isEqualTo(event.cause());
        assertThat(s.get(4).eligible()).isFalse();
        assertThat(d.ejections()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(30));
        d.sweep();
        assertThat(s.get(4).eligible()).isTrue();
    }

    @Test
    void transportFailuresCountAgainstTheSuccessRate() {
        Upstream up = upstream(3, OutlierConfig.DEFAULTS, 50);
        PassiveDetector d = new PassiveDetector(up, clock);
        List<Server> s = up.servers();
        traffic(d, s.get(0), 200, 0, 5);
        traffic(d, s.get(1), 200, 0, 5);
        traffic(d, s.get(2), 150, 0, 5);
        for (int i = 0; i < 50; i++) {
            d.onFailure(s.get(2), i % 2 == 0 ? FailureKind.TIMEOUT : FailureKind.RESET);
        }

        clock.advance(INTERVAL);
        d.sweep();

        assertThat(described()).singleElement().asString()
                .startsWith("(app/127.0.0.1:9003) SERVING -> EJECTED: outlier success rate: 75.0 % < ");
    }

    @Test
    void serversWithinOrdinaryNoiseAreNotEjected() {
        Upstream up = upstream(5, OutlierConfig.DEFAULTS, 50);
        PassiveDetector d = new PassiveDetector(up, clock);
        int[] failures = {10, 8, 11, 9, 12};
        for (int i = 0; i < 5; i++) {
            traffic(d, up.servers().get(i), 1000, failures[i], 5 + i % 2);
        }
        clock.advance(INTERVAL);
        d.sweep();

        for (Server s : up.servers()) {
            traffic(d, s, 500, 0, 5);
        }
        clock.advance(INTERVAL);
        d.sweep();

        assertThat(events).isEmpty();
    }

    @Test
    void aStrayFailureAmongFlawlessPeersIsNotAnOutlierButARealDifferenceIs() {
        Upstream up = upstream(5, OutlierConfig.DEFAULTS, 50);
        PassiveDetector d = new PassiveDetector(up, clock);
        for (int i = 0; i < 4; i++) {
            traffic(d, up.servers().get(i), 400, 0, 5);
        }
        traffic(d, up.servers().get(4), 400, 1, 5);
        clock.advance(INTERVAL);
        d.sweep();
        assertThat(events).isEmpty();

        for (int i = 0; i < 4; i++) {
            traffic(d, up.servers().get(i), 400, 0, 5);
        }
        traffic(d, up.servers().get(4), 400, 8, 5);
        clock.advance(INTERVAL);
        d.sweep();
        assertThat(described()).singleElement().asString().contains("outlier success rate: 98.0 % < ");
    }

    @Test
    void aServerBelowMinRequestsIsNotJudged() {
        Upstream up = upstream(5, OutlierConfig.DEFAULTS, 50);
        PassiveDetector d = new PassiveDetector(up, clock);
        for (int i = 0; i < 4; i++) {
            traffic(d, up.servers().get(i), 400, 4, 5);
        }
        traffic(d, up.servers().get(4), 99, 50, 500);

        clock.advance(INTERVAL);
        d.sweep();

        assertThat(events).isEmpty();
    }

    @Test
    void fewerThanMinHostsWithEnoughVolumeMeansNoJudgement() {
        OutlierConfig fourHosts = new OutlierConfig(INTERVAL, 100, 4, 1.9, 3.0, Duration.ofMillis(20));
        Upstream up = upstream(5, fourHosts, 50);
        PassiveDetector d = new PassiveDetector(up, clock);
        traffic(d, up.servers().get(0), 400, 0, 5);
        traffic(d, up.servers().get(1), 400, 0, 5);
        traffic(d, up.servers().get(2), 400, 200, 5);
        traffic(d, up.servers().get(3), 99, 0, 5);

        clock.advance(INTERVAL);
        d.sweep();
        assertThat(events).isEmpty();

        // The same shape with the default min_hosts of 3 is judged.
        Upstream three = upstream(5, OutlierConfig.DEFAULTS, 50);
        PassiveDetector d3 = new PassiveDetector(three, clock);
        traffic(d3, three.servers().get(0), 400, 0, 5);
        traffic(d3, three.servers().get(1), 400, 0, 5);
        traffic(d3, three.servers().get(2), 400, 200, 5);
        clock.advance(INTERVAL);
        d3.sweep();
        assertThat(three.servers().get(2).eligible()).isFalse();
    }

    @Test
    void judgementWaitsForTheIntervalAndEachWindowStartsEmpty() {
        Upstream up = upstream(3, OutlierConfig.DEFAULTS, 50);
        PassiveDetector d = new PassiveDetector(up, clock);
        traffic(d, up.servers().get(0), 200, 0, 5);
        traffic(d, up.servers().get(1), 200, 0, 5);

        clock.advance(INTERVAL.minusSeconds(1));
        d.sweep();
        traffic(d, up.servers().get(2), 200, 100, 5);
        clock.advance(Duration.ofSeconds(1));
        d.sweep();
        assertThat(up.servers().get(2).eligible()).as("judged at the end of the first window").isFalse();

        // The next window holds only what came after: too little volume for anyone.
        clock.advance(Duration.ofSeconds(30));
        traffic(d, up.servers().get(2), 50, 50, 5);
        clock.advance(INTERVAL);
        d.sweep();
        assertThat(up.servers().get(2).eligible()).isTrue();
        assertThat(events).hasSize(2);
    }

    @Test
    void repeatedOutlierEjectionsBackOffLikeConsecutiveOnes() {
        Upstream up = upstream(3, OutlierConfig.DEFAULTS, 50);
        PassiveDetector d = new PassiveDetector(up, clock);
        List<Long> lengths = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            traffic(d, up.servers().get(0), 200, 0, 5);
            traffic(d, up.servers().get(1), 200, 0, 5);
            traffic(d, up.servers().get(2), 200, 100, 5);
            clock.advance(INTERVAL);
            d.sweep();
            long until = up.servers().get(2).ejectedUntilNanos();
            lengths.add(Duration.ofNanos(until - clock.nanoTime()).toSeconds());
            clock.advance(Duration.ofNanos(until - clock.nanoTime()));
        }

        assertThat(lengths).containsExactly(30L, 60L);
    }

    @Test
    void aSlowServerIsEjectedForLatency() {
        Upstream up = upstream(5, OutlierConfig.DEFAULTS, 50);
        PassiveDetector d = new PassiveDetector(up, clock);
        for (int i = 0; i < 4; i++) {
            traffic(d, up.servers().get(i), 300, 0, 5);
        }
        traffic(d, up.servers().get(4), 300, 0, 200);

        clock.advance(INTERVAL);
        d.sweep();

        assertThat(described()).containsExactly("(app/127.0.0.1:9005) SERVING -> EJECTED: outlier latency: "
                + "200.0 ms > 25.0 ms (mean 5.0 ms, stdev 0.0 ms, 3 sd, gap 20ms) over 300 requests (ejected 30s, #1)");
        assertThat(((ServerStateChanged) events.getFirst()).cause().kind()).isEqualTo(CauseKind.OUTLIER_LATENCY);
    }

    @Test
    void aSmallLatencySpreadIsNotEjectedBecauseOfMinLatencyGap() {
        Upstream up = upstream(5, OutlierConfig.DEFAULTS, 50);
        PassiveDetector d = new PassiveDetector(up, clock);
        for (int i = 0; i < 4; i++) {
            traffic(d, up.servers().get(i), 300, 0, 5);
        }
        traffic(d, up.servers().get(4), 300, 0, 7);

        clock.advance(INTERVAL);
        d.sweep();

        assertThat(events).as("7 ms is many standard deviations above 5 ms, but only 2 ms slower").isEmpty();
    }

    @Test
    void latencyDetectionOffLeavesSlowServersAlone() {
        Upstream up = upstream(3, new OutlierConfig(INTERVAL, 100, 3, 1.9, 0, Duration.ofMillis(20)), 50);
        PassiveDetector d = new PassiveDetector(up, clock);
        traffic(d, up.servers().get(0), 300, 0, 5);
        traffic(d, up.servers().get(1), 300, 0, 5);
        traffic(d, up.servers().get(2), 300, 0, 900);

        clock.advance(INTERVAL);
        d.sweep();

        assertThat(events).isEmpty();
    }

    @Test
    void maxEjectionPercentHoldsAndTheWorstGoesFirst() {
        Upstream up = upstream(10, OutlierConfig.DEFAULTS, 10);
        PassiveDetector d = new PassiveDetector(up, clock);
        for (int i = 0; i < 8; i++) {
            traffic(d, up.servers().get(i), 400, 4, 5);
        }
        traffic(d, up.servers().get(8), 400, 240, 5);
        traffic(d, up.servers().get(9), 400, 280, 5);

        clock.advance(INTERVAL);
        d.sweep();

        assertThat(up.servers()).filteredOn(s -> !s.eligible()).containsExactly(up.servers().get(9));
        assertThat(d.refusedEjections()).isEqualTo(1);
    }

    @Test
    void successPathDoesNotAllocateWithOutlierDetectionOn() {
        Upstream up = upstream(3, OutlierConfig.DEFAULTS, 50);
        PassiveDetector d = new PassiveDetector(up, clock);
        Server s = up.servers().getFirst();
        var bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 100_000; i++) {
            d.onSuccess(s, i);
            d.onResponse(s, 200, i);
            d.onResponse(s, 503, i);
        }
        long before = bean.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            d.onSuccess(s, i);
            d.onResponse(s, 200, i);
            d.onResponse(s, 503, i);
        }
        assertThat(bean.getCurrentThreadAllocatedBytes() - before).isLessThan(1024);
    }
}
