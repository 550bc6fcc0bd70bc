package io.bulwark.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bulwark.core.Threshold;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final IntPredicate SUCCESS_OR_REDIRECT = code -> code >= 200 && code <= 399;
    private static final Threshold ANY = Threshold.parse("@0:");

    private HttpServer server;
    private ExecutorService handlers;
    private String base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        handlers = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(handlers);
        server.createContext("/ok", exchange -> respond(exchange, 200, 612));
        server.createContext("/down", exchange -> respond(exchange, 503, 20));
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "/ok");
            respond(exchange, 302, 0);
        });
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, 1);
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        // Interrupts the slow handler's sleep, so no handler outlives the test.
        handlers.shutdownNow();
    }

    private static void respond(HttpExchange exchange, int code, int size) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(code, size == 0 ? -1 : size);
            if (size > 0) {
                exchange.getResponseBody().write(new byte[size]);
            }
        }
    }

    private HttpProbe probe(Levels levels, String path) {
        return new HttpProbe(levels, URI.create(base + path), SUCCESS_OR_REDIRECT, "200-399");
    }

    @Test
    void expectedStatusIsOkWithTimeAndSize() throws Exception {
        Levels roomy = new Levels(Threshold.parse("1000"), Threshold.parse("2000"));

        CheckResult result = probe(roomy, "/ok").run(TIMEOUT);

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.text()).matches("HTTP OK - 200 in \\d+\\.\\d\\d ms, 612 bytes");
        assertThat(result.perfData()).hasSize(2);
        assertThat(result.perfData().getFirst()).satisfies(d -> {
            assertThat(d.label()).isEqualTo("time");
            assertThat(d.unit()).isEqualTo("ms");
            assertThat(d.value()).isBetween(0.0, 2000.0);
            assertThat(d.warn()).isEqualTo("1000");
            assertThat(d.crit()).isEqualTo("2000");
            assertThat(d.min()).isEqualTo(0.0);
        });
        assertThat(result.perfData().get(1)).isEqualTo(new PerfDatum("size", 612, "B", null, null, 0.0, null));
    }

    @Test
    void levelsApplyToTheMilliseconds() throws Exception {
        assertThat(probe(new Levels(ANY, null), "/ok").run(TIMEOUT).status()).isEqualTo(Status.WARNING);
        assertThat(probe(new Levels(ANY, ANY), "/ok").run(TIMEOUT).text()).startsWith("HTTP CRITICAL - 200 in ");
    }

    @Test
    void refusedStatusIsCriticalSayingWhatWasExpected() throws Exception {
        CheckResult result = probe(Levels.NONE, "/down").run(TIMEOUT);

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.text()).isEqualTo("HTTP CRITICAL - 503 from " + base + "/down: expected 200-399");
    }

    @Test
    void redirectIsNotFollowed() throws Exception {
        HttpProbe only200 = new HttpProbe(Levels.NONE, URI.create(base + "/moved"), code -> code == 200, "200");

        assertThat(probe(Levels.NONE, "/moved").run(TIMEOUT).text()).matches("HTTP OK - 302 in .* ms, 0 bytes");
        assertThat(only200.run(TIMEOUT).text()).isEqualTo("HTTP CRITICAL - 302 from " + base + "/moved: expected 200");
    }

    @Test
    void responseSlowerThanTheTimeoutIsCriticalWithoutWaitingForIt() throws Exception {
        long start = System.nanoTime();

        CheckResult result = probe(Levels.NONE, "/slow").run(Duration.ofMillis(200));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.text()).isEqualTo("HTTP CRITICAL - " + base + "/slow: timed out after 200 ms");
    }

    @Test
    void closedPortIsCriticalRefused() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + port + "/");

        CheckResult result = new HttpProbe(Levels.NONE, url, SUCCESS_OR_REDIRECT, "200-399").run(TIMEOUT);

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.text()).isEqualTo("HTTP CRITICAL - " + url + ": connection refused");
    }

    @Test
    void urlHttpClientCannotFetchIsRefusedAtConstruction() {
        URI ftp = URI.create("ftp://127.0.0.1/");

        assertThatThrownBy(() -> new HttpProbe(Levels.NONE, ftp, SUCCESS_OR_REDIRECT, "200-399"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
