package io.bulwark.health;

import io.bulwark.config.HealthCheckConfig;
import io.bulwark.core.Transport;
import io.bulwark.upstream.Cause;
import io.bulwark.upstream.Server;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An HTTP/1.1 request with {@code Connection: close} on the server's event loop; the status, and optionally
 * a substring of the first {@value HttpCheckHandler#BODY_CAP} body bytes, decide. The timeout bounds the
 * connect and the whole exchange; which of the two ran out tells L4 from L7 timeout.
 */
final class HttpProbe implements Probe {
    private final EventLoop loop;
    private final Transport transport;
    private final HealthCheckConfig config;
    private final long timeoutNanos;

    HttpProbe(EventLoop loop, Transport transport, HealthCheckConfig config) {
        this.loop = loop;
        this.transport = transport;
        this.config = config;
        this.timeoutNanos = config.timeout().toNanos();
    }

    @Override
    public void run(Server server, Consumer<Cause> done) {
        HttpCheckHandler handler = new HttpCheckHandler(config.expectStatus(), config.expectBody().orElse(null), done);
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis(config.timeout()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), handler);
                    }
                });
        var connect = b.connect(server.socketAddress());
        ScheduledFuture<?> deadline = loop.schedule(() -> {
            handler.timedOut();
            connect.channel().close();
        }, timeoutNanos, TimeUnit.NANOSECONDS);
        connect.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                deadline.cancel(false);
                handler.finish(Failures.connect(f.cause()));
                return;
            }
            f.channel().closeFuture().addListener(c -> deadline.cancel(false));
            f.channel().writeAndFlush(request(server)).addListener((ChannelFutureListener) w -> {
                if (!w.isSuccess()) {
                    handler.finish(Failures.connect(w.cause()));
                    w.channel().close();
                }
            });
        });
    }

    private FullHttpRequest request(Server server) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(config.method()),
                config.path());
        req.headers()
                .set(HttpHeaderNames.HOST, config.host().orElse(server.address().toString()))
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.USER_AGENT, "bulwark-health")
                .set(HttpHeaderNames.ACCEPT, "*/*");
        return req;
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }
}
