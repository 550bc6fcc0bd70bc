package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bulwark.core.Transport;
import io.bulwark.testing.LeakDetection;
import io.bulwark.testing.RawClient;
import io.bulwark.testing.TestBackend;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class KeepAlivePoolTest {
    static final int LOOPS = 2;
    static EventLoopGroup group;
    TestBackend a;
    TestBackend b;
    Gateway gateway;

    @BeforeAll
    static void loops() {
        group = Transport.best().newGroup(LOOPS, "test-proxy");
    }

    @AfterAll
    static void stopLoops() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        a.close();
        if (b != null) {
            b.close();
        }
    }

    @Test
    void thousandSequentialRequestsReuseOneConnectionPerServerAndLoop() throws Exception {
        a = TestBackend.ok();
        b = TestBackend.ok();
        gateway = Gateway.start(group, Gateway.Options.defaults(), List.of(a.address(), b.address()));
        // Two clients so that both event loops take part.
        try (RawClient c1 = new RawClient(gateway.address()); RawClient c2 = new RawClient(gateway.address())) {
            for (int i = 0; i < 500; i++) {
                assertThat(c1.exchange("GET /" + i + " HTTP/1.1\r\nHost: h\r\n\r\n").text()).isEqualTo("GET /" + i);
                assertThat(c2.exchange("POST /" + i + " HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi").status())
                        .isEqualTo(200);
            }
        }
        assertThat(a.requests().size() + b.requests().size()).isEqualTo(1000);
        assertThat(a.connections() + b.connections()).isLessThanOrEqualTo(2 * LOOPS);
        System.out.println("1000 requests, upstream connections: " + (a.connections() + b.connections()));
    }

    @Test
    void pooledConnectionClosedByTheServerIsDiscarded() throws Exception {
        // Answers with a length (so the gateway pools the connection), then closes it.
        a = TestBackend.start(ex -> {
            ex.respond(200, "once");
            ex.closeAfter();
        });
        gateway = Gateway.start(group, Gateway.Options.defaults(), List.of(a.address()));
        try (RawClient c = new RawClient(gateway.address())) {
            for (int i = 0; i < 5; i++) {
                assertThat(c.exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n").text()).isEqualTo("once");
                await().until(() -> a.openConnections() == 0);
            }
        }
        assertThat(a.connections()).isEqualTo(5);
    }

    @Test
    void idlePooledConnectionsAreClosedAfterKeepaliveTimeout() throws Exception {
        a = TestBackend.ok();
        gateway = Gateway.start(group, Gateway.Options.defaults().keepalive(4, Duration.ofMillis(200)),
                List.of(a.address()));
        try (RawClient c = new RawClient(gateway.address())) {
            c.exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(a.openConnections()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(2)).until(() -> a.openConnections() == 0);
            assertThat(c.exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(200);
        }
        assertThat(a.connections()).isEqualTo(2);
    }

    @Test
    void keepaliveZeroClosesEachUpstreamConnection() throws Exception {
        a = TestBackend.ok();
        gateway = Gateway.start(group, Gateway.Options.defaults().keepalive(0, Duration.ofSeconds(1)),
                List.of(a.address()));
        try (RawClient c = new RawClient(gateway.address())) {
            for (int i = 0; i < 3; i++) {
                assertThat(c.exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(200);
            }
        }
        assertThat(a.connections()).isEqualTo(3);
    }

    @Test
    void aBurstKeepsTwiceTheCapPooledUntilASweepFindsTheSurplusIdle() throws Exception {
        int clients = 8; // four on each of the two loops
        CountDownLatch together = new CountDownLatch(clients);
        a = TestBackend.start(ex -> {
            together.countDown();
            try {
                together.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new java.io.IOException(e);
            }
            ex.respond(200, "ok");
        });
        gateway = Gateway.start(group, Gateway.Options.defaults().keepalive(1, Duration.ofSeconds(60)),
                List.of(a.address()));
        List<RawClient> cs = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(clients);
        try {
            for (int i = 0; i < clients; i++) {
                cs.add(new RawClient(gateway.address()));
            }
            // All eight wait at the backend together, so eight upstream connections are open at once.
            List<Future<Integer>> statuses = new ArrayList<>();
            for (RawClient c : cs) {
                statuses.add(senders.submit(() -> c.exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status()));
            }
            for (Future<Integer> f : statuses) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(200);
            }
            assertThat(a.connections()).isEqualTo(clients);
            // Each loop keeps two: its cap of one, and as many again until a sweep finds them idle (1 s here).
            await().atMost(Duration.ofSeconds(1)).until(() -> a.openConnections() == 4);
            await().atMost(Duration.ofSeconds(3)).until(() -> a.openConnections() == 2);
            // What stays is reused.
            assertThat(cs.get(0).exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(200);
            assertThat(a.connections()).isEqualTo(clients);
        } finally {
            senders.shutdownNow();
            for (RawClient c : cs) {
                c.close();
            }
        }
    }
}
