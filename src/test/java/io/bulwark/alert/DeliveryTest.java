package io.bulwark.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bulwark.core.Clock;
import io.bulwark.core.Event;
import io.bulwark.core.EventBus;
import io.bulwark.core.Severity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One channel's queue: order across outages, the bound, back-off, and what it tells the bus. */
class DeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration MS = Duration.ofMillis(1);

    private final EventBus bus = new EventBus();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<Delivery> started = new ArrayList<>();

    {
        bus.subscribe(events::add);
    }

    @AfterEach
    void closeAll() {
        started.forEach(Delivery::close);
    }

    /**
     * A real channel for the queue's purposes: records what it got and when it was tried; fails with a
     * message while one is set, and blocks (interruptibly) while blocked.
     */
    static final class TestChannel implements Channel {
        final List<Alert> got = new CopyOnWriteArrayList<>();
        final List<Long> attemptNanos = new CopyOnWriteArrayList<>();
        final AtomicInteger interrupted = new AtomicInteger();
        volatile String failing;
        private volatile CountDownLatch gate = new CountDownLatch(0);
        private final String name;

        TestChannel(String name) {
            this.name = name;
        }

        void block() {
            gate = new CountDownLatch(1);
        }

        void unblock() {
            gate.countDown();
        }

        List<String> ids() {
            return got.stream().map(Alert::id).toList();
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void deliver(Alert alert) throws DeliveryException, InterruptedException {
            attemptNanos.add(System.nanoTime());
            try {
                gate.await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            }
            String why = failing;
            if (why != null) {
                throw new DeliveryException(why);
            }
            got.add(alert);
        }
    }

    /** Time that moves only when told: the minute between two AlertFailed events passes in a statement. */
    static final class StepClock implements Clock {
        final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

        @Override
        public long nanoTime() {
            return nanos.get();
        }

        @Override
        public long currentTimeMillis() {
            return 1_700_000_000_000L + nanos.get() / 1_000_000;
        }

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }
    }

    static Alert alert(int n) {
        long t = 1_700_000_000_000L + n;
        return new Alert("a-" + n, Alert.Kind.PROBLEM, Severity.CRITICAL, "gw1", t,
                List.of(new Alert.Item("upstream/app/10.0.0." + n + ":8080", "UP", "DOWN", Severity.CRITICAL, t,
                        "L4 refused (3/3)")), "");
    }

    static List<String> ids(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(n -> "a-" + n).toList();
    }

    private Delivery start(TestChannel channel, int capacity, Duration initial, Duration max, Path spool,
            Clock clock, RandomGenerator random) {
        Delivery d = Delivery.start(channel, capacity, initial, max, spool, bus, clock, random);
        started.add(d);
        return d;
    }

    private Delivery start(TestChannel channel, int capacity) {
        return start(channel, capacity, MS, Duration.ofMillis(20), null, Clock.system(), new SplittableRandom(1));
    }

    private <T extends Event> List<T> events(Class<T> kind) {
        return events.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    @Test
    void orderIsKeptAcrossAnOutageAndNothingIsDeliveredTwice() {
        TestChannel channel = new TestChannel("ops-mail");
        channel.failing = "connection refused";
        Delivery d = start(channel, 100);

        d.offer(alert(1));
        await().atMost(WAIT).until(() -> d.failures() >= 3);
        for (int n = 2; n <= 20; n++) {
            assertThat(d.offer(alert(n))).isTrue();
        }
        await().atMost(WAIT).until(() -> d.failures() >= 10);
        assertThat(channel.got).isEmpty();
        assertThat(d.queued()).isEqualTo(20);

        channel.failing = null;
        await().atMost(WAIT).until(() -> d.delivered() == 20);
        assertThat(channel.ids()).containsExactlyElementsOf(ids(1, 20));
        assertThat(d.queued()).isZero();
        assertThat(d.dropped()).isZero();
    }

    @Test
    void aFullQueueDropsWhatIsOfferedBeyondItAndTellsItOnceABurst() {
        TestChannel channel = new TestChannel("ops-sms");
        channel.block();
        Delivery d = start(channel, 5);

        assertThat(d.offer(alert(1))).isTrue();
        await().atMost(WAIT).until(() -> channel.attemptNanos.size() == 1); // the head is being tried
        for (int n = 2; n <= 5; n++) {
            assertThat(d.offer(alert(n))).as("offer %d", n).isTrue();
        }
        for (int n = 6; n <= 10; n++) {
            assertThat(d.offer(alert(n))).as("offer %d", n).isFalse();
        }
        assertThat(d.dropped()).isEqualTo(5);
        assertThat(d.queued()).isEqualTo(5);
        List<AlertDropped> drops = events(AlertDropped.class);
        assertThat(drops).hasSize(1);
        assertThat(drops.getFirst().source()).isEqualTo("alert/ops-sms");
        assertThat(drops.getFirst().current()).isEqualTo("DROPPED");
        assertThat(drops.getFirst().severity()).isEqualTo(Severity.WARNING);
        assertThat(drops.getFirst().reason()).startsWith("queue full: 5 alerts waiting").contains("a-6");

        channel.unblock();
        await().atMost(WAIT).until(() -> d.delivered() == 5);
        assertThat(channel.ids()).containsExactlyElementsOf(ids(1, 5));

        // The queue had room again: the next burst is a new one, told again.
        channel.block();
        for (int n = 11; n <= 16; n++) {
            d.offer(alert(n));
        }
        assertThat(d.dropped()).isEqualTo(6);
        assertThat(events(AlertDropped.class)).hasSize(2);
        assertThat(events(AlertDropped.class).get(1).reason()).contains("a-16", "6 dropped since start");
    }

    @Test
    void backoffDoublesUpToTheCapWithFullJitter() {
        long initial = TimeUnit.MILLISECONDS.toNanos(10);
        long max = TimeUnit.MILLISECONDS.toNanos(80);
        RandomGenerator highest = new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new AssertionError("only bounded draws expected");
            }

            @Override
            public long nextLong(long bound) {
                return bound - 1;
            }
        };
        List<Long> ceilings = IntStream.rangeClosed(1, 7)
                .mapToObj(k -> Delivery.backoffNanos(k, initial, max, highest) / 1_000_000).toList();
        assertThat(ceilings).containsExactly(10L, 20L, 40L, 80L, 80L, 80L, 80L);
        assertThat(Delivery.backoffNanos(10_000, initial, max, highest)).as("no overflow").isEqualTo(max);

        SplittableRandom random = new SplittableRandom(7);
        List<Long> drawn = IntStream.range(0, 1000)
                .mapToObj(i -> Delivery.backoffNanos(5, initial, max, random)).toList();
        assertThat(drawn).allSatisfy(n -> assertThat(n).isBetween(0L, max));
        assertThat(drawn.stream().distinct().count()).as("jittered").isGreaterThan(900);
        assertThat(drawn.stream().mapToLong(Long::longValue).average().orElseThrow())
                .as("uniform below the ceiling").isBetween(0.4 * max, 0.6 * max);
    }

    @Test
    void retriesWaitTheSeededBackoffAndNoLonger() {
        Duration initial = Duration.ofMillis(10);
        Duration max = Duration.ofMillis(80);
        TestChannel channel = new TestChannel("hook");
        channel.failing = "HTTP 503";
        Delivery d = start(channel, 10, initial, max, null, Clock.system(), new SplittableRandom(42));
        d.offer(alert(1));
        await().atMost(WAIT).until(() -> channel.attemptNanos.size() >= 11);
        d.close();

        SplittableRandom same = new SplittableRandom(42);
        long slack = TimeUnit.MILLISECONDS.toNanos(250); // scheduling on a busy machine, not the back-off
        for (int k = 1; k <= 10; k++) {
            long planned = Delivery.backoffNanos(k, initial.toNanos(), max.toNanos(), same);
            long ceiling = Math.min(max.toNanos(), initial.toNanos() << (k - 1));
            long gap = channel.attemptNanos.get(k) - channel.attemptNanos.get(k - 1);
            assertThat(planned).as("planned wait %d", k).isBetween(0L, ceiling);
            assertThat(gap).as("wait after failure %d", k).isGreaterThanOrEqualTo(planned);
            assertThat(gap).as("wait after failure %d", k).isLessThanOrEqualTo(ceiling + slack);
        }
    }

    @Test
    void anOutageIsToldAtItsStartThenOnceAMinuteAndEachDeliveryOnce() {
        StepClock clock = new StepClock();
        TestChannel channel = new TestChannel("ops-mail");
        channel.failing = "SMTP 554 relay refused";
        Delivery d = start(channel, 10, MS, Duration.ofMillis(5), null, clock, new SplittableRandom(3));

        d.offer(alert(1));
        await().atMost(WAIT).until(() -> d.failures() >= 5);
        List<AlertFailed> failed = events(AlertFailed.class);
        assertThat(failed).hasSize(1);
        assertThat(failed.getFirst().source()).isEqualTo("alert/ops-mail");
        assertThat(failed.getFirst().severity()).isEqualTo(Severity.WARNING);
        assertThat(failed.getFirst().reason()).isEqualTo("SMTP 554 relay refused (attempt 1)");

        clock.advance(Duration.ofSeconds(61));
        await().atMost(WAIT).until(() -> events(AlertFailed.class).size() == 2);
        long after = d.failures();
        await().atMost(WAIT).until(() -> d.failures() >= after + 5);
        assertThat(events(AlertFailed.class)).hasSize(2);
        assertThat(events(AlertFailed.class).get(1).attempt()).isGreaterThan(5);

        channel.failing = null;
        d.offer(alert(2));
        d.offer(alert(3));
        await().atMost(WAIT).until(() -> d.delivered() == 3);
        List<AlertDelivered> done = events(AlertDelivered.class);
        assertThat(done).extracting(AlertDelivered::alertId).containsExactly("a-1", "a-2", "a-3");
        assertThat(done.getFirst().reason())
                .matches("PROBLEM CRITICAL upstream/app/10\\.0\\.0\\.1:8080 DOWN delivered \\(attempt \\d+\\)")
                .doesNotContain("(attempt 1)");
        assertThat(done.get(1).reason()).endsWith("delivered (attempt 1)");
        assertThat(done).allSatisfy(e -> assertThat(e.severity()).isEqualTo(Severity.INFO));

        // A new outage is told at its start, within the minute of the last one.
        channel.failing = "SMTP 421 try later";
        d.offer(alert(4));
        await().atMost(WAIT).until(() -> events(AlertFailed.class).size() == 3);
        assertThat(events(AlertFailed.class).get(2).reason()).isEqualTo("SMTP 421 try later (attempt 1)");
    }

    @Test
    void aChannelThatThrowsSomethingElseIsRetriedLikeAFailure() {
        AtomicInteger calls = new AtomicInteger();
        List<String> got = new CopyOnWriteArrayList<>();
        Channel broken = new Channel() {
            @Override
            public String name() {
                return "buggy";
            }

            @Override
            public void deliver(Alert alert) {
                if (calls.incrementAndGet() < 3) {
                    throw new IllegalStateException("template bug");
                }
                got.add(alert.id());
            }
        };
        Delivery d = Delivery.start(broken, 10, MS, MS, null, bus, Clock.system(), new SplittableRandom(1));
        started.add(d);
        d.offer(alert(1));
        await().atMost(WAIT).until(() -> d.delivered() == 1);
        assertThat(got).containsExactly("a-1");
        assertThat(d.failures()).isEqualTo(2);
        assertThat(events(AlertFailed.class).getFirst().reason()).contains("template bug");
    }

    @Test
    void closeInterruptsADeliveryInProgressAndRefusesLaterOffers() {
        TestChannel channel = new TestChannel("slow");
        channel.block();
        Delivery d = start(channel, 10);
        d.offer(alert(1));
        await().atMost(WAIT).until(() -> channel.attemptNanos.size() == 1);

        long t0 = System.nanoTime();
        d.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        assertThat(channel.interrupted.get()).isEqualTo(1);
        assertThat(d.offer(alert(2))).isFalse();
        assertThat(d.delivered()).isZero();
    }

    @Test
    void nonsenseSettingsAreRefused() {
        TestChannel channel = new TestChannel("x");
        assertThatThrownBy(() -> Delivery.start(channel, 0, MS, MS, null, bus, Clock.system(), new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Delivery.start(channel, 5, Duration.ZERO, MS, null, bus, Clock.system(),
                new SplittableRandom())).isInstanceOf(IllegalArgumentException.class);
    }
}
