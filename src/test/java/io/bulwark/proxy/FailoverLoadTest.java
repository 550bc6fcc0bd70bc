package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.PassiveConfig;
import io.bulwark.config.RetryConfig;
import io.bulwark.config.RetryOn;
import io.bulwark.core.Clock;
import io.bulwark.health.PassiveDetector;
import io.bulwark.testing.BackendProcess;
import io.bulwark.testing.EventLoops;
import io.bulwark.testing.LeakDetection;
import io.bulwark.testing.RawClient;
import io.bulwark.testing.TestBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Steady GET load from 4 clients through 3 backends while one of them fails for real: killed (SIGKILL of
 * a child JVM), frozen (SIGSTOP), or answering 503. With retries and passive ejection (one failure ejects)
 * no client request may fail, and no request may wait much longer than one per-try timeout.
 */
@ExtendWith(LeakDetection.class)
class FailoverLoadTest {
    static final Duration PER_TRY = Duration.ofMillis(300);
    /** Over one per-try timeout: 50 ms for the retry itself, plus 100 ms for a noisy shared CI machine. */
    static final long MAX_MILLIS = PER_TRY.toMillis() + 50 + 100;
    static final int CLIENTS = 4;

    @RegisterExtension
    static final EventLoops loops = new EventLoops(2);
    final List<AutoCloseable> closing = new ArrayList<>();


    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        closing.add(c);
        return c;
    }

    private RetryGateway gateway(InetSocketAddress... servers) throws Exception {
        RetryConfig retry = new RetryConfig(
                Set.of(RetryOn.CONNECT_FAILURE, RetryOn.RESET, RetryOn.TIMEOUT, RetryOn.HTTP_503), 3,
                Optional.of(PER_TRY), Duration.ZERO, Duration.ZERO, 20, 10, 64 * 1024);
        PassiveConfig passive = new PassiveConfig(1, Set.of(502, 503, 504), Duration.ofSeconds(30),
                Duration.ofSeconds(300), 50);
        return closing(RetryGateway.start(loops.group(), retry, Duration.ofSeconds(5), Optional.of(passive),
                u -> new PassiveDetector(u, Clock.system()), List.of(servers)));
    }

    @Test
    void killingABackendFailsNoRequest() throws Exception {
        BackendProcess victim = closing(BackendProcess.start());
        TestBackend b = closing(TestBackend.ok());
        TestBackend c = closing(TestBackend.ok());
        RetryGateway g = gateway(new InetSocketAddress("127.0.0.1", victim.port()), b.address(), c.address());

        Load load = Load.run(g, "kill", victim::kill);

        assertClean(load, g);
    }

    @Test
    void freezingABackendFailsNoRequestAndDelaysNoneBeyondOnePerTryTimeout() throws Exception {
        BackendProcess victim = closing(BackendProcess.start());
        TestBackend b = closing(TestBackend.ok());
        TestBackend c = closing(TestBackend.ok());
        RetryGateway g = gateway(new InetSocketAddress("127.0.0.1", victim.port()), b.address(), c.address());

        Load load = Load.run(g, "freeze", victim::freeze);

        assertClean(load, g);
        assertThat(g.upstream.servers().getFirst().ejected()).isTrue();
    }

    @Test
    void aBackendAnswering503FailsNoRequest() throws Exception {
        AtomicBoolean broken = new AtomicBoolean();
        TestBackend victim = closing(TestBackend.start(ex -> ex.respond(broken.get() ? 503 : 200, "a")));
        TestBackend b = closing(TestBackend.ok());
        TestBackend c = closing(TestBackend.ok());
        RetryGateway g = gateway(victim.address(), b.address(), c.address());

        Load load = Load.run(g, "503", () -> broken.set(true));

        assertClean(load, g);
    }

    private static void assertClean(Load load, RetryGateway g) {
        System.out.printf("%s: %d requests, %d failed, p50 %.1f ms, p99 %.1f ms, max %.1f ms; %s%n", load.name,
                load.count(), load.failures.get(), load.percentile(50), load.percentile(99), load.max(), g.stats());
        assertThat(load.failures.get()).as("failed client requests").isZero();
        assertThat(load.count()).isGreaterThan(500);
        assertThat(load.max()).as("max latency, ms").isLessThanOrEqualTo(MAX_MILLIS);
    }

    /** 4 keep-alive clients sending GETs for a while; the fault strikes after a first second. */
    static final class Load {
        final String name;
        final ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
        final AtomicInteger failures = new AtomicInteger();
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        long[] sorted;

        Load(String name) {
            this.name = name;
        }

        interface Fault {
            void strike() throws Exception;
        }

        static Load run(RetryGateway g, String name, Fault fault) throws Exception {
            Load load = new Load(name);
            // Warm the path up (JIT, pools) so that start-up does not count as latency.
            load.drive(g, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500), false);
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
            Thread loader = Thread.ofPlatform().start(() -> load.drive(g, end, true));
            Thread.sleep(1000);
            fault.strike();
            loader.join();
            load.sorted = load.nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            if (!load.errors.isEmpty()) {
                System.out.println(name + " errors: " + load.errors.stream().limit(5).toList());
            }
            return load;
        }

        void drive(RetryGateway g, long endNanos, boolean record) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                threads.add(Thread.ofPlatform().start(() -> client(g, endNanos, record)));
            }
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void client(RetryGateway g, long endNanos, boolean record) {
            RawClient c = null;
            while (System.nanoTime() < endNanos) {
                long t0 = System.nanoTime();
                try {
                    if (c == null) {
                        c = new RawClient(g.address());
                    }
                    RawClient.Response r = c.exchange("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
                    if (r.status() != 200) {
                        fail(r.status() + " " + r.header("x-bulwark-error"), record);
                    }
                } catch (IOException e) {
                    fail(e.toString(), record);
                    close(c);
                    c = null;
                }
                if (record) {
                    nanos.add(System.nanoTime() - t0);
                }
            }
            close(c);
        }

        private void fail(String what, boolean record) {
            if (record) {
                failures.incrementAndGet();
                errors.add(what);
            }
        }

        private static void close(RawClient c) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (IOException e) {
                // going anyway
            }
        }

        int count() {
            return sorted.length;
        }

        double percentile(int p) {
            int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, i)] / 1e6;
        }

        double max() {
            return Arrays.stream(sorted).max().orElse(0) / 1e6;
        }
    }
}
