package io.bulwark.admin;

import io.bulwark.config.AdminConfig;
import io.bulwark.core.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The admin HTTP listener: health endpoints and the API. It runs on its own single event loop so a
 * flood on the data plane cannot starve the endpoints an orchestrator uses to decide whether this node is
 * alive.
 */
public final class AdminServer implements AutoCloseable {
    private static final int MAX_REQUEST = 64 * 1024;
    private final EventLoopGroup group;
    private final Channel channel;

    private AdminServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Binds the admin listener with health endpoints only (no upstreams, no token); throws when it cannot. */
    public static AdminServer start(AdminConfig config, HealthView health, Transport transport)
            throws InterruptedException {
        return start(config, health, ServerControl.NONE, VrrpControl.NONE, transport);
    }

    /**
     * Binds the admin listener: health endpoints and the API ({@link AdminApi}), which asks for the config's
     * token when it has one. Throws with the address in the message when it cannot bind.
     */
    public static AdminServer start(AdminConfig config, HealthView health, ServerControl servers, VrrpControl vrrp,
            Transport transport) throws InterruptedException {
        InetSocketAddress bind = config.bind().toSocketAddress();
        EventLoopGroup group = transport.newGroup(1, "bulwark-admin");
        AdminApi api = new AdminApi(servers, vrrp, config.token(), config.onLoopback());
        try {
            Channel ch = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST),
                                    new Handler(health, api));
                        }
                    })
                    .bind(bind)
                    .sync()
                    .channel();
            return new AdminServer(group, ch);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
            throw new IllegalStateException("admin: cannot bind " + bind + ": " + e.getMessage(), e);
        }
    }

    /** The bound address (the real port when 0 was asked for). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Answers /healthz (alive), /readyz (ready for traffic) and the API under /api/. */
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final HealthView health;
        private final AdminApi api;

        Handler(HealthView health, AdminApi api) {
            this.health = health;
            this.api = api;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (!req.decoderResult().isSuccess()) {
                send(ctx, req, text(HttpResponseStatus.BAD_REQUEST, "bad request\n"), false);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            String path;
            try {
                path = new QueryStringDecoder(req.uri()).path();
            } catch (IllegalArgumentException e) { // a malformed %-escape
                send(ctx, req, text(HttpResponseStatus.BAD_REQUEST, "bad request: " + e.getMessage() + "\n"), false);
                return;
            }
            if (path.startsWith(AdminApi.PREFIX)) {
                send(ctx, req, api.answer(req, caller(ctx)), keepAlive);
                return;
            }
            if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
                send(ctx, req, text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n"), keepAlive);
                return;
            }
            switch (path) {
                case "/healthz" -> send(ctx, req, text(HttpResponseStatus.OK, "ok\n"), keepAlive);
                case "/readyz" -> {
                    boolean ready = health.ready();
                    send(ctx, req, text(ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                            (ready ? "ready\n" : "not ready\n") + health.readinessReport()), keepAlive);
                }
                default -> send(ctx, req, text(HttpResponseStatus.NOT_FOUND, "not found\n"), keepAlive);
            }
        }

        /** Whatever else goes wrong with a request ends its connection rather than leaving it unanswered. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        /** The caller's address and port, for the log line of a change it makes. */
        private static String caller(ChannelHandlerContext ctx) {
            return ctx.channel().remoteAddress() instanceof InetSocketAddress a
                    ? a.getAddress().getHostAddress() + ":" + a.getPort()
                    : String.valueOf(ctx.channel().remoteAddress());
        }

        private static FullHttpResponse text(HttpResponseStatus status, String body) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            return res;
        }

        /** Sends {@code res}; a HEAD gets its headers and length without the body. */
        private static void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res, boolean keepAlive) {
            res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
            if (req.method() == HttpMethod.HEAD) {
                res.content().clear();
            }
            if (!keepAlive) {
                res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            var f = ctx.writeAndFlush(res);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
