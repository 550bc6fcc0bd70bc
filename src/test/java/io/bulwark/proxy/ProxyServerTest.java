package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.config.Config;
import io.bulwark.core.Transport;
import io.bulwark.testing.EventLoops;
import io.bulwark.testing.LeakDetection;
import io.bulwark.testing.RawClient;
import io.bulwark.testing.TestBackend;
import io.bulwark.upstream.Upstream;
import io.netty.channel.EventLoopGroup;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(LeakDetection.class)
class ProxyServerTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(2);


    @Test
    void reportsTheBoundPortAndStopsAcceptingOnClose() throws Exception {
        try (TestBackend backend = TestBackend.ok()) {
            Gateway g = Gateway.start(loops.group(), Gateway.Options.defaults(), List.of(backend.address()));
            assertThat(g.address().getPort()).isPositive();
            assertThat(g.proxy.accepting("web")).isTrue();
            RawClient open = new RawClient(g.address());
            assertThat(open.exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
            g.close();
            assertThat(g.proxy.accepting("web")).isFalse();
            assertThat(open.closedByPeer()).isTrue();
            open.close();
            org.awaitility.Awaitility.await().until(() -> backend.openConnections() == 0);
        }
    }

    @Test
    void aListenerWhoseLoopIsStuckFailsTheConnectProbeThoughItsSocketIsOpen() throws Exception {
        EventLoopGroup one = Transport.best().newGroup(1, "probe-test");
        try (TestBackend backend = TestBackend.ok()) {
            Gateway g = Gateway.start(one, Gateway.Options.defaults(), List.of(backend.address()));
            assertThat(g.proxy.answersConnect("web", Duration.ofMillis(500))).isTrue();

            java.util.concurrent.CountDownLatch release = stall(one.next()); // the only loop, which also accepts
            long t0 = System.nanoTime();
            assertThat(g.proxy.accepting("web")).as("the socket is still open").isTrue();
            assertThat(g.proxy.answersConnect("web", Duration.ofMillis(300))).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            release.countDown();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2))
                    .until(() -> g.proxy.answersConnect("web", Duration.ofMillis(500)));

            g.close();
            assertThat(g.proxy.answersConnect("web", Duration.ofMillis(500))).as("closed").isFalse();
        } finally {
            one.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void withASocketPerLoopOneStuckLoopFailsEveryProbe() throws Exception {
        EventLoopGroup two = Transport.best().newGroup(2, "probe-test");
        Assumptions.assumeTrue(Transport.of(two).sharesPorts(),
                "one socket per loop needs a native transport (epoll or io_uring); this runs on NIO");
        java.util.concurrent.CountDownLatch release = null;
        try (TestBackend backend = TestBackend.ok()) {
            Gateway g = Gateway.start(two, Gateway.reusingPort(
                    Gateway.config(Gateway.Options.defaults(), List.of(backend.address()), 0), true));
            assertThat(g.proxy.answersConnect("web", Duration.ofMillis(500))).isTrue();

            release = stall(two.next()); // one of the two loops, and the socket it accepts on
            // One probe reached a random socket: half the calls passed. Each call now reaches both.
            for (int i = 0; i < 5; i++) {
                assertThat(g.proxy.answersConnect("web", Duration.ofMillis(200))).as("call %d", i).isFalse();
            }
            release.countDown();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3))
                    .until(() -> g.proxy.answersConnect("web", Duration.ofMillis(500)));
            g.close();
        } finally {
            if (release != null) {
                release.countDown();
            }
            two.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Stops {@code loop} turning (for at most 10 s) until the returned latch is counted down. */
    private static java.util.concurrent.CountDownLatch stall(io.netty.channel.EventLoop loop) throws InterruptedException {
        java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        loop.execute(() -> {
            stuck.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(stuck.await(2, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    @Test
    void bindFailureNamesTheListenerAndAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Config config = Gateway.config(Gateway.Options.defaults(), List.of(), taken.getLocalPort());
            Upstream up = new Upstream(config.upstreams().get("app"));
            assertThatThrownBy(() -> ProxyServer.start(config, Map.of("app", up), AccessLog.off(), loops.group()))
                    .hasMessageContaining("listener web")
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void withSeveralLoopsEachLoopListensOnTheAddressAndAllServe() throws Exception {
        Assumptions.assumeTrue(Transport.of(loops.group()).sharesPorts(),
                "one socket per loop needs a native transport (epoll or io_uring); this runs on NIO");
        try (TestBackend backend = TestBackend.ok();
                Gateway g = Gateway.start(loops.group(), Gateway.reusingPort(
                        Gateway.config(Gateway.Options.defaults(), List.of(backend.address()), 0), true))) {
            assertThat(listeningSockets(g.address().getPort())).as("a socket per loop").isEqualTo(2);
            for (int i = 0; i < 20; i++) {
                try (RawClient c = new RawClient(g.address())) {
                    assertThat(c.exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
                }
            }
            assertThat(g.proxy.answersConnect("web", Duration.ofMillis(500))).isTrue();
            g.close();
            assertThat(listeningSockets(g.address().getPort())).as("all closed").isZero();
        }
    }

    @Test
    void aListenerWithoutReusePortHasOneSocketForAllLoops() throws Exception {
        try (TestBackend backend = TestBackend.ok()) {
            Config shared = Gateway.reusingPort(
                    Gateway.config(Gateway.Options.defaults(), List.of(backend.address()), 0), false);
            Upstream up = new Upstream(shared.upstreams().get("app"));
            ProxyServer proxy = ProxyServer.start(shared, Map.of("app", up), AccessLog.off(), loops.group());
            try {
                int port = proxy.localAddress("web").getPort();
                assertThat(listeningSockets(port)).isEqualTo(1);
                for (int i = 0; i < 4; i++) {
                    try (RawClient c = new RawClient(new java.net.InetSocketAddress("127.0.0.1", port))) {
                        assertThat(c.exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
                    }
                }
            } finally {
                proxy.close();
            }
        }
    }

    @Test
    void aSecondGatewayOnTheSameAddressIsRefusedRatherThanSharingIt() throws Exception {
        // Sockets that share a port with SO_REUSEPORT would also share it with another gateway of the same
        // user; the second one must fail as it would without SO_REUSEPORT, and the first keep serving.
        try (TestBackend backend = TestBackend.ok();
                Gateway first = Gateway.start(loops.group(), Gateway.reusingPort(
                        Gateway.config(Gateway.Options.defaults(), List.of(backend.address()), 0), true))) {
            int port = first.address().getPort();
            Config again = Gateway.reusingPort(
                    Gateway.config(Gateway.Options.defaults(), List.of(backend.address()), port), true);
            Upstream up = new Upstream(again.upstreams().get("app"));
            assertThatThrownBy(() -> ProxyServer.start(again, Map.of("app", up), AccessLog.off(), loops.group()))
                    .hasMessageContaining("listener web")
                    .hasMessageContaining("cannot bind 127.0.0.1:" + port);
            assertThat(listeningSockets(port)).isEqualTo(Transport.of(loops.group()).sharesPorts() ? 2 : 1);
            try (RawClient c = new RawClient(first.address())) {
                assertThat(c.exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
            }
        }
    }

    @Test
    void aClientThatSendsNothingStaysWithTheKernelUntilItDoesUnlessDeferAcceptIsOff() throws Exception {
        Assumptions.assumeTrue(Transport.of(loops.group()).deferAccept() != null,
                "TCP_DEFER_ACCEPT needs a native transport (epoll or io_uring); this runs on NIO");
        for (boolean defer : new boolean[] {true, false}) {
            try (TestBackend backend = TestBackend.ok();
                    Gateway g = Gateway.start(loops.group(), Gateway.deferringAccept(
                            Gateway.config(Gateway.Options.defaults(), List.of(backend.address()), 0), defer));
                    java.net.Socket s = new java.net.Socket()) {
                s.connect(g.address(), 2000);
                int port = g.address().getPort();
                if (defer) {
                    // Well inside the one-second deferral: the kernel still holds the handshake's last ACK.
                    Thread.sleep(300);
                    assertThat(serverSideState(port, s.getLocalPort())).as("deferred").isEqualTo("03");
                } else {
                    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(1))
                            .until(() -> serverSideState(port, s.getLocalPort()).equals("01"));
                }
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                byte[] head = new byte[12];
                s.setSoTimeout(2000);
                new java.io.DataInputStream(s.getInputStream()).readFully(head);
                assertThat(new String(head, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
                assertThat(serverSideState(port, s.getLocalPort())).isEqualTo("01");
                // The listener probe sends a byte, so it is accepted at once either way.
                assertThat(g.proxy.answersConnect("web", Duration.ofMillis(500))).isTrue();
            }
        }
    }

    /** The TCP state (kernel hex code) of the gateway's end of the connection from {@code clientPort}. */
    private static String serverSideState(int port, int clientPort) throws Exception {
        String local = String.format(":%04X", port);
        String remote = String.format(":%04X", clientPort);
        return tcpSockets().stream()
                .filter(f -> f[1].endsWith(local) && f[2].endsWith(remote))
                .map(f -> f[3])
                .findFirst()
                .orElse("none");
    }

    /** Listening TCP sockets on {@code port}, from the kernel's table. */
    private static long listeningSockets(int port) throws Exception {
        String local = String.format(":%04X", port);
        return tcpSockets().stream().filter(f -> f[1].endsWith(local) && f[3].equals("0A")).count();
    }

    /**
     * The kernel's TCP sockets, each row split into its fields (local address, remote address, state from
     * index 1); IPv4 and IPv6 both, as native sockets are dual-stack and list IPv4 connections in tcp6.
     */
    private static List<String[]> tcpSockets() throws Exception {
        List<String[]> rows = new java.util.ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && !f[0].equals("sl")) {
                    rows.add(f);
                }
            }
        }
        return rows;
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (TestBackend backend = TestBackend.ok();
                Gateway g = Gateway.start(loops.group(), Gateway.Options.defaults(), List.of(backend.address()));
                RawClient c = new RawClient(g.address())) {
            c.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx"
                    + "GET /3 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().text()).isEqualTo("GET /1");
            assertThat(c.read().text()).isEqualTo("POST /2");
            assertThat(c.read().text()).isEqualTo("GET /3");
        }
    }

    @Test
    void socketsHaveNoDelayWithoutAskingForIt() throws Exception {
        // ProxyServer and LoopState rely on Netty's default rather than set TCP_NODELAY (a setsockopt per
        // connection); accepted and connecting channels share this config class.
        io.netty.channel.Channel ch = io.bulwark.core.Transport.best().socketChannel()
                .getDeclaredConstructor().newInstance();
        try {
            assertThat(ch.config().getOption(io.netty.channel.ChannelOption.TCP_NODELAY)).isTrue();
        } finally {
            ch.unsafe().closeForcibly();
        }
    }
}
