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
import io.netty.channel.unix.UnixChannelOption;
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
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The data plane: every listener of a config bound on the given event loops, proxying to the upstreams.
 *
 * <p>With a native transport and more than one loop, each loop has its own socket on a listener's address
 * (SO_REUSEPORT) and accepts onto itself: the kernel spreads new connections over the loops, and no accepted
 * connection is handed from one loop to another, which costs a task and a wake-up per connection (9-16 % of
 * the CPU per request at two workers with a new connection per request). The kernel spreads them by a hash
 * of the addresses, not by how busy each loop is, so at saturation the busier loop makes a longer tail
 * (p99 +13 % in the same measurement); {@code reuse_port: false} has one socket accept for all loops.
 */
public final class ProxyServer implements AutoCloseable {
    private static final int MAX_CHUNK = 64 * 1024;
    /**
     * Probes per listening socket at most in one {@link #answersConnect}; with 2 sockets one goes unprobed
     * (the kernel's hash chose the other every time) in about 2 calls in a million.
     */
    static final int PROBES_PER_SOCKET = 10;

    /**
     * TCP_DEFER_ACCEPT's wait for a connection's first bytes. The kernel rounds it to one SYN-ACK
     * retransmission: a client that connects and sends nothing is handed over when it acknowledges that, about
     * a second later, and is then timed by {@code header_timeout} like any other.
     */
    static final int DEFER_ACCEPT_SECONDS = 1;

    private static final byte[] EMPTY_LINE = {'\r', '\n'};

    // Per listener, its sockets: one, or one per loop (see the class comment).
    private final Map<String, List<Channel>> listeners;
    private final Map<String, AcceptWatch> accepted = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<EventExecutor, LoopState> loops;
    private final ChannelGroup connections;
    private final Retries retries;

    private ProxyServer(Map<String, List<Channel>> listeners, Map<EventExecutor, LoopState> loops, ChannelGroup connections,
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
            loops.put(e, new LoopState((EventLoop) e, table, transport, connections));
        }
        Map<String, List<Channel>> bound = new LinkedHashMap<>();
        Retries retries = Retries.build(config, table, outcomes, workers);
        ProxyServer server = new ProxyServer(bound, Map.copyOf(loops), connections, retries);
        try {
            for (ListenerConfig listener : config.listeners()) {
                AcceptWatch watch = server.accepted.computeIfAbsent(listener.name(), n -> new AcceptWatch());
                ChannelHandler child = server.initializer(listener, router, accessLog);
                bound.put(listener.name(), bind(listener, transport, workers, watch, child, connections));
            }
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Binds one listener's socket, or one socket per loop (see the class comment); returns them. */
    private static List<Channel> bind(ListenerConfig listener, Transport transport, EventLoopGroup workers,
            AcceptWatch watch, ChannelHandler child, ChannelGroup connections) throws IOException {
        List<EventLoopGroup> loops = new ArrayList<>();
        workers.forEach(loop -> loops.add((EventLoop) loop));
        boolean perLoop = listener.reusePort() && loops.size() > 1 && transport.sharesPorts();
        SocketAddress at = listener.bind().toSocketAddress();
        if (perLoop) {
            refuseIfTaken(listener, at);
        }
        List<EventLoopGroup> groups = perLoop ? loops : List.of(workers);
        List<Channel> channels = new ArrayList<>();
        for (EventLoopGroup group : groups) {
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .handler(watch)
                    .childOption(ChannelOption.AUTO_READ, false)
                    // A client's half-close is an end of input, not of the connection (DownstreamHandler).
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    // No TCP_NODELAY option: Netty's socket configs already enable it on Linux, and
                    // setting it again costs a setsockopt per accepted connection (ProxyServerTest
                    // checks it is on).
                    .childHandler(child);
            if (perLoop) {
                b.option(UnixChannelOption.SO_REUSEPORT, true);
            }
            ChannelOption<Integer> defer = transport.deferAccept();
            if (listener.deferAccept() && defer != null) {
                b.option(defer, DEFER_ACCEPT_SECONDS);
            }
            ChannelFuture f = b.bind(at).awaitUninterruptibly();
            if (!f.isSuccess()) {
                channels.forEach(Channel::close);
                throw cannotBind(listener, f.cause());
            }
            channels.add(f.channel());
            connections.add(f.channel());
            at = f.channel().localAddress(); // port 0: the other loops join the port the first one got
        }
        return channels;
    }

    /**
     * Fails when something already listens on {@code at}. Sockets that share a port with SO_REUSEPORT
     * would also share it with another gateway (or anything else of the same user) already listening
     * there, splitting its traffic instead of failing; a plain bind, as without SO_REUSEPORT, fails first.
     */
    private static void refuseIfTaken(ListenerConfig listener, SocketAddress at) throws IOException {
        if (((InetSocketAddress) at).getPort() == 0) {
            return;
        }
        try (Socket probe = new Socket()) {
            probe.setReuseAddress(true); // connections of an earlier run in TIME_WAIT do not count
            probe.bind(at);
        } catch (IOException e) {
            throw cannotBind(listener, e);
        }
    }

    private static IOException cannotBind(ListenerConfig listener, Throwable cause) {
        return new IOException("listener " + listener.name() + ": cannot bind " + listener.bind() + ": "
                + cause.getMessage(), cause);
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
                        .setMaxChunkSize(MAX_CHUNK)
                        // RFC 9110 §8.6: repeats of one length are that length, as on the raw path.
                        .setAllowDuplicateContentLengths(true), loop.headLines());
                ch.pipeline()
                        .addLast(LoopState.DECODER, decoder)
                        .addLast(LoopState.ENCODER, new HttpResponseEncoder())
                        .addLast(LoopState.FLOW, new FlowControlHandler())
                        .addLast(LoopState.HANDLER, new DownstreamHandler(
                                loop, retries, router, listener.paths(), log, decoder, headNanos, idleNanos));
            }
        };
    }

    /**
     * Whether the named listener takes new connections: connects to it over loopback and waits, up to
     * {@code timeout} for each connection, for an event loop to accept it. A listener whose loop is stuck, or
     * that cannot accept (out of file descriptors), fails this while its socket is open, which
     * {@link #accepting} cannot see. With a socket per loop the kernel picks the socket by the probe's address
     * and port, so probes from new ports go on until every socket has accepted one (a stuck loop is found in
     * the same call, not in one probe out of as many as there are loops), at most {@link #PROBES_PER_SOCKET}
     * per socket. A listener bound to a specific address other than loopback (a virtual IP bound
     * non-locally, say) is judged by {@link #accepting} alone: that address may not be on this node. Blocks;
     * call off the loops.
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
        List<Channel> sockets = listener(listenerName);
        AcceptWatch watch = accepted.get(listenerName);
        Set<Channel> answered = new HashSet<>();
        try {
            for (int i = 0; i < PROBES_PER_SOCKET * sockets.size() && answered.size() < sockets.size(); i++) {
                Channel socket = probe(watch, new InetSocketAddress(host, bound.getPort()), timeout);
                if (socket == null) {
                    return false;
                }
                answered.add(socket);
            }
            // A socket the kernel's hash never chose in all those probes was not seen to fail either.
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One probe connection; returns the listening socket that accepted it, or null if none did in time. */
    private static Channel probe(AcceptWatch watch, InetSocketAddress to, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket probe = new Socket()) {
            probe.bind(new InetSocketAddress(to.getAddress(), 0));
            int port = probe.getLocalPort();
            // The kernel completes the handshake from its backlog whatever the process does; only a loop
            // accepting this very connection says the listener serves. Any accept would not do: a loop that
            // gets a descriptor now and then still takes connections queued before the probe.
            CompletableFuture<Channel> accepted = new CompletableFuture<>();
            watch.awaiting.put(port, accepted);
            try {
                probe.connect(to, (int) Math.max(1, timeout.toMillis()));
                // With defer_accept the kernel hands the connection over only once bytes arrive. An empty
                // line before a request is one a server ignores (RFC 9112 section 2.2), so it asks for nothing.
                probe.getOutputStream().write(EMPTY_LINE);
                return accepted.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return null;
            } finally {
                watch.awaiting.remove(port);
            }
        } catch (IOException | ExecutionException e) {
            return null;
        }
    }

    /** Tells {@link #answersConnect} which listening socket accepted each of its probes' connections. */
    @ChannelHandler.Sharable
    static final class AcceptWatch extends ChannelInboundHandlerAdapter {
        // Local ports of the probes in flight (all from loopback), each completed with the socket that took it.
        final Map<Integer, CompletableFuture<Channel>> awaiting = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!awaiting.isEmpty() && msg instanceof Channel child
                    && child.remoteAddress() instanceof InetSocketAddress from && from.getAddress().isLoopbackAddress()) {
                CompletableFuture<Channel> probe = awaiting.get(from.getPort());
                if (probe != null) {
                    probe.complete(ctx.channel());
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** The actual bound address of the named listener (port 0 resolved to the real port). */
    public InetSocketAddress localAddress(String listenerName) {
        return (InetSocketAddress) listener(listenerName).getFirst().localAddress();
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
        List<Channel> sockets = listeners.get(listenerName);
        return sockets != null && sockets.stream().allMatch(ch -> ch.isOpen() && ch.isActive());
    }

    private List<Channel> listener(String name) {
        List<Channel> ch = listeners.get(name);
        if (ch == null) {
            throw new IllegalArgumentException("no listener named '" + name + "' (have: " + listeners.keySet() + ")");
        }
        return ch;
    }

    /** Stops accepting, closes client and pooled upstream connections; leaves the event loops running. */
    @Override
    public void close() {
        List<ChannelFuture> closing = new ArrayList<>();
        for (List<Channel> sockets : listeners.values()) {
            for (Channel ch : sockets) {
                closing.add(ch.close());
            }
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
