package io.bulwark.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.bulwark.config.ConfigLoader;
import io.bulwark.upstream.Server;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole gateway from a YAML file on disk to real backends, as an operator runs it. */
class GatewayTest {
    @TempDir
    Path dir;

    private final List<HttpServer> backends = new ArrayList<>();
    private final List<AtomicInteger> hits = new ArrayList<>();
    private Gateway gateway;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        backends.forEach(b -> b.stop(0));
    }

    private int backend(String name) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        AtomicInteger count = new AtomicInteger();
        s.createContext("/", ex -> {
            count.incrementAndGet();
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        s.setExecutor(Executors.newFixedThreadPool(4));
        s.start();
        backends.add(s);
        hits.add(count);
        return s.getAddress().getPort();
    }

    private void start(String serversYaml) throws Exception {
        Path f = dir.resolve("bulwark.yaml");
        Files.writeString(f, """
                workers: 2
                listeners:
                  - name: web
                    bind: 127.0.0.1:0
                routes:
                  - upstream: app
                upstreams:
                  app:
                    servers:
                %s
                admin:
                  bind: 127.0.0.1:0
                access_log:
                  format: off
                """.formatted(serversYaml));
        gateway = Gateway.start(ConfigLoader.load(f));
    }

    private String get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + gateway.listenerAddress("web").getPort() + path);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static String server(int port, int weight, boolean backup) {
        return "      - address: 127.0.0.1:" + port + "\n        weight: " + weight + "\n        backup: " + backup + "\n";
    }

    @Test
    void tenThousandRequestsFollowWeightsFiveThreeTwoWithinOnePercent() throws Exception {
        start(server(backend("a"), 5, false) + server(backend("b"), 3, false) + server(backend("c"), 2, false));
        int total = 10_000;
        int clients = 4;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < total / clients; i++) {
                        get("/");
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        double[] expected = {0.5, 0.3, 0.2};
        for (int i = 0; i < 3; i++) {
            assertThat(hits.get(i).get() / (double) total).as("share of server %d", i).isCloseTo(expected[i],
                    org.assertj.core.data.Offset.offset(0.01));
        }
    }

    @Test
    void backupsServeOnlyWhenNoPrimaryIsEligible() throws Exception {
        start(server(backend("primary-1"), 1, false) + server(backend("primary-2"), 1, false) + server(backend("backup"), 1, true));
        for (int i = 0; i < 50; i++) {
            assertThat(get("/")).startsWith("primary-");
        }
        assertThat(hits.get(2).get()).isZero();
        List<Server> servers = gateway.upstreams().get("app").servers();
        servers.get(0).healthy(false);
        assertThat(get("/")).isEqualTo("primary-2");
        servers.get(1).healthy(false);
        for (int i = 0; i < 10; i++) {
            assertThat(get("/")).isEqualTo("backup");
        }
        servers.get(0).healthy(true);
        assertThat(get("/")).isEqualTo("primary-1");
    }

    @Test
    void adminReportsReadinessFromUpstreamState() throws Exception {
        start(server(backend("only"), 1, false));
        URI readyz = URI.create("http://127.0.0.1:" + gateway.adminAddress().getPort() + "/readyz");
        assertThat(client.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        gateway.upstreams().get("app").servers().get(0).healthy(false);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("upstream app 0/1");
    }
}
