package io.bulwark.proxy;

import io.bulwark.config.UpstreamConfig;
import io.bulwark.core.Clock;
import io.bulwark.core.Transport;
import io.bulwark.lb.LoadBalancer;
import io.bulwark.upstream.Server;
import io.bulwark.upstream.Upstream;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.flow.FlowControlHandler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Everything one event loop keeps for itself: a balancer per upstream (balancers are not thread-safe), the
 * pool of idle upstream connections, a bootstrap per upstream that connects on this loop, and scratch space
 * for parsing heads.
 */
final class LoopState {
    static final String DECODER = "decoder";
    static final String ENCODER = "encoder";
    static final String FLOW = "flow";
    static final String HANDLER = "handler";

    private final EventLoop loop;
    private final Upstream[] upstreams;
    private final LoadBalancer[] balancers;
    private final Bootstrap[] bootstraps;
    private final ConnectionPool pool;
    private final ScheduledFuture<?> sweeper;
    // TCP_CORK on this transport, or null (see corkForClose).
    private final ChannelOption<Boolean> cork;
    // Scratch space for the raw head parsers: a parse runs to completion on this loop and copies out what it
    // keeps, so every connection of the loop can share one.
    private final HeadLines headLines = new HeadLines();
    private final HttpDate date = new HttpDate(Clock.system());

    LoopState(EventLoop loop, Upstream[] upstreams, Transport transport, ChannelGroup all) {
        this.loop = loop;
        this.cork = transport.cork();
        Class<? extends SocketChannel> channelType = transport.socketChannel();
        this.upstreams = upstreams;
        this.balancers = new LoadBalancer[upstreams.length];
        this.bootstraps = new Bootstrap[upstreams.length];
        int[] servers = new int[upstreams.length];
        int[] maxIdle = new int[upstreams.length];
        long[] keepaliveNanos = new long[upstreams.length];
        long sweepNanos = TimeUnit.SECONDS.toNanos(1);
        for (int i = 0; i < upstreams.length; i++) {
            UpstreamConfig config = upstreams[i].config();
            balancers[i] = LoadBalancer.create(config.balance(), upstreams[i].servers(), config.panicThresholdPercent());
            servers[i] = upstreams[i].servers().size();
            maxIdle[i] = config.keepalive();
            keepaliveNanos[i] = config.keepaliveTimeout().toNanos();
            sweepNanos = Math.min(sweepNanos, Math.max(keepaliveNanos[i] / 4, TimeUnit.MILLISECONDS.toNanos(10)));
            bootstraps[i] = new Bootstrap()
                    .group(loop)
                    .channel(channelType)
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new UpstreamReads())
                    // TCP_NODELAY is on by default in Netty's socket configs (see ProxyServer).
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, config.connectTimeout().toMillis()))
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            all.add(ch);
                        }
                    });
        }
        this.pool = new ConnectionPool(servers, maxIdle, keepaliveNanos, sweepNanos);
        this.sweeper = loop.scheduleAtFixedRate(
                () -> pool.expire(System.nanoTime()), sweepNanos, sweepNanos, TimeUnit.NANOSECONDS);
    }

    EventLoop loop() {
        return loop;
    }

    Upstream upstream(int index) {
        return upstreams[index];
    }

    LoadBalancer balancer(int upstreamIndex) {
        return balancers[upstreamIndex];
    }

    /** The Date this loop's responses carry when their server sent none. */
    HttpDate date() {
        return date;
    }

    /** The head parsers' scratch space, shared by this loop's connections. */
    HeadLines headLines() {
        return headLines;
    }

    ConnectionPool pool() {
        return pool;
    }

    /**
     * Starts a connection to the server on this loop; the returned future's channel carries an
     * {@link UpstreamConnection} (reachable through {@link #connection(Channel)}) once connected.
     */
    ChannelFuture connect(int upstreamIndex, Server server) {
        ChannelFuture f = bootstraps[upstreamIndex].connect(server.socketAddress());
        Channel ch = f.channel();
        // Added after connect() returned, which is safe: with auto-read off nothing is read until the
        // exchange asks, and the exchange only uses the channel once the connect listener ran.
        StrictResponseDecoder decoder = new StrictResponseDecoder(new HttpDecoderConfig().setMaxChunkSize(64 * 1024)
                        .setAllowDuplicateContentLengths(true),
                headLines);
        ch.pipeline()
                .addLast(DECODER, decoder)
                .addLast(ENCODER, new UpstreamRequestEncoder())
                .addLast(FLOW, new FlowControlHandler())
                .addLast(HANDLER, new UpstreamConnection(server, upstreamIndex, this, decoder));
        return f;
    }

    /**
     * Readies a connection whose next write is its last: with the socket corked, the end of that write waits
     * for the close and leaves with the FIN in one segment instead of two, which spares a packet each way
     * (about 14 % of the CPU per request with a new connection per request, bench/RESULTS.md). Without
     * TCP_CORK (NIO), or on a socket already gone, the write and the FIN just leave apart.
     */
    void corkForClose(Channel ch) {
        if (cork != null && ch.isActive()) {
            try {
                ch.config().setOption(cork, true);
            } catch (ChannelException e) {
                // The socket closed under us: there is nothing left to hold back.
            }
        }
    }

    static UpstreamConnection connection(Channel ch) {
        return (UpstreamConnection) ch.pipeline().get(HANDLER);
    }

    /** Closes the pooled connections; runs on this loop. */
    void close() {
        sweeper.cancel(false);
        pool.closeAll();
    }
}
