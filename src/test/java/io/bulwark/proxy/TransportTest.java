package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bulwark.config.Config;
import io.bulwark.core.Transport;
import io.bulwark.testing.LeakDetection;
import io.bulwark.testing.RawClient;
import io.bulwark.testing.TestBackend;
import io.bulwark.upstream.Upstream;
import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The data plane on each socket layer, whichever one the rest of the suite runs on: keep-alive requests
 * with and without bodies, a response large enough to need several writes, and a connection closed after its
 * request. A transport this machine lacks is skipped, saying why.
 */
@ExtendWith(LeakDetection.class)
class TransportTest {
    @ParameterizedTest
    @EnumSource(Transport.class)
    void proxiesOnEveryTransport(Transport transport) throws Exception {
        assumeTrue(transport.available(), () -> transport + " is not available on this machine");
        EventLoopGroup group = transport.newGroup(2, "test-" + transport);
        try (TestBackend backend = TestBackend.start(ex -> {
                    if (ex.request().uri().equals("/big")) {
                        ex.stream(300_000, 7);
                    } else {
                        ex.respond(200, ex.request().method() + " " + ex.request().uri() + " " + ex.bodyText());
                    }
                });
                ProxyServer proxy = start(group, backend)) {
            assertThat(Transport.of(group)).isEqualTo(transport);
            try (RawClient c = new RawClient(proxy.localAddress("web"))) {
                for (int i = 0; i < 20; i++) {
                    RawClient.Response r = c.exchange("GET /a" + i + " HTTP/1.1\r\nHost: t\r\n\r\n");
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.text()).isEqualTo("GET /a" + i + " ");
                }
                RawClient.Response post = c.exchange("POST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
                assertThat(post.text()).isEqualTo("POST /p hello");
                RawClient.Response big = c.exchange("GET /big HTTP/1.1\r\nHost: t\r\n\r\n");
                assertThat(big.body()).hasSize(300_000);
            }
            try (RawClient c = new RawClient(proxy.localAddress("web"))) {
                RawClient.Response r = c.exchange("GET /last HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
                assertThat(r.text()).isEqualTo("GET /last ");
                assertThat(c.closedByPeer()).isTrue();
            }
            assertThat(backend.connections()).as("upstream connections kept alive").isLessThanOrEqualTo(2);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static ProxyServer start(EventLoopGroup group, TestBackend backend) throws Exception {
        Config config = Gateway.config(Gateway.Options.defaults(), List.of(backend.address()), 0);
        return ProxyServer.start(config, Map.of("app", new Upstream(config.upstreams().get("app"))), AccessLog.off(), group);
    }
}
