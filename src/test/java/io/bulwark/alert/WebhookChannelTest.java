package io.bulwark.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.bulwark.core.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhook alerts against a real HTTP server: the JSON, the HMAC signature, and what a refusal looks like. */
class WebhookChannelTest {
    private static final String SECRET = "hook-s3cret-42";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private RecordingServer server;

    /** An HTTP server on 127.0.0.1 that records each request and answers with a set status and body. */
    static final class RecordingServer implements AutoCloseable {
        /** One request as it arrived. */
        record Request(String method, URI uri, Map<String, List<String>> headers, byte[] body) {
            String header(String name) {
                List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
                return values == null ? null : values.getFirst();
            }

            String text() {
                return new String(body, StandardCharsets.UTF_8);
            }
        }

        final List<Request> requests = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        private final HttpServer http;
        volatile int status = 200;
        volatile String answer = "ok";
        volatile boolean hang;

        RecordingServer() throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/", exchange -> {
                try (exchange; InputStream in = exchange.getRequestBody()) {
                    Map<String, List<String>> headers = new TreeMap<>();
                    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT),
                            List.copyOf(v)));
                    requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI(), headers,
                            in.readAllBytes()));
                    if (hang) {
                        release.await(30, TimeUnit.SECONDS);
                    }
                    byte[] out = answer.getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
                    try (OutputStream o = exchange.getResponseBody()) {
                        o.write(out);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            http.start();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + path);
        }

        int port() {
            return http.getAddress().getPort();
        }

        Request only() {
            assertThat(requests).hasSize(1);
            return requests.getFirst();
        }

        @Override
        public void close() {
            release.countDown();
            http.stop(0);
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = new RecordingServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static Alert alert(String reason) {
        long time = Instant.parse("2026-12-07T00:41:02Z").toEpochMilli();
        return new Alert("a-7f3c", Alert.Kind.PROBLEM, Severity.CRITICAL, "gw1", time,
                List.of(new Alert.Item("upstream/app/10.0.0.5:8080", "UP", "DOWN", Severity.CRITICAL, time - 4000,
                        reason)),
                "http://127.0.0.1:9901/");
    }

    @Test
    void postsTheAlertAsJsonSignedWithHmacSha256OfTheExactBody() throws Exception {
        Alert alert = alert("L7 said \"no\" & closed — café");

        new WebhookChannel("hook", server.uri("/hook"), SECRET, TIMEOUT).deliver(alert);

        RecordingServer.Request r = server.only();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.uri().getPath()).isEqualTo("/hook");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.text()).isEqualTo(alert.toJson());
        assertThat(Alert.fromJson(r.text())).isEqualTo(alert);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(r.header("X-Bulwark-Signature"))
                .isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(r.body())));
        assertThat(r.header("X-Bulwark-Alert")).isEqualTo("a-7f3c");
    }

    @Test
    void withoutASecretTheBodyGoesUnsigned() throws Exception {
        new WebhookChannel("hook", server.uri("/hook"), null, TIMEOUT).deliver(alert("L4 refused"));

        RecordingServer.Request r = server.only();
        assertThat(r.headers()).doesNotContainKey("x-bulwark-signature");
        assertThat(r.header("X-Bulwark-Alert")).isEqualTo("a-7f3c");
    }

    @Test
    void a503IsADeliveryFailureWithTheStatusAndTheAnswer() {
        server.status = 503;
        server.answer = "{\"error\":\"busy\"}";
        WebhookChannel channel = new WebhookChannel("hook", server.uri("/hook"), SECRET, TIMEOUT);

        assertThatThrownBy(() -> channel.deliver(alert("L4 refused")))
                .isInstanceOf(DeliveryException.class)
                .hasMessage("webhook via http://127.0.0.1:" + server.port() + "/hook: 503: {\"error\":\"busy\"}")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void aLongRefusalIsCutTo200Characters() {
        server.status = 500;
        server.answer = "x".repeat(5000);
        WebhookChannel channel = new WebhookChannel("hook", server.uri("/hook"), null, TIMEOUT);

        assertThatThrownBy(() -> channel.deliver(alert("L4 refused")))
                .isInstanceOf(DeliveryException.class)
                .hasMessageEndingWith(": 500: " + "x".repeat(200));
    }

    @Test
    void aStoppedReceiverIsADeliveryFailureSayingTheConnectionFailed() {
        URI gone = server.uri("/hook");
        server.close();
        WebhookChannel channel = new WebhookChannel("hook", gone, SECRET, TIMEOUT);

        assertThatThrownBy(() -> channel.deliver(alert("L4 refused")))
                .isInstanceOf(DeliveryException.class)
                .hasMessageStartingWith("webhook via " + gone + ": cannot connect")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void aReceiverThatNeverAnswersFailsAfterTheTimeout() {
        server.hang = true;
        WebhookChannel channel = new WebhookChannel("hook", server.uri("/hook"), null, Duration.ofMillis(300));
        long started = System.nanoTime();

        assertThatThrownBy(() -> channel.deliver(alert("L4 refused")))
                .isInstanceOf(DeliveryException.class)
                .hasMessageEndingWith(": no answer within 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anEmptySecretIsRefusedRatherThanSigningWithNothing() {
        assertThatThrownBy(() -> new WebhookChannel("hook", server.uri("/hook"), "", TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hook");
    }
}
