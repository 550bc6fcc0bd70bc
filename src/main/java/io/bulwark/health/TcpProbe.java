package io.bulwark.health;

import io.bulwark.core.Transport;
import io.bulwark.upstream.Cause;
import io.bulwark.upstream.CauseKind;
import io.bulwark.upstream.Server;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.function.Consumer;

/** Up if the server accepts a TCP connection within the timeout; the connection is closed at once. */
final class TcpProbe implements Probe {
    private final EventLoop loop;
    private final Transport transport;
    private final int timeoutMillis;

    TcpProbe(EventLoop loop, Transport transport, Duration timeout) {
        this.loop = loop;
        this.transport = transport;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }

    @Override
    public void run(Server server, Consumer<Cause> done) {
        new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .handler(new ChannelHandlerAdapter() {})
                .connect(server.socketAddress())
                .addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        f.channel().close();
                        done.accept(Cause.of(CauseKind.L4_OK));
                    } else {
                        done.accept(Failures.connect(f.cause()));
                    }
                });
    }
}
