package io.bulwark.proxy;

import io.bulwark.config.AccessLogConfig;
import io.bulwark.config.Balance;
import io.bulwark.config.Config;
import io.bulwark.config.HostPort;
import io.bulwark.config.ListenerConfig;
import io.bulwark.config.PassiveConfig;
import io.bulwark.config.Recovery;
import io.bulwark.config.RetryConfig;
import io.bulwark.config.RetryOn;
import io.bulwark.config.RouteConfig;
import io.bulwark.config.ServerConfig;
import io.bulwark.config.UpstreamConfig;
import io.bulwark.upstream.OutcomeListener;
import io.bulwark.upstream.Upstream;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** A ProxyServer with one upstream, a retry block and optionally passive ejection, for retry tests. */
final class RetryGateway implements AutoCloseable {
    final ProxyServer proxy;
    final Upstream upstream;

    private RetryGateway(ProxyServer proxy, Upstream upstream) {
        this.proxy = proxy;
        this.upstream = upstream;
    }

    /** A retry block with the given conditions and attempts, otherwise the defaults; budget unbounded. */
    static RetryConfig retry(int attempts, RetryOn... on) {
        return new RetryConfig(Set.of(on), attempts, Optional.empty(), Duration.ZERO, Duration.ZERO, 100, 1000,
                64 * 1024);
    }

    static RetryGateway start(EventLoopGroup group, RetryConfig retry, Duration readTimeout,
            Optional<PassiveConfig> passive, Function<Upstream, OutcomeListener> outcomes,
            List<InetSocketAddress> servers) throws Exception {
        List<ServerConfig> list = new ArrayList<>();
        for (InetSocketAddress a : servers) {
            // max_fails 0: only the passive block (when given) ejects.
            list.add(new ServerConfig(new HostPort(a.getAddress().getHostAddress(), a.getPort()), 1, false, 0,
                    Duration.ofSeconds(10)));
        }
        UpstreamConfig up = new UpstreamConfig("app", Balance.ROUND_ROBIN, Duration.ofSeconds(1), readTimeout,
                Duration.ofSeconds(5), 16, Duration.ofSeconds(30), list, Optional.empty(), passive, Duration.ZERO,
                Recovery.AUTO, retry, 0);
        ListenerConfig listener = new ListenerConfig("web", new HostPort("127.0.0.1", 0), Duration.ofSeconds(10),
                Duration.ofSeconds(30), 4096, 8192, false); // loops take connections in turn (see Gateway)
        Config config = new Config(null, 2, List.of(listener), List.of(new RouteConfig("all", "*", "/", "app")),
                Map.of("app", up), null, new AccessLogConfig(AccessLogConfig.Format.OFF, "stdout"));
        Upstream upstream = new Upstream(up);
        ProxyServer proxy = ProxyServer.start(config, Map.of("app", upstream), AccessLog.off(), group,
                Map.of("app", outcomes.apply(upstream)));
        return new RetryGateway(proxy, upstream);
    }

    InetSocketAddress address() {
        return proxy.localAddress("web");
    }

    RetryStats stats() {
        return proxy.retryStats("app");
    }

    @Override
    public void close() {
        proxy.close();
    }
}
