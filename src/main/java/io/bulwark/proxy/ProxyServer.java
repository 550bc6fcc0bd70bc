package io.bulwark.proxy;

import io.bulwark.config.Config;
import io.bulwark.config.ListenerConfig;
import io.bulwark.core.Transport;
import io.bulwark.upstream.OutcomeListener;
import io.bulwark.upstream.Upstream;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The data plane: every listener of a config bound on the given event loops, proxying to the upstreams. */
public final class ProxyServer implements AutoCloseable {
    private static final int MAX_CHUNK = 64 * 1024;

    private final Map<String, Channel> listeners;
    private final Map<String, AcceptCounter> accepted = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<EventExecutor, LoopState> loops;
    private final ChannelGroup connections;
    private final Retries retries;

    private ProxyServer(Map<String, Channel> listeners, Map<EventExecutor, LoopState> loops, ChannelGroup connections,
            Retries retries) {
        this.listeners = listeners;
        this.loops = loops;
        this.connections = connections;
        this.retries = retries;
    }

    /**
     * Binds every listener of config on the given event loops; returns once all are bound. Throws on bind
     * failure (address in use etc.) with a clear message. The listeners and upstream connections use {@code workers}' transport.
     */
    public static ProxyServer start(
            Config config, Map<String, Upstream> upstreams, AccessLog accessLog, EventLoopGroup workers)
            throws Exception {
        return start(config, upstreams, accessLog, workers, Map.of());
    }

    /**
     * Like {@link #start(Config, Map, AccessLog, EventLoopGroup)}, reporting every attempt's outcome to the
     * listener of its upstream (by name; an upstream without one reports to {@link OutcomeListener#NONE}).
     */
    public static ProxyServer start(Config config, Map<String, Upstream> upstreams, AccessLog accessLog,
            EventLoopGroup workers, Map<String, OutcomeListener> outcomes) throws Exception {
        Transport transport = Transport.of(workers);
        Upstream[] table = upstreams.values().toArray(Upstream[]::new);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < table.length; i++) {
            index.put(table[i].name(), i);
        }
        Router router = new Router(config.routes(), index);
        ChannelGroup connections = new DefaultChannelGroup("bulwark-proxy", GlobalEventExecutor.INSTANCE);
        // One state per loop, built up front so the request path never looks anything up under a lock.
        Map<EventExecutor, LoopState> loops = new IdentityHashMap<>();
        for (EventExecutor e : workers) {
            loops.put(e, new LoopState((EventLoop) e, table, transport.socketChannel(), connections));
        }
        Map<String, Channel> bound = new LinkedHashMap<>();
        Retries retries = Retries.build(config, table, outcomes, workers);
        ProxyServer server = new ProxyServer(bound, Map.copyOf(loops), connections, retries);
        try {
            for (ListenerConfig listener : config.listeners()) {
                ServerBootstrap b = new ServerBootstrap()
                        .group(workers)
                        .channel(transport.serverChannel())
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .handler(server.accepted.computeIfAbsent(listener.name(), n -> new AcceptCounter()))
                        .childOption(ChannelOption.AUTO_READ, false)
                        // No TCP_NODELAY option: Netty's socket configs already enable it on Linux, and
                        // setting it again costs a setsockopt per accepted connection (ProxyServerTest
                        // checks it is on).
                        .childHandler(server.initializer(listener, router, accessLog));
                ChannelFuture f = b.bind(listener.bind().toSocketAddress()).awaitUninterruptibly();
                if (!f.isSuccess()) {
                    throw new IOException("listener " + listener.name() + ": cannot bind " + listener.bind() + ": "
                            + f.cause().getMessage(), f.cause());
                }
                bound.put(listener.name(), f.channel());
                connections.add(f.channel());
            }
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    private ChannelInitializer<SocketChannel> initializer(ListenerConfig listener, Router router, AccessLog log) {
        long headNanos = listener.headerTimeout().toNanos();
        long idleNanos = listener.idleTimeout().toNanos();
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                connections.add(ch);
                LoopState loop = loops.get(ch.eventLoop());
                StrictRequestDecoder decoder = new StrictRequestDecoder(new HttpDecoderConfig()
                        .setMaxInitialLineLength(listener.maxRequestLine())
                        .setMaxHeaderSize(listener.maxHeaderSize())
                        .setMaxChunkSize(MAX_CHUNK), loop.headLines());
                ch.pipeline()
                        .addLast(LoopState.DECODER, decoder)
                        .addLast(LoopState.ENCODER, new HttpResponseEncoder())
                        .addLast(LoopState.FLOW, new FlowControlHandler())
                        .addLast(LoopState.HANDLER, new DownstreamHandler(
                                loop, retries, router, log, decoder, headNanos, idleNanos));
            }
        };
    }

    /**
     * Whether the named listener takes a new connection within {@code timeout}: connects to it over loopback
     * and waits for its event loop to accept the connection. A listener whose loop is stuck, or that cannot
     * accept (out of file descriptors), fails this while its socket is open, which {@link #accepting} cannot
     * see. A listener bound to a specific address other than loopback (a virtual IP bound non-locally, say) is
     * judged by {@link #accepting} alone: that address may not be on this node. Blocks; call off the loops.
     */
    public boolean answersConnect(String listenerName, Duration timeout) {
        if (!accepting(listenerName)) {
            return false;
        }
        InetSocketAddress bound = localAddress(listenerName);
        InetAddress host = bound.getAddress();
        if (host.isAnyLocalAddress()) {
            host = InetAddress.getLoopbackAddress();
        } else if (!host.isLoopbackAddress()) {
            return true;
        }
        AcceptCounter counter = accepted.get(listenerName);
        long before = counter.count;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket probe = new Socket()) {
            // The kernel completes the handshake from its backlog whatever the process does; only the
            // accept count says the listener's loop took the connection.
            probe.connect(new InetSocketAddress(host, bound.getPort()), (int) Math.max(1, timeout.toMillis()));
            while (counter.count == before) {
                if (System.nanoTime() - deadline >= 0) {
                    return false;
                }
                Thread.sleep(1);
            }
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Counts the connections a listener accepted, on the listener's event loop (one writer). */
    @ChannelHandler.Sharable
    private static final class AcceptCounter extends ChannelInboundHandlerAdapter {
        volatile long count;

        @Override
        @SuppressWarnings("NonAtomicOperationOnVolatileField") // one writer: the listener's event loop
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            count++;
            ctx.fireChannelRead(msg);
        }
    }

    /** The actual bound address of the named listener (port 0 resolved to the real port). */
    public InetSocketAddress localAddress(String listenerName) {
        return (InetSocketAddress) listener(listenerName).localAddress();
    }

    /** The retry counters of the named upstream. */
    public RetryStats retryStats(String upstream) {
        RetryStats stats = retries.stats(upstream);
        if (stats == null) {
            throw new IllegalArgumentException("no upstream named '" + upstream + "'");
        }
        return stats;
    }

    /** Whether the named listener's channel is open and active. */
    public boolean accepting(String listenerName) {
        Channel ch = listeners.get(listenerName);
        return ch != null && ch.isOpen() && ch.isActive();
    }

    private Channel listener(String name) {
        Channel ch = listeners.get(name);
        if (ch == null) {
            throw new IllegalArgumentException("no listener named '" + name + "' (have: " + listeners.keySet() + ")");
        }
        return ch;
    }

    /** Stops accepting, closes client and pooled upstream connections; leaves the event loops running. */
    @Override
    public void close() {
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel ch : listeners.values()) {
            closing.add(ch.close());
        }
        for (ChannelFuture f : closing) {
            f.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        for (LoopState state : loops.values()) {
            if (!state.loop().isShuttingDown()) {
                state.loop().submit(state::close).awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
    }
}
