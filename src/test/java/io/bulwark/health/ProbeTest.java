package io.bulwark.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bulwark.config.CheckType;
import io.bulwark.config.HealthCheckConfig;
import io.bulwark.config.HostPort;
import io.bulwark.config.Recovery;
import io.bulwark.config.ServerConfig;
import io.bulwark.config.StatusRanges;
import io.bulwark.core.Clock;
import io.bulwark.core.EventBus;
import io.bulwark.core.Transport;
import io.bulwark.testing.RefusedPort;
import io.bulwark.upstream.Cause;
import io.bulwark.upstream.CauseKind;
import io.bulwark.upstream.Health;
import io.bulwark.upstream.Server;
import io.bulwark.upstream.Upstream;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP and TCP probes against real loopback sockets on port 0, asserting the layered cause. */
class ProbeTest {
    private static final Transport TRANSPORT = Transport.best();
    private static EventLoopGroup group;
    private static HttpServer http;
    private static final CountDownLatch release = new CountDownLatch(1);

    @BeforeAll
    static void start() throws IOException {
        group = TRANSPORT.newGroup(1, "probe-test");
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/ok", ex -> answer(ex, 200, "status: ok"));
        http.createContext("/unavailable", ex -> answer(ex, 503, "maintenance"));
        http.createContext("/wrong", ex -> answer(ex, 200, "status: degraded"));
        http.createContext("/host", ex -> answer(ex, 200, ex.getRequestHeaders().getFirst("Host")));
        http.createContext("/hang", ex -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(ex, 200, "late");
        });
        http.start();
    }

    @AfterAll
    static void stop() {
        release.countDown();
        http.stop(0);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Server server(int port) {
        return new Server("app", 0, new ServerConfig(new HostPort("127.0.0.1", port), 1, false));
    }

    private static HealthCheckConfig httpCheck(String path, String expectBody, Duration timeout) {
        return new HealthCheckConfig(CheckType.HTTP, path, "GET", Optional.empty(), StatusRanges.DEFAULT,
                Optional.ofNullable(expectBody), List.of(), Duration.ofSeconds(2), timeout, 1, 1,
                Duration.ofMillis(50), Duration.ofMillis(50), 0);
    }

    private static Cause probe(Probe probe, int port) throws Exception {
        CompletableFuture<Cause> result = new CompletableFuture<>();
        probe.run(server(port), result::complete);
        return result.get(10, TimeUnit.SECONDS);
    }

    private static Cause http(String path, String expectBody) throws Exception {
        return probe(new HttpProbe(group.next(), TRANSPORT, httpCheck(path, expectBody, Duration.ofSeconds(2))),
                http.getAddress().getPort());
    }

    private static Cause probeRefused(Probe probe) throws Exception {
        try (RefusedPort refused = new RefusedPort()) {
            return probe(probe, refused.port());
        }
    }

    @Test
    void httpPassesOnAnExpectedStatus() throws Exception {
        assertThat(http("/ok", null)).isEqualTo(Cause.status(CauseKind.L7_OK, 200));
    }

    @Test
    void httpFailsOnABadStatusWithTheCode() throws Exception {
        assertThat(http("/unavailable", null).describe()).isEqualTo("L7 bad status 503");
    }

    @Test
    void httpChecksTheBodyWhenAskedTo() throws Exception {
        assertThat(http("/ok", "ok")).isEqualTo(Cause.status(CauseKind.L7_OK, 200));
        assertThat(http("/wrong", "ok").kind()).isEqualTo(CauseKind.L7_BODY_MISMATCH);
    }

    @Test
    void httpSendsTheServerAddressAsHostByDefault() throws Exception {
        int port = http.getAddress().getPort();
        assertThat(http("/host", "127.0.0.1:" + port).kind()).isEqualTo(CauseKind.L7_OK);
    }

    @Test
    void httpTimesOutAtLayerSevenWhenConnectedButSilent() throws Exception {
        HttpProbe probe = new HttpProbe(group.next(), TRANSPORT, httpCheck("/hang", null, Duration.ofMillis(300)));
        assertThat(probe(probe, http.getAddress().getPort())).isEqualTo(Cause.of(CauseKind.L7_TIMEOUT));
    }

    @Test
    void httpOnARefusedPortIsLayerFourRefused() throws Exception {
        HttpProbe probe = new HttpProbe(group.next(), TRANSPORT, httpCheck("/", null, Duration.ofSeconds(1)));
        assertThat(probeRefused(probe)).isEqualTo(Cause.of(CauseKind.L4_REFUSED));
    }

    @Test
    void httpGarbageIsAMalformedResponse() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = raw.accept()) {
                    s.getOutputStream().write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().read(new byte[1024]);
                } catch (IOException ignored) {
                    // the probe closes first
                }
            });
            HttpProbe probe = new HttpProbe(group.next(), TRANSPORT, httpCheck("/", null, Duration.ofSeconds(2)));
            assertThat(probe(probe, raw.getLocalPort()).kind()).isEqualTo(CauseKind.L7_MALFORMED);
        }
    }

    @Test
    void tcpPassesWhenTheServerAccepts() throws Exception {
        TcpProbe probe = new TcpProbe(group.next(), TRANSPORT, Duration.ofSeconds(1));
        assertThat(probe(probe, http.getAddress().getPort())).isEqualTo(Cause.of(CauseKind.L4_OK));
    }

    @Test
    void tcpOnARefusedPortIsLayerFourRefused() throws Exception {
        TcpProbe probe = new TcpProbe(group.next(), TRANSPORT, Duration.ofSeconds(1));
        assertThat(probeRefused(probe)).isEqualTo(Cause.of(CauseKind.L4_REFUSED));
    }

    @Test
    void checkerTakesAServerDownOnItsEventLoopAndSaysWhy() {
        var config = new io.bulwark.config.UpstreamConfig("app", io.bulwark.config.Balance.ROUND_ROBIN,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ofSeconds(1),
                List.of(new ServerConfig(new HostPort("127.0.0.1", http.getAddress().getPort()), 1, false)),
                Optional.of(new HealthCheckConfig(CheckType.HTTP, "/unavailable", "GET", Optional.empty(),
                        StatusRanges.DEFAULT, Optional.empty(), List.of(), Duration.ofMillis(100),
                        Duration.ofMillis(100), 2, 2, Duration.ofMillis(20), Duration.ofMillis(100), 10)),
                Optional.empty(), Duration.ZERO, Recovery.AUTO, io.bulwark.config.RetryConfig.DEFAULT, 0);
        Upstream up = new Upstream(config, Clock.system(), new EventBus());
        try (HealthChecker checker = HealthChecker.start(up, group, TRANSPORT)) {
            Server s = up.servers().getFirst();
            await().atMost(Duration.ofSeconds(5)).until(() -> s.health() == Health.DOWN);
            assertThat(s.lastCause().describe()).isEqualTo("L7 bad status 503");
        }
    }
}
