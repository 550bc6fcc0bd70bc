package io.bulwark.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.bulwark.config.ConfigLoader;
import jakarta.mail.internet.MimeMessage;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alarms through a whole gateway (two event loops, active checks and passive detection both on) to real
 * receivers: a webhook, an SMS gateway (HTTP servers of the test's own) and mail (GreenMail, a real SMTP server
 * in this process).
 */
class AlertsGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHECK_LOAD = "/usr/lib/nagios/plugins/check_load";

    @TempDir
    Path dir;
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<JsonNode> hooks = new CopyOnWriteArrayList<>();
    private final List<String> sms = new CopyOnWriteArrayList<>();
    private GreenMail mail;
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        servers.forEach(s -> s.stop(0));
        if (mail != null) {
            mail.stop();
        }
    }

    private HttpServer server(int port, String path, java.util.function.Consumer<String> body) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        s.createContext(path, ex -> {
            body.accept(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ok.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(ok);
            }
        });
        s.start();
        servers.add(s);
        return s;
    }

    private int webhook() throws Exception {
        return server(0, "/hook", b -> {
            try {
                hooks.add(JSON.readTree(b));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).getAddress().getPort();
    }

    private void start(String yaml) throws Exception {
        Path f = dir.resolve("bulwark.yaml");
        Files.writeString(f, yaml);
        gateway = Gateway.start(ConfigLoader.load(f));
    }

    private static String servers(List<Integer> ports) {
        StringBuilder b = new StringBuilder();
        for (int p : ports) {
            b.append("      - { address: \"127.0.0.1:").append(p).append("\", max_fails: 1, fail_timeout: 30s }\n");
        }
        return b.toString();
    }

    private String config(List<Integer> backends, int hook) {
        return """
                workers: 2
                listeners: [{ name: web, bind: "127.0.0.1:0" }]
                routes: [{ upstream: app }]
                upstreams:
                  app:
                    health_check: { type: http, path: /, interval: 200ms, timeout: 150ms, fall: 2, rise: 2, jitter: 0%% }
                    passive: { consecutive_failures: 1, ejection_time: 30s }
                    servers:
                %s
                admin: { bind: "127.0.0.1:0" }
                access_log: { format: "off" }
                alerts:
                  node: gw-test
                  group_wait: 2s
                  channels:
                    hook: { type: webhook, url: "http://127.0.0.1:%d/hook" }
                  rules:
                    - sources: ["upstream/**"]
                      channels: [hook]
                      notification_interval: 1h
                """.formatted(servers(backends), hook);
    }

    private static List<String> kinds(List<JsonNode> alerts) {
        return alerts.stream().map(a -> a.get("kind").asText() + " " + a.get("items").size()).toList();
    }

    @Test
    void aKilledBackendIsOneProblemAlertAndItsReturnOneRecovery() throws Exception {
        int hook = webhook();
        HttpServer backend = server(0, "/", b -> { });
        int port = backend.getAddress().getPort();
        start(config(List.of(port), hook));
        HttpClient client = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + gateway.listenerAddress("web").getPort() + "/");
        assertThat(client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);

        backend.stop(0);
        servers.remove(backend);
        // Traffic meets the dead server too: passive detection and the active checks both see it.
        for (int i = 0; i < 20; i++) {
            client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> hooks.size() == 1);
        JsonNode problem = hooks.getFirst();
        assertThat(problem.get("kind").asText()).isEqualTo("PROBLEM");
        assertThat(problem.get("node").asText()).isEqualTo("gw-test");
        assertThat(problem.get("items").get(0).get("source").asText()).isEqualTo("upstream/app/127.0.0.1:" + port);

        server(port, "/", b -> { });
        await().atMost(Duration.ofSeconds(45)).until(() -> hooks.size() == 2);
        // Nothing else follows within a group's wait: one problem, one recovery.
        await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(4)).until(() -> hooks.size() == 2);
        assertThat(kinds(hooks)).containsExactly("PROBLEM 1", "RECOVERY 1");
    }

    @Test
    void tenServersFailingWithinTheGroupWaitAreOneAlert() throws Exception {
        int hook = webhook();
        List<HttpServer> backends = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            HttpServer s = server(0, "/", b -> { });
            backends.add(s);
            ports.add(s.getAddress().getPort());
        }
        start(config(ports, hook));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(hooks::isEmpty);

        for (HttpServer s : backends) {
            s.stop(0);
            servers.remove(s);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !hooks.isEmpty());
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> hooks.size() == 1);
        JsonNode alert = hooks.getFirst();
        assertThat(alert.get("kind").asText()).isEqualTo("PROBLEM");
        assertThat(alert.get("items")).hasSize(10);
        assertThat(alert.get("summary").asText()).contains("(+7 more)");
    }

    @Test
    void theArticlesCpuLoadServiceAlertsOnceByMailAndOnceBySms() throws Exception {
        assumeThat(Files.isExecutable(Path.of(CHECK_LOAD)))
                .as("needs the Nagios plugins (Debian monitoring-plugins-basic; .ci/run installs it)").isTrue();
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        int smsPort = server(0, "/send", sms::add).getAddress().getPort();
        start("""
                listeners: [{ name: web, bind: "127.0.0.1:0" }]
                routes: [{ upstream: app }]
                upstreams: { app: { servers: [{ address: "127.0.0.1:9" }] } }
                admin: { bind: "127.0.0.1:0" }
                access_log: { format: "off" }
                monitor:
                  cpu_load:
                    type: exec
                    # The article's -w 8.0 -c 12.0, forced low: any load at all is critical.
                    command: "%s -w 0,0,0 -c 0,0,0"
                    check_interval: 300ms
                    retry_interval: 100ms
                    max_check_attempts: 2
                    timeout: 250ms
                alerts:
                  node: gw-test
                  group_wait: 500ms
                  channels:
                    ops-mail:
                      type: email
                      host: 127.0.0.1
                      port: %d
                      tls: none
                      from: bulwark@example.com
                      to: [ops@example.com]
                    ops-sms:
                      type: sms
                      url: "http://127.0.0.1:%d/send"
                      headers: { Content-Type: application/json }
                      body: '{"to":"+8613800000000","text":"{{summary}}"}'
                      max_length: 70
                  rules:
                    - sources: ["monitor/**"]
                      min_severity: critical
                      channels: [ops-mail, ops-sms]
                """.formatted(CHECK_LOAD, mail.getSmtp().getPort(), smsPort));

        await().atMost(Duration.ofSeconds(15)).until(() -> mail.getReceivedMessages().length == 1 && sms.size() == 1);
        // And nothing more: the problem lasts, and the reminder is an hour away.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> mail.getReceivedMessages().length == 1 && sms.size() == 1);
        MimeMessage m = mail.getReceivedMessages()[0];
        assertThat(mail.getReceivedMessages()).hasSize(1);
        assertThat(m.getSubject()).isEqualTo("[bulwark gw-test] PROBLEM CRITICAL: monitor/cpu_load CRITICAL");
        assertThat(m.getContent().toString()).contains("monitor/cpu_load", "LOAD CRITICAL - total load average: ");
        assertThat(sms).hasSize(1);
        JsonNode text = JSON.readTree(sms.getFirst());
        assertThat(text.get("to").asText()).isEqualTo("+8613800000000");
        assertThat(text.get("text").asText()).startsWith("PROBLEM CRITICAL monitor/cpu_load CRITICAL since ")
                .hasSizeLessThanOrEqualTo(70);
    }
}
