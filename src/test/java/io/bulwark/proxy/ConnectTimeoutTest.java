package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.core.Transport;
import io.bulwark.testing.LeakDetection;
import io.bulwark.testing.RawClient;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class ConnectTimeoutTest {
    @Test
    void connectNotAnsweredWithinConnectTimeoutIs504() throws Exception {
        EventLoopGroup group = Transport.best().newGroup(1, "test-proxy");
        List<Socket> fillers = new ArrayList<>();
        // A listener that never accepts, with its accept queue filled: Linux then drops further SYNs, so a
        // connect neither succeeds nor is refused.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            boolean blocked = false;
            for (int i = 0; i < 8 && !blocked; i++) {
                Socket s = new Socket();
                fillers.add(s);
                try {
                    s.connect(full.getLocalSocketAddress(), 200);
                } catch (java.net.SocketTimeoutException e) {
                    blocked = true;
                }
            }
            Assumptions.assumeTrue(blocked, "this kernel does not drop SYNs to a full accept queue");
            InetSocketAddress target = (InetSocketAddress) full.getLocalSocketAddress();
            try (Gateway g = Gateway.start(group, Gateway.Options.defaults().connectTimeout(Duration.ofMillis(300)),
                    List.of(target)); RawClient c = new RawClient(g.address())) {
                long t0 = System.nanoTime();
                RawClient.Response r = c.exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(r.status()).isEqualTo(504);
                assertThat(r.header("x-bulwark-error")).isEqualTo("connect_timeout");
                assertThat(took).isBetween(Duration.ofMillis(290), Duration.ofSeconds(1));
                System.out.println("connect timeout 504 after " + took.toMillis() + " ms");
            }
        } finally {
            for (Socket s : fillers) {
                s.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
