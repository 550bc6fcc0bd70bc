package io.bulwark.app;

import com.sun.net.httpserver.HttpServer;
import io.bulwark.config.AccessLogConfig;
import io.bulwark.config.AdminConfig;
import io.bulwark.config.Balance;
import io.bulwark.config.Config;
import io.bulwark.config.HostPort;
import io.bulwark.config.ListenerConfig;
import io.bulwark.config.RouteConfig;
import io.bulwark.config.ServerConfig;
import io.bulwark.config.UpstreamConfig;
import io.bulwark.proxy.AccessLog;
import io.bulwark.proxy.ProxyServer;
import io.bulwark.upstream.Upstream;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a few hundred requests through a private loopback listener and backend when the gateway starts, so
 * the first real request does not pay for class loading and the interpreter. That first request is often
 * the one that matters most: the first a backup node serves after taking over the virtual address.
 */
final class DataPlaneWarmup {
    private static final Logger log = LoggerFactory.getLogger(DataPlaneWarmup.class);
    private static final byte[] BODY = "warm\n".getBytes(StandardCharsets.US_ASCII);

    private DataPlaneWarmup() {}

    /** Runs the warm-up and returns how many requests were answered; never throws: a failed warm-up costs speed, not service. */
    static int run(EventLoopGroup workers, int requests) {
        long t0 = System.nanoTime();
        HttpServer backend = null;
        ProxyServer proxy = null;
        try {
            backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            backend.createContext("/", ex -> {
                ex.sendResponseHeaders(200, BODY.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(BODY);
                }
            });
            backend.start();
            proxy = ProxyServer.start(config(backend.getAddress().getPort()), Map.of("warmup", upstream(backend)),
                    AccessLog.off(), workers);
            int ok = exchange(proxy.localAddress("warmup"), requests);
            log.info("data plane warmed up: {} requests in {} ms", ok, (System.nanoTime() - t0) / 1_000_000);
            return ok;
        } catch (Exception e) {
            log.debug("data plane warm-up skipped: {}", e.toString());
            return 0;
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            if (backend != null) {
                backend.stop(0);
            }
        }
    }

    private static Upstream upstream(HttpServer backend) {
        return new Upstream(upstreamConfig(backend.getAddress().getPort()));
    }

    private static UpstreamConfig upstreamConfig(int port) {
        return new UpstreamConfig("warmup", Balance.ROUND_ROBIN, Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(2), 4, Duration.ofSeconds(5),
                List.of(new ServerConfig(new HostPort("127.0.0.1", port), 1, false)));
    }

    private static Config config(int backendPort) {
        ListenerConfig listener = new ListenerConfig("warmup", new HostPort("127.0.0.1", 0), Duration.ofSeconds(2),
                Duration.ofSeconds(5), 8192, 16384);
        return new Config(Path.of("<warmup>"), 1, List.of(listener),
                List.of(new RouteConfig("warmup", "*", "/", "warmup")), Map.of("warmup", upstreamConfig(backendPort)),
                new AdminConfig(new HostPort("127.0.0.1", 0)), new AccessLogConfig(AccessLogConfig.Format.OFF, "stdout"));
    }

    /** Keep-alive GETs over one connection; returns how many were answered 200. */
    private static int exchange(InetSocketAddress address, int requests) throws IOException {
        byte[] request = "GET /warmup HTTP/1.1\r\nHost: warmup\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        int ok = 0;
        try (Socket s = new Socket()) {
            s.connect(address, 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < requests; i++) {
                out.write(request);
                out.flush();
                if (readResponse(in)) {
                    ok++;
                }
            }
        }
        return ok;
    }

    /** Reads one response with a Content-Length body; true when its status was 200. */
    private static boolean readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed mid-response");
            }
            head.append((char) b);
        }
        String h = head.toString().toLowerCase(java.util.Locale.ROOT);
        int at = h.indexOf("content-length:");
        int length = at < 0 ? 0 : Integer.parseInt(h.substring(at + 15, h.indexOf('\r', at)).trim());
        in.readNBytes(length);
        return h.startsWith("http/1.1 200");
    }
}
