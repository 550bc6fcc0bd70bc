package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The listener probe counts only its own connection as accepted: a gateway short of descriptors still
 * accepts connections queued before the probe, and that must not pass for serving.
 */
class AcceptWatchTest {
    @Test
    void onlyTheProbesOwnConnectionFromLoopbackMarksItAccepted() {
        ProxyServer.AcceptWatch watch = new ProxyServer.AcceptWatch();
        EmbeddedChannel listener = new EmbeddedChannel(watch);
        java.util.concurrent.CompletableFuture<Channel> probe = new java.util.concurrent.CompletableFuture<>();
        watch.awaiting.put(40_000, probe);

        listener.writeInbound(accepted("127.0.0.1", 40_001)); // queued before the probe
        listener.writeInbound(accepted("10.0.0.7", 40_000)); // another host, same port number
        assertThat(probe).isNotDone();

        listener.writeInbound(accepted("127.0.0.1", 40_000));
        assertThat(probe.getNow(null)).as("the listening socket that took it").isSameAs(listener);
        // Every accepted connection still goes on to be registered.
        assertThat(listener.inboundMessages()).hasSize(3);
        listener.finishAndReleaseAll();
    }

    private static Channel accepted(String from, int port) {
        InetSocketAddress remote = new InetSocketAddress(from, port);
        return new EmbeddedChannel() {
            @Override
            public SocketAddress remoteAddress() {
                return remote;
            }
        };
    }
}
