package io.bulwark.proxy;

import io.bulwark.config.Config;
import io.bulwark.core.Transport;
import io.bulwark.upstream.Upstream;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A gateway in its own JVM for tests that need to cap its heap: {@code StandaloneProxy BACKEND_PORT}.
 * Prints {@code LISTENING <port>} once bound and runs until its stdin closes.
 */
public final class StandaloneProxy {
    private StandaloneProxy() {}

    public static void main(String[] args) throws Exception {
        int backendPort = Integer.parseInt(args[0]);
        Gateway.Options o = Gateway.Options.defaults().readTimeout(Duration.ofSeconds(30));
        Config config = Gateway.config(o, List.of(new InetSocketAddress("127.0.0.1", backendPort)), 0);
        EventLoopGroup group = Transport.best().newGroup(2, "proxy");
        Upstream upstream = new Upstream(config.upstreams().get("app"));
        try (ProxyServer proxy = ProxyServer.start(config, Map.of("app", upstream), AccessLog.off(), group)) {
            System.out.println("LISTENING " + proxy.localAddress("web").getPort());
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
