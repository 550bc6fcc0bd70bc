package io.bulwark.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.config.AdminConfig;
import io.bulwark.config.HostPort;
import io.bulwark.core.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin API over real HTTP: routes, JSON, and who may change a server or a VRRP instance. */
class AdminApiTest {
    private static final String TOKEN = "s3cret-token-0123456789";
    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final List<String> applied = new ArrayList<>();
    private AdminServer admin;

    /** One upstream "app" with one server whose admin state the commands set. */
    private final class OneServer implements ServerControl {
        String adminState = "ready";

        ServerStatus status() {
            return new ServerStatus("127.0.0.1:9001", 1, false, "up", adminState, false, adminState.equals("ready"), 0,
                    "L7 ok");
        }

        @Override
        public List<UpstreamStatus> upstreams() {
            return List.of(new UpstreamStatus("app", List.of(status())));
        }

        @Override
        public Optional<Outcome> apply(String upstream, String address, Action action, String operator) {
            if (!upstream.equals("app") || !address.equals("127.0.0.1:9001")) {
                return Optional.empty();
            }
            applied.add(action + " " + operator);
            String to = action == Action.ENABLE ? adminState : action.name().toLowerCase(java.util.Locale.ROOT);
            boolean changed = !to.equals(adminState);
            adminState = to;
            return Optional.of(new Outcome(changed, status()));
        }
    }

    /** One VRRP instance "VI_1", master until released; "stuck" never answers. */
    private final class OneInstance implements VrrpControl {
        String state = "master";

        InstanceStatus status() {
            return new InstanceStatus("VI_1", state, 100, 100, false, "eth0", List.of("192.0.2.100/24"));
        }

        @Override
        public List<InstanceStatus> instances() {
            return List.of(status());
        }

        @Override
        public Optional<Outcome> release(String instance, String operator) {
            if (instance.equals("stuck")) {
                throw new IllegalStateException("VRRP instance stuck did not answer within 2 s");
            }
            if (!instance.equals("VI_1")) {
                return Optional.empty();
            }
            applied.add("release " + operator);
            boolean changed = state.equals("master");
            state = "backup";
            return Optional.of(new Outcome(changed, status()));
        }
    }

    private void start(String bindHost, Optional<String> token) throws Exception {
        admin = AdminServer.start(new AdminConfig(new HostPort(bindHost, 0), token), new HealthView() {
            @Override
            public boolean ready() {
                return true;
            }

            @Override
            public String readinessReport() {
                return "";
            }
        }, new OneServer(), new OneInstance(), Transport.best());
    }

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + admin.localAddress().getPort() + path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request a well-behaved client would not send (Java's refuses a malformed escape), over a raw socket. */
    private String rawStatusLine(String requestLine) throws Exception {
        return rawStatusLine(requestLine, "127.0.0.1");
    }

    private String rawStatusLine(String requestLine, String host) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", admin.localAddress().getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write((requestLine + "\r\nHost: " + host + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void listsUpstreamsAndServersAsJson() throws Exception {
        start("127.0.0.1", Optional.empty());
        HttpResponse<String> r = send("GET", "/api/upstreams");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).contains("application/json");
        JsonNode body = json.readTree(r.body());
        assertThat(body.at("/upstreams/0/name").asText()).isEqualTo("app");
        assertThat(body.at("/upstreams/0/eligible").asInt()).isEqualTo(1);
        assertThat(body.at("/upstreams/0/servers/0/address").asText()).isEqualTo("127.0.0.1:9001");
        assertThat(body.at("/upstreams/0/servers/0/last_cause").asText()).isEqualTo("L7 ok");
        assertThat(send("GET", "/api/upstreams/app").statusCode()).isEqualTo(200);
        assertThat(json.readTree(send("GET", "/api/upstreams/nope").body()).get("error").asText())
                .isEqualTo("no upstream nope");
    }

    @Test
    void anActionChangesTheServerOnceAndSaysWhetherItDid() throws Exception {
        start("127.0.0.1", Optional.empty());
        HttpResponse<String> first = send("POST", "/api/upstreams/app/servers/127.0.0.1:9001/drain");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(json.readTree(first.body()).get("changed").asBoolean()).isTrue();
        assertThat(json.readTree(first.body()).at("/server/admin").asText()).isEqualTo("drain");
        assertThat(json.readTree(send("POST", "/api/upstreams/app/servers/127.0.0.1:9001/drain").body())
                .get("changed").asBoolean()).isFalse();
        // Percent-encoded as a client may send it.
        assertThat(send("POST", "/api/upstreams/app/servers/127.0.0.1%3A9001/ready").statusCode()).isEqualTo(200);
        assertThat(applied).hasSize(3).allSatisfy(a -> assertThat(a).contains("admin API from 127.0.0.1:"));
    }

    @Test
    void listsVrrpInstancesAndReleasesAMasterOnce() throws Exception {
        start("127.0.0.1", Optional.empty());
        JsonNode listed = json.readTree(send("GET", "/api/vrrp").body());
        assertThat(listed.at("/instances/0/name").asText()).isEqualTo("VI_1");
        assertThat(listed.at("/instances/0/state").asText()).isEqualTo("master");
        assertThat(listed.at("/instances/0/virtual_ips/0").asText()).isEqualTo("192.0.2.100/24");

        HttpResponse<String> r = send("POST", "/api/vrrp/VI_1/release");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json.readTree(r.body()).get("changed").asBoolean()).isTrue();
        assertThat(json.readTree(r.body()).at("/instance/state").asText()).isEqualTo("backup");
        assertThat(json.readTree(send("POST", "/api/vrrp/VI_1/release").body()).get("changed").asBoolean()).isFalse();
        assertThat(applied).hasSize(2).allSatisfy(a -> assertThat(a).startsWith("release admin API from 127.0.0.1:"));

        assertThat(send("POST", "/api/vrrp/VI_9/release").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/api/vrrp/VI_1/demote").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/vrrp/VI_1/release").statusCode()).isEqualTo(405);
        HttpResponse<String> stuck = send("POST", "/api/vrrp/stuck/release");
        assertThat(stuck.statusCode()).isEqualTo(503);
        assertThat(json.readTree(stuck.body()).get("error").asText()).contains("did not answer");
    }

    @Test
    void onLoopbackWithoutATokenOnlyRequestsToALoopbackNameAreAnswered() throws Exception {
        start("127.0.0.1", Optional.empty());
        int port = admin.localAddress().getPort();
        // A page whose name was re-pointed at 127.0.0.1 (DNS rebinding) sends its own name as Host.
        assertThat(rawStatusLine("GET /api/upstreams HTTP/1.1", "rebound.example:" + port)).contains(" 403 ");
        assertThat(rawStatusLine("POST /api/vrrp/VI_1/release HTTP/1.1", "rebound.example:" + port)).contains(" 403 ");
        assertThat(applied).isEmpty();
        assertThat(rawStatusLine("GET /api/upstreams HTTP/1.1", "localhost:" + port)).contains(" 200 ");
        assertThat(rawStatusLine("GET /api/upstreams HTTP/1.1", "[::1]:" + port)).contains(" 200 ");
        assertThat(rawStatusLine("GET /healthz HTTP/1.1", "rebound.example:" + port)).as("probes stay open").contains(" 200 ");
    }

    @Test
    void withATokenTheHostDoesNotMatter() throws Exception {
        start("127.0.0.1", Optional.of(TOKEN));
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", admin.localAddress().getPort())) {
            s.getOutputStream().write(("GET /api/upstreams HTTP/1.1\r\nHost: gateway.internal\r\nAuthorization: Bearer "
                    + TOKEN + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII))
                    .startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void loopbackNamesAreRecognisedWithoutALookup() {
        assertThat(List.of("localhost", "LOCALHOST:80", "127.0.0.1", "127.1.2.3:9901", "[::1]:9901", "[::1]"))
                .allSatisfy(h -> assertThat(AdminApi.namesLoopback(h)).as(h).isTrue());
        assertThat(java.util.Arrays.asList("10.0.0.1:9901", "evil.example", "127.0.0.1.evil.example:80", "[::1",
                "[2001:db8::1]:80", null)).allSatisfy(h -> assertThat(AdminApi.namesLoopback(h)).as(String.valueOf(h)).isFalse());
    }

    @Test
    void offLoopbackWithoutATokenNoInstanceIsReleased() throws Exception {
        start("0.0.0.0", Optional.empty());
        assertThat(send("GET", "/api/vrrp").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/api/vrrp/VI_1/release").statusCode()).isEqualTo(403);
        assertThat(applied).isEmpty();
    }

    @Test
    void wrongPathsMethodsAndNamesAreRefusedWithoutChangingAnything() throws Exception {
        start("127.0.0.1", Optional.empty());
        assertThat(send("POST", "/api/upstreams/app/servers/127.0.0.1:9001/reboot").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/api/upstreams/app/servers/127.0.0.1:9999/drain").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/api/upstreams/other/servers/127.0.0.1:9001/drain").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/api/upstreams/app/hosts/127.0.0.1:9001/drain").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/nothing").statusCode()).isEqualTo(404);
        assertThat(rawStatusLine("POST /api/upstreams/app/servers/%zz/drain HTTP/1.1")).contains(" 400 ");
        HttpResponse<String> get = send("GET", "/api/upstreams/app/servers/127.0.0.1:9001/drain");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("allow")).contains("POST");
        assertThat(send("POST", "/api/upstreams").statusCode()).isEqualTo(405);
        assertThat(applied).isEmpty();
    }

    @Test
    void withATokenEveryCallMustPresentIt() throws Exception {
        start("127.0.0.1", Optional.of(TOKEN));
        HttpResponse<String> none = send("GET", "/api/upstreams");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate")).contains("Bearer");
        assertThat(send("POST", "/api/upstreams/app/servers/127.0.0.1:9001/drain",
                "Authorization", "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(applied).isEmpty();
        assertThat(send("POST", "/api/upstreams/app/servers/127.0.0.1:9001/drain",
                "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(applied).hasSize(1);
        // The probes an orchestrator uses stay open.
        assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void offLoopbackWithoutATokenTheApiReadsButDoesNotChange() throws Exception {
        start("0.0.0.0", Optional.empty());
        assertThat(send("GET", "/api/upstreams").statusCode()).isEqualTo(200);
        HttpResponse<String> r = send("POST", "/api/upstreams/app/servers/127.0.0.1:9001/maint");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json.readTree(r.body()).get("error").asText()).contains("needs admin.token");
        assertThat(applied).isEmpty();
    }

    @Test
    void offLoopbackATokenAllowsChanges() throws Exception {
        start("0.0.0.0", Optional.of(TOKEN));
        assertThat(send("POST", "/api/upstreams/app/servers/127.0.0.1:9001/maint",
                "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(applied).hasSize(1);
    }

    @Test
    void aChangeFromAPageOfAnotherOriginIsRefused() throws Exception {
        start("127.0.0.1", Optional.empty());
        HttpResponse<String> r = send("POST", "/api/upstreams/app/servers/127.0.0.1:9001/drain",
                "Origin", "http://evil.example");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(applied).isEmpty();
        String self = "http://127.0.0.1:" + admin.localAddress().getPort();
        assertThat(send("POST", "/api/upstreams/app/servers/127.0.0.1:9001/drain", "Origin", self).statusCode())
                .isEqualTo(200);
    }
}
