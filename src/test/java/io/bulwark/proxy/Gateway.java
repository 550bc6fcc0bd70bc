package io.bulwark.proxy;

import io.bulwark.config.AccessLogConfig;
import io.bulwark.config.Balance;
import io.bulwark.config.Config;
import io.bulwark.config.HostPort;
import io.bulwark.config.ListenerConfig;
import io.bulwark.config.PathRules;
import io.bulwark.config.RouteConfig;
import io.bulwark.config.ServerConfig;
import io.bulwark.config.UpstreamConfig;
import io.bulwark.upstream.Upstream;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A ProxyServer with one listener and one upstream in front of test backends, with settings for tests. */
final class Gateway implements AutoCloseable {
    /** The knobs tests turn; the rest of the config is fixed. */
    record Options(
            Duration connectTimeout,
            Duration readTimeout,
            int keepalive,
            Duration keepaliveTimeout,
            Duration headerTimeout,
            Duration idleTimeout,
            int maxRequestLine,
            int maxHeaderSize,
            List<RouteConfig> routes) {
        static Options defaults() {
            return new Options(Duration.ofSeconds(2), Duration.ofSeconds(5), 16, Duration.ofSeconds(30),
                    Duration.ofSeconds(10), Duration.ofSeconds(30), 4096, 8192,
                    List.of(new RouteConfig("all", "*", "/", "app")));
        }

        Options readTimeout(Duration d) {
            return new Options(connectTimeout, d, keepalive, keepaliveTimeout, headerTimeout, idleTimeout,
                    maxRequestLine, maxHeaderSize, routes);
        }

        Options connectTimeout(Duration d) {
            return new Options(d, readTimeout, keepalive, keepaliveTimeout, headerTimeout, idleTimeout,
                    maxRequestLine, maxHeaderSize, routes);
        }

        Options keepalive(int n, Duration timeout) {
            return new Options(connectTimeout, readTimeout, n, timeout, headerTimeout, idleTimeout,
                    maxRequestLine, maxHeaderSize, routes);
        }

        Options clientTimeouts(Duration header, Duration idle) {
            return new Options(connectTimeout, readTimeout, keepalive, keepaliveTimeout, header, idle,
                    maxRequestLine, maxHeaderSize, routes);
        }

        Options limits(int requestLine, int headerSize) {
            return new Options(connectTimeout, readTimeout, keepalive, keepaliveTimeout, headerTimeout,
                    idleTimeout, requestLine, headerSize, routes);
        }

        Options routes(RouteConfig... r) {
            return new Options(connectTimeout, readTimeout, keepalive, keepaliveTimeout, headerTimeout,
                    idleTimeout, maxRequestLine, maxHeaderSize, List.of(r));
        }
    }

    final ProxyServer proxy;
    final Upstream upstream;
    final Queue<AccessRecord> log;

    private Gateway(ProxyServer proxy, Upstream upstream, Queue<AccessRecord> log) {
        this.proxy = proxy;
        this.upstream = upstream;
        this.log = log;
    }

    static Config config(Options o, List<InetSocketAddress> servers, int listenPort) {
        List<ServerConfig> list = new ArrayList<>();
        for (InetSocketAddress a : servers) {
            list.add(new ServerConfig(new HostPort(a.getAddress().getHostAddress(), a.getPort()), 1, false));
        }
        UpstreamConfig up = new UpstreamConfig("app", Balance.ROUND_ROBIN, o.connectTimeout(), o.readTimeout(),
                Duration.ofSeconds(5), o.keepalive(), o.keepaliveTimeout(), list);
        // One socket for both loops: Netty hands accepted connections to the loops in turn, which tests of
        // per-loop state (a balancer's next pick, a pool) count on. ProxyServerTest covers a socket per loop.
        ListenerConfig listener = new ListenerConfig("web", new HostPort("127.0.0.1", listenPort),
                o.headerTimeout(), o.idleTimeout(), o.maxRequestLine(), o.maxHeaderSize(), false);
        return new Config(null, 2, List.of(listener), o.routes(), Map.of("app", up), null,
                new AccessLogConfig(AccessLogConfig.Format.OFF, "stdout"));
    }

    /** {@code config} with its listeners' {@code reuse_port} set to {@code on}. */
    static Config reusingPort(Config config, boolean on) {
        return withListeners(config, l -> new ListenerConfig(l.name(), l.bind(), l.headerTimeout(), l.idleTimeout(),
                l.maxRequestLine(), l.maxHeaderSize(), on, l.deferAccept(), l.paths()));
    }

    /** {@code config} with its listeners' {@code defer_accept} set to {@code on}. */
    static Config deferringAccept(Config config, boolean on) {
        return withListeners(config, l -> new ListenerConfig(l.name(), l.bind(), l.headerTimeout(), l.idleTimeout(),
                l.maxRequestLine(), l.maxHeaderSize(), l.reusePort(), on, l.paths()));
    }

    /** {@code config} with its listeners reading paths by {@code rules}. */
    static Config readingPaths(Config config, PathRules rules) {
        return withListeners(config, l -> new ListenerConfig(l.name(), l.bind(), l.headerTimeout(), l.idleTimeout(),
                l.maxRequestLine(), l.maxHeaderSize(), l.reusePort(), l.deferAccept(), rules));
    }

    private static Config withListeners(Config config, java.util.function.UnaryOperator<ListenerConfig> change) {
        List<ListenerConfig> listeners = config.listeners().stream().map(change).toList();
        return new Config(config.source(), config.workers(), listeners, config.routes(), config.upstreams(),
                config.admin(), config.accessLog());
    }

    static Gateway start(EventLoopGroup group, Options o, List<InetSocketAddress> servers) throws Exception {
        return start(group, config(o, servers, 0));
    }

    static Gateway start(EventLoopGroup group, Config config) throws Exception {
        Upstream upstream = new Upstream(config.upstreams().get("app"));
        Queue<AccessRecord> records = new ConcurrentLinkedQueue<>();
        ProxyServer proxy = ProxyServer.start(config, Map.of("app", upstream), records::add, group);
        return new Gateway(proxy, upstream, records);
    }

    InetSocketAddress address() {
        return proxy.localAddress("web");
    }

    @Override
    public void close() {
        proxy.close();
    }
}
