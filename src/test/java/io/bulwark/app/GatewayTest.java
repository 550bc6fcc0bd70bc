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

    private final java.util.Map<String, java.util.concurrent.atomic.AtomicBoolean> sick = new java.util.concurrent.ConcurrentHashMap<>();

    private int backend(String name) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        AtomicInteger count = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean isSick = new java.util.concurrent.atomic.AtomicBoolean();
        sick.put(name, isSick);
        s.createContext("/healthz", ex -> {
            int status = isSick.get() ? 503 : 200;
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
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
        start(serversYaml, "");
    }

    private void start(String serversYaml, String upstreamExtra) throws Exception {
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
                %s
                    servers:
                %s
                admin:
                  bind: 127.0.0.1:0
                access_log:
                  format: off
                """.formatted(upstreamExtra, serversYaml));
        gateway = Gateway.start(ConfigLoader.load(f));
    }

    private String get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + gateway.listenerAddress("web").getPort() + path);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** An HTTP check of /healthz every 100 ms, for an upstream's extra lines. */
    private static String fastHttpCheck(int rise, int fall) {
        return """
                    health_check:
                      type: http
                      path: /healthz
                      interval: 100ms
                      timeout: 80ms
                      fast_interval: 100ms
                      jitter: 0%%
                      rise: %d
                      fall: %d
                """.formatted(rise, fall);
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
    void activeHttpCheckTakesASickServerOutAfterFallAndBackAfterRise() throws Exception {
        List<io.bulwark.core.Event> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        start(server(backend("a"), 1, false) + server(backend("b"), 1, false), fastHttpCheck(2, 2));
        gateway.events().subscribe(seen::add);
        Server b = gateway.upstreams().get("app").servers().get(1);
        long t0 = System.nanoTime();
        sick.get("b").set(true);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3)).until(() -> !b.eligible());
        long detectMillis = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("active check: sick server out of rotation after %d ms (fall 2 x interval 100 ms)%n", detectMillis);
        assertThat(detectMillis).isLessThan(600);
        for (int i = 0; i < 20; i++) {
            assertThat(get("/")).isEqualTo("a");
        }
        sick.get("b").set(false);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3)).until(b::eligible);
        // The event is published just after eligibility flips, so wait for it rather than race it.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(seen).extracting(io.bulwark.core.Event::describe)
                        .anySatisfy(d -> assertThat(d).contains("UP -> DOWN").contains("L7 bad status 503"))
                        .anySatisfy(d -> assertThat(d).contains("DOWN -> UP")));
    }

    @Test
    void aServerBackFromItsChecksGetsARampingShareDuringSlowStart() throws Exception {
        start(server(backend("a"), 1, false) + server(backend("b"), 1, false), fastHttpCheck(2, 1) + "    slow_start: 20s\n");
        Server b = gateway.upstreams().get("app").servers().get(1);
        sick.get("b").set(true);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3)).until(() -> !b.eligible());
        sick.get("b").set(false);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3)).until(b::eligible);
        int before = hits.get(1).get();
        int n = 400;
        for (int i = 0; i < n; i++) {
            get("/");
        }
        double share = (hits.get(1).get() - before) / (double) n;
        System.out.printf("slow start: recovered server took %.1f %% of the first %d requests (full share 50 %%)%n", share * 100, n);
        // Just back, it weighs 10-20 % of its peer: about 9-17 % of picks, far from the 50 % it ends at.
        assertThat(share).isGreaterThan(0.0).isLessThan(0.25);
    }

    @Test
    void deadServerIsEjectedOnItsFirstFailureAndTheRequestIsRetried() throws Exception {
        start(server(backend("a"), 1, false) + server(backend("b"), 1, false), """
                    passive:
                      consecutive_failures: 1
                      ejection_time: 30s
                    retry:
                      retry_on: [connect_failure, reset, timeout]
                      attempts: 2
                """);
        Server b = gateway.upstreams().get("app").servers().get(1);
        backends.get(1).stop(0);
        for (int i = 0; i < 20; i++) {
            assertThat(get("/")).isEqualTo("a");
        }
        assertThat(b.eligible()).as("ejected after its first failed request").isFalse();
        assertThat(gateway.detectors().get("app").ejections()).isEqualTo(1);
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

    private HttpResponse<String> adminPost(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + gateway.adminAddress().getPort() + path);
        return client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aServerHeldByManualRecoveryServesOnlyOnceAnOperatorEnablesItThroughTheAdminApi() throws Exception {
        start(server(backend("a"), 1, false) + server(backend("b"), 1, false), fastHttpCheck(1, 1) + "    recovery: manual\n");
        Server b = gateway.upstreams().get("app").servers().get(1);
        String bPath = "/api/upstreams/app/servers/" + b.address() + "/";
        sick.get("b").set(true);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
                .until(() -> b.health() == io.bulwark.upstream.Health.DOWN);
        sick.get("b").set(false);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
                .until(() -> b.health() == io.bulwark.upstream.Health.HELD);
        URI list = URI.create("http://127.0.0.1:" + gateway.adminAddress().getPort() + "/api/upstreams/app");
        var listed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                client.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(listed.at("/upstreams/0/servers/1/health").asText()).isEqualTo("held");
        assertThat(listed.at("/upstreams/0/eligible").asInt()).isEqualTo(1);
        int before = hits.get(1).get();
        for (int i = 0; i < 20; i++) {
            assertThat(get("/")).isEqualTo("a");
        }
        assertThat(hits.get(1).get()).as("a held server takes no requests").isEqualTo(before);

        HttpResponse<String> enabled = adminPost(bPath + "enable");
        assertThat(enabled.statusCode()).isEqualTo(200);
        assertThat(enabled.body()).contains("\"changed\":true").contains("\"health\":\"up\"");
        assertThat(b.eligible()).isTrue();
        for (int i = 0; i < 20; i++) {
            get("/");
        }
        assertThat(hits.get(1).get()).as("enabled, it serves again").isGreaterThan(before);

        // Draining it through the same API takes it out of rotation until it is made ready.
        assertThat(adminPost(bPath + "drain").body()).contains("\"admin\":\"drain\"");
        int drained = hits.get(1).get();
        for (int i = 0; i < 20; i++) {
            assertThat(get("/")).isEqualTo("a");
        }
        assertThat(hits.get(1).get()).isEqualTo(drained);
        assertThat(adminPost(bPath + "ready").body()).contains("\"changed\":true");
        for (int i = 0; i < 20; i++) {
            get("/");
        }
        assertThat(hits.get(1).get()).isGreaterThan(drained);
    }

    @Test
    void aServerDownInTheConfigTakesNoRequestsUntilAnOperatorMakesItReady() throws Exception {
        start(server(backend("a"), 1, false) + server(backend("b"), 1, false) + "        down: true\n");
        Server b = gateway.upstreams().get("app").servers().get(1);
        assertThat(b.admin()).isEqualTo(io.bulwark.upstream.AdminState.MAINT);
        for (int i = 0; i < 20; i++) {
            assertThat(get("/")).isEqualTo("a");
        }
        assertThat(hits.get(1).get()).isZero();

        HttpResponse<String> ready = adminPost("/api/upstreams/app/servers/" + b.address() + "/ready");
        assertThat(ready.body()).contains("\"changed\":true").contains("\"eligible\":true");
        for (int i = 0; i < 20; i++) {
            get("/");
        }
        assertThat(hits.get(1).get()).isPositive();
    }
}
