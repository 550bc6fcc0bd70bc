package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.HttpHead;
import io.bulwark.testing.EventLoops;
import io.bulwark.testing.LeakDetection;
import io.bulwark.testing.RawClient;
import io.bulwark.testing.TestBackend;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(LeakDetection.class)
class UpgradeAndContinueTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(2);
    TestBackend backend;
    Gateway gateway;


    @AfterEach
    void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    /** Answers 101 and then echoes every byte until the client closes. */
    private static void upgradeAndEcho(TestBackend.Exchange ex) throws java.io.IOException {
        ex.rawKeepOpen("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
        ex.closeAfter();
        InputStream in = ex.rawIn();
        OutputStream out = ex.out();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            out.flush();
        }
    }

    @Test
    void upgradeRelaysBytesBothWaysAfter101() throws Exception {
        backend = TestBackend.start(UpgradeAndContinueTest::upgradeAndEcho);
        gateway = Gateway.start(loops.group(), Gateway.Options.defaults(), List.of(backend.address()));
        try (RawClient c = new RawClient(gateway.address())) {
            c.send("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            HttpHead head = c.readHead();
            assertThat(head.status()).isEqualTo(101);
            assertThat(head.get("upgrade")).isEqualTo("websocket");
            assertThat(head.get("connection")).isEqualToIgnoringCase("upgrade");
            for (String msg : List.of("hello", "GET / HTTP/1.1\r\n\r\n", "x".repeat(100_000))) {
                c.send(msg);
                byte[] echo = c.in().readNBytes(msg.length());
                assertThat(new String(echo, StandardCharsets.ISO_8859_1)).isEqualTo(msg);
            }
        }
        HttpHead seen = backend.requests().get(0);
        assertThat(seen.get("upgrade")).isEqualTo("websocket");
        assertThat(seen.get("connection")).isEqualToIgnoringCase("upgrade");
        assertThat(seen.get("sec-websocket-key")).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
        org.awaitility.Awaitility.await().until(() -> backend.openConnections() == 0);
    }

    @Test
    void idleTunnelIsClosedAfterIdleTimeout() throws Exception {
        backend = TestBackend.start(UpgradeAndContinueTest::upgradeAndEcho);
        gateway = Gateway.start(loops.group(), Gateway.Options.defaults().clientTimeouts(Duration.ofSeconds(5),
                Duration.ofMillis(300)), List.of(backend.address()));
        try (RawClient c = new RawClient(gateway.address())) {
            c.send("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
            assertThat(c.readHead().status()).isEqualTo(101);
            long t0 = System.nanoTime();
            assertThat(c.closedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(2));
        }
    }

    @Test
    void upgradeNotRequestedButAnsweredIs502() throws Exception {
        backend = TestBackend.start(UpgradeAndContinueTest::upgradeAndEcho);
        gateway = Gateway.start(loops.group(), Gateway.Options.defaults(), List.of(backend.address()));
        try (RawClient c = new RawClient(gateway.address())) {
            assertThat(c.exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(502);
        }
    }

    /** A server that answers 100 to an Expect it sees, then echoes the body; without one, it answers at once. */
    private void startContinuingServer() throws Exception {
        backend = TestBackend.start(ex -> {
            if (!"100-continue".equals(ex.request().get("expect"))) {
                ex.respond(200, "no expectation");
                return;
            }
            ex.rawKeepOpen("HTTP/1.1 100 Continue\r\n\r\n");
            ex.respond(200, "got " + ex.bodyText());
        });
        gateway = Gateway.start(loops.group(), Gateway.Options.defaults(), List.of(backend.address()));
    }

    @Test
    void expectContinueIsForwardedAndTheServers100Relayed() throws Exception {
        startContinuingServer();
        try (RawClient c = new RawClient(gateway.address())) {
            c.send("PUT /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            // The body goes only after the 100 arrived: the server asked for it.
            assertThat(c.readHead().status()).isEqualTo(100);
            c.send("hello");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("got hello");
            assertThat(c.exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void aChunkedBodySentAfterThe100ReachesTheServerInPieces() throws Exception {
        startContinuingServer();
        try (RawClient c = new RawClient(gateway.address())) {
            c.send("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.readHead().status()).isEqualTo(100);
            c.send("5\r\nhello\r\n");
            c.send("6\r\n world\r\n");
            c.send("0\r\n\r\n");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("got hello world");
            // The body's end was found: the next bytes are a request again.
            assertThat(c.exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void expectContinueRefusedByTheServerEndsWithoutTheBody() throws Exception {
        backend = TestBackend.start(ex -> {
            ex.rawKeepOpen("HTTP/1.1 417 Expectation Failed\r\nContent-Length: 2\r\n\r\nno");
            ex.closeAfter();
        });
        gateway = Gateway.start(loops.group(), Gateway.Options.defaults(), List.of(backend.address()));
        try (RawClient c = new RawClient(gateway.address())) {
            c.send("PUT /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(417);
            // The body was never sent, so the connection's framing is unknown: it must close.
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer()).isTrue();
        }
    }
}
