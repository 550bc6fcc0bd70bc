package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.EventLoops;
import io.bulwark.testing.LeakDetection;
import io.bulwark.testing.RawClient;
import io.bulwark.testing.RefusedPort;
import io.bulwark.testing.TestBackend;
import io.bulwark.upstream.Server;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(LeakDetection.class)
class UpstreamFailureTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(2);
    TestBackend backend;
    Gateway gateway;
    RefusedPort refused;


    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (refused != null) {
            refused.close();
        }
    }

    private RawClient.Response get(Gateway g) throws Exception {
        try (RawClient c = new RawClient(g.address())) {
            return c.exchange("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
        }
    }

    private void assertFailure(RawClient.Response r, int status, String tag) {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.header("x-bulwark-error")).isEqualTo(tag);
        assertThat(r.text()).contains(tag);
    }

    @Test
    void refusedConnectionIs502() throws Exception {
        refused = new RefusedPort();
        gateway = Gateway.start(loops.group(), Gateway.Options.defaults(), List.of(refused.address()));
        long t0 = System.nanoTime();
        RawClient.Response r = get(gateway);
        assertFailure(r, 502, "connect_refused");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(gateway.upstream.servers().get(0).inFlight()).isZero();
        org.awaitility.Awaitility.await().until(() -> !gateway.log.isEmpty());
        AccessRecord logged = gateway.log.peek();
        assertThat(logged.status()).isEqualTo(502);
        assertThat(logged.error()).isEqualTo("connect_refused");
        assertThat(logged.upstreamStatus()).isZero();
        assertThat(logged.upstreamAddress()).isEqualTo("127.0.0.1:" + refused.port());
    }

    @Test
    void resetBeforeAResponseIs502() throws Exception {
        backend = TestBackend.start(TestBackend.Exchange::reset);
        gateway = Gateway.start(loops.group(), Gateway.Options.defaults(), List.of(backend.address()));
        long t0 = System.nanoTime();
        assertFailure(get(gateway), 502, "upstream_reset");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void closeWithoutAResponseIs502() throws Exception {
        backend = TestBackend.start(ex -> ex.raw(""));
        gateway = Gateway.start(loops.group(), Gateway.Options.defaults(), List.of(backend.address()));
        assertFailure(get(gateway), 502, "upstream_reset");
    }

    @Test
    void hungServerIs504AfterReadTimeout() throws Exception {
        backend = TestBackend.start(TestBackend.Exchange::hang);
        gateway = Gateway.start(loops.group(), Gateway.Options.defaults().readTimeout(Duration.ofMillis(300)),
                List.of(backend.address()));
        long t0 = System.nanoTime();
        RawClient.Response r = get(gateway);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertFailure(r, 504, "upstream_timeout");
        assertThat(took).isBetween(Duration.ofMillis(290), Duration.ofSeconds(1));
        System.out.println("504 after " + took.toMillis() + " ms (readTimeout 300 ms)");
        assertThat(gateway.upstream.servers().get(0).inFlight()).isZero();
    }

    @Test
    void serverStallingMidBodyClosesTheClientConnection() throws Exception {
        backend = TestBackend.start(ex -> {
            ex.out().write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial".getBytes());
            ex.out().flush();
            ex.hang();
        });
        gateway = Gateway.start(loops.group(), Gateway.Options.defaults().readTimeout(Duration.ofMillis(300)),
                List.of(backend.address()));
        try (RawClient c = new RawClient(gateway.address())) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readHead().status()).isEqualTo(200);
            long t0 = System.nanoTime();
            byte[] got = c.in().readAllBytes();
            assertThat(new String(got)).isEqualTo("partial");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        }
        // The log tells what the client got, not what the server promised.
        org.awaitility.Awaitility.await().until(() -> !gateway.log.isEmpty());
        AccessRecord logged = gateway.log.peek();
        assertThat(logged.status()).isEqualTo(200);
        assertThat(logged.bytesSent()).isEqualTo("partial".length());
        assertThat(logged.error()).isEqualTo("upstream_timeout");
    }

    @Test
    void serverResettingMidBodyClosesTheClientConnection() throws Exception {
        backend = TestBackend.start(ex -> {
            ex.out().write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial".getBytes());
            ex.out().flush();
            ex.reset();
        });
        gateway = Gateway.start(loops.group(), Gateway.Options.defaults(), List.of(backend.address()));
        try (RawClient c = new RawClient(gateway.address())) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readHead().status()).isEqualTo(200);
            // Whatever arrived before the reset, the client must see the connection end short of 100 bytes.
            assertThat(c.in().readAllBytes().length).isLessThan(100);
        }
        org.awaitility.Awaitility.await().until(() -> gateway.upstream.servers().get(0).inFlight() == 0);
    }

    @Test
    void noEligibleServerIs503Fast() throws Exception {
        backend = TestBackend.ok();
        gateway = Gateway.start(loops.group(), Gateway.Options.defaults(), List.of(backend.address()));
        for (Server s : gateway.upstream.servers()) {
            s.healthy(false);
        }
        try (RawClient c = new RawClient(gateway.address())) {
            c.exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n"); // warm up the path
            long t0 = System.nanoTime();
            RawClient.Response r = c.exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertFailure(r, 503, "no_server");
            assertThat(took).isLessThan(Duration.ofMillis(100));
            System.out.println("503 after " + took.toNanos() / 1000 + " us");
        }
        assertThat(backend.connections()).isZero();
    }
}
