package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bulwark.core.Transport;
import io.bulwark.testing.LeakDetection;
import io.bulwark.testing.RawClient;
import io.bulwark.testing.TestBackend;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * WebSocket upgrades as real servers answer them (a 101 with Sec-WebSocket-Accept), over an upstream
 * connection that is new and over one reused from the pool, on every transport. Raw bytes in, raw bytes out.
 * One event loop each, so the pooled connection is the one the upgrade takes.
 */
@ExtendWith(LeakDetection.class)
class WebSocketTest {
    private static final String UPGRADE = "GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    private static final String SWITCHED = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    /** What the client gets: the server's 101 with Connection as this hop sets it and Via added. */
    private static final String SWITCHED_FOR_CLIENT = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nconnection: upgrade\r\nvia: 1.1 bulwark\r\n\r\n";
    /** A masked WebSocket text frame ("ping"): its first byte, 0x81, is one an HTTP decoder skips as a control character. */
    private static final byte[] FRAME = {(byte) 0x81, (byte) 0x84, 1, 2, 3, 4, 'p' ^ 1, 'i' ^ 2, 'n' ^ 3, 'g' ^ 4};

    private EventLoopGroup group;
    private TestBackend backend;
    private Gateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    static Stream<Arguments> transportsAndConnections() {
        List<Arguments> cases = new ArrayList<>();
        for (Transport t : Transport.values()) {
            cases.add(Arguments.of(t, false));
            cases.add(Arguments.of(t, true));
        }
        return cases.stream();
    }

    /**
     * Upgrades /ws with {@code greeting} sent right behind the 101, then echoes; answers anything else 200.
     * With {@code reused}, one plain request first leaves an idle upstream connection in the pool.
     */
    private void start(Transport transport, String greeting, boolean reused) throws Exception {
        assumeTrue(transport.available(), () -> transport + " is not available on this machine");
        group = transport.newGroup(1, "test-ws-" + transport);
        backend = TestBackend.start(ex -> {
            if (!ex.request().uri().equals("/ws")) {
                ex.respond(200, "plain " + ex.request().uri());
                return;
            }
            ex.rawKeepOpen(SWITCHED + greeting);
            ex.closeAfter();
            echo(ex.rawIn(), ex.out());
        });
        gateway = Gateway.start(group, Gateway.Options.defaults(), List.of(backend.address()));
        if (reused) {
            warmThePool();
        }
    }

    private static void echo(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            out.flush();
        }
    }

    /** One plain request on its own connection, which leaves an idle upstream connection in the pool. */
    private void warmThePool() throws IOException {
        try (RawClient warm = new RawClient(gateway.address())) {
            assertThat(warm.exchange("GET /warm HTTP/1.1\r\nHost: t\r\n\r\n").text()).isEqualTo("plain /warm");
        }
        assertThat(backend.connections()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}, reused upstream connection: {1}")
    @MethodSource("transportsAndConnections")
    void bytesFlowBothWaysAfterThe101(Transport transport, boolean reused) throws Exception {
        start(transport, "", reused);
        try (RawClient c = new RawClient(gateway.address())) {
            // The first frame goes right behind the request, as a client that does not wait for the 101 sends it.
            c.out().write((UPGRADE).getBytes(StandardCharsets.ISO_8859_1));
            c.out().write(FRAME);
            c.out().flush();
            assertThat(c.readRawHead()).isEqualTo(SWITCHED_FOR_CLIENT);
            assertThat(c.in().readNBytes(FRAME.length)).isEqualTo(FRAME);
            for (String msg : List.of("ping", "GET / HTTP/1.1\r\n\r\n", "x".repeat(100_000))) {
                c.send(msg);
                assertThat(new String(c.in().readNBytes(msg.length()), StandardCharsets.ISO_8859_1)).isEqualTo(msg);
            }
        }
        assertThat(backend.connections()).as("the upgrade took the pooled connection, or a new one").isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}, reused upstream connection: {1}")
    @MethodSource("transportsAndConnections")
    void theServersFirstBytesBehindThe101ReachTheClient(Transport transport, boolean reused) throws Exception {
        start(transport, "hello from the server", reused);
        try (RawClient c = new RawClient(gateway.address())) {
            c.send(UPGRADE);
            assertThat(c.readRawHead()).isEqualTo(SWITCHED_FOR_CLIENT);
            assertThat(new String(c.in().readNBytes(21), StandardCharsets.ISO_8859_1)).isEqualTo("hello from the server");
            c.send("ping");
            assertThat(new String(c.in().readNBytes(4), StandardCharsets.ISO_8859_1)).isEqualTo("ping");
        }
    }

    @ParameterizedTest(name = "{0}, reused upstream connection: {1}")
    @MethodSource("transportsAndConnections")
    void aDeclinedUpgradeLeavesTheConnectionSpeakingHttp(Transport transport, boolean reused) throws Exception {
        start(transport, "", reused);
        try (RawClient c = new RawClient(gateway.address())) {
            // The server does not switch: the request pipelined behind the upgrade is an HTTP request after all.
            c.send(UPGRADE.replace("/ws", "/no") + "GET /next HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.read().text()).isEqualTo("plain /no");
            assertThat(c.read().text()).isEqualTo("plain /next");
        }
    }
}
