package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.Config;
import io.bulwark.config.PathRules;
import io.bulwark.config.RouteConfig;
import io.bulwark.testing.EventLoops;
import io.bulwark.testing.HttpHead;
import io.bulwark.testing.LeakDetection;
import io.bulwark.testing.RawClient;
import io.bulwark.testing.TestBackend;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where the gateway differed from RFC 9110 and 9112 when it was driven beside nginx and HAProxy: the request
 * target's forms and paths, Date, Trailer, repeated Content-Length and Via. Raw bytes in; the bytes the client
 * gets and the head the server gets out. (WebSocket upgrades: {@link WebSocketTest}.)
 */
@ExtendWith(LeakDetection.class)
class ConformanceTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(2);
    /** An IMF-fixdate (RFC 9110 §5.6.7). */
    private static final String DATE = "[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT";
    TestBackend backend;
    Gateway gateway;

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    private void start(TestBackend.Handler handler, RouteConfig... routes) throws Exception {
        start(handler, PathRules.DEFAULT, routes);
    }

    private void start(TestBackend.Handler handler, PathRules paths, RouteConfig... routes) throws Exception {
        backend = TestBackend.start(handler);
        Gateway.Options options = routes.length == 0 ? Gateway.Options.defaults() : Gateway.Options.defaults().routes(routes);
        Config config = Gateway.readingPaths(Gateway.config(options, List.of(backend.address()), 0), paths);
        gateway = Gateway.start(loops.group(), config);
    }

    /** Answers with the request line it got, so the client sees what the server saw. */
    private static void echoLine(TestBackend.Exchange ex) throws IOException {
        ex.respond(200, ex.request().startLine());
    }

    private HttpHead lastSeen() {
        List<HttpHead> seen = backend.requests();
        return seen.get(seen.size() - 1);
    }

    @Test
    void anAbsoluteFormTargetIsRoutedByItsHostAndReachesTheServerInOriginForm() throws Exception {
        start(ConformanceTest::echoLine, new RouteConfig("example", "example.test", "/", "app"));
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response r = c.exchange("GET http://example.test/x?q=1 HTTP/1.1\r\nHost: other.test\r\n\r\n");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("GET /x?q=1 HTTP/1.1");
        }
        HttpHead seen = lastSeen();
        assertThat(seen.getAll("host")).containsExactly("example.test");
        assertThat(seen.get("x-forwarded-host")).isEqualTo("example.test");
        try (RawClient c = new RawClient(gateway.address())) {
            // The Host field no longer steps around the route the target names (RFC 9112 §3.2.2).
            RawClient.Response r = c.exchange("GET http://other.test/x HTTP/1.1\r\nHost: example.test\r\n\r\n");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("x-bulwark-error")).isEqualTo("no_route");
        }
        assertThat(backend.requests()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/public/../admin/x", "/%61dmin/x", "/admin/./x", "/admin/y/%2E%2E/x"})
    void routesMatchTheNormalisedPathAndTheServerGetsIt(String path) throws Exception {
        start(ConformanceTest::echoLine, new RouteConfig("admin", "*", "/admin", "app"));
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response r = c.exchange("GET " + path + "?a=/../b HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("GET /admin/x?a=/../b HTTP/1.1");
            // The header-map path (HTTP/1.0) rewrites the same way.
            r = c.exchange("GET " + path + " HTTP/1.0\r\nHost: t\r\nConnection: keep-alive\r\n\r\n");
            assertThat(r.text()).isEqualTo("GET /admin/x HTTP/1.1");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../admin/x", "/admin/../../x", "/%2e%2e/x", "/a%zz", "/x#fragment"})
    void aPathWithoutANormalFormIs400AndReachesNoServer(String path) throws Exception {
        start(ConformanceTest::echoLine);
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response r = c.exchange("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("connection")).isEqualTo("close");
        }
        assertThat(backend.requests()).isEmpty();
    }

    @Test
    void aListenerCanMergeSlashesAndForwardTheOriginalPath() throws Exception {
        start(ConformanceTest::echoLine, new PathRules(true, true, PathRules.Forward.ORIGINAL),
                new RouteConfig("admin", "*", "/admin/x", "app"));
        try (RawClient c = new RawClient(gateway.address())) {
            assertThat(c.exchange("GET //admin//./x HTTP/1.1\r\nHost: t\r\n\r\n").text())
                    .isEqualTo("GET //admin//./x HTTP/1.1");
            assertThat(c.exchange("GET /admin/y HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(404);
        }
    }

    @Test
    void withNormalizingOffRoutesMatchThePathAsReceived() throws Exception {
        start(ConformanceTest::echoLine, new PathRules(false, false, PathRules.Forward.NORMALIZED),
                new RouteConfig("admin", "*", "/admin", "app"));
        try (RawClient c = new RawClient(gateway.address())) {
            assertThat(c.exchange("GET /%61dmin HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(404);
            assertThat(c.exchange("GET /admin/../x HTTP/1.1\r\nHost: t\r\n\r\n").text())
                    .isEqualTo("GET /admin/../x HTTP/1.1");
        }
    }

    @Test
    void optionsAsteriskGoesToTheUpstreamOfTheHostsRoot() throws Exception {
        start(ConformanceTest::echoLine, new RouteConfig("api", "*", "/api", "app"),
                new RouteConfig("root", "t", "/", "app"));
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response r = c.exchange("OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("OPTIONS * HTTP/1.1");
            // Only OPTIONS has an asterisk form.
            assertThat(c.exchange("GET * HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(400);
        }
        try (RawClient c = new RawClient(gateway.address())) {
            // A host without a route for "/" has nothing to ask.
            assertThat(c.exchange("OPTIONS * HTTP/1.1\r\nHost: u\r\n\r\n").status()).isEqualTo(404);
        }
    }

    @Test
    void forwardedResponsesWithoutDateAndTheGatewaysOwnAnswersCarryOne() throws Exception {
        start(ex -> {
            switch (ex.request().uri()) {
                case "/dated" -> ex.respond(200, "ok", "Date: Sun, 06 Nov 1994 08:49:37 GMT");
                case "/old" -> ex.raw("HTTP/1.0 200 OK\r\n\r\nto the close");
                default -> ex.respond(200, "ok");
            }
        });
        try (RawClient c = new RawClient(gateway.address())) {
            c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.readRawHead()).matches(Pattern.quote("HTTP/1.1 200 X\r\nContent-Length: 2\r\nvia: 1.1 bulwark\r\ndate: ")
                    + DATE + "\r\n\r\n");
            assertThat(c.in().readNBytes(2)).isEqualTo("ok".getBytes());
            c.send("GET /dated HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.readRawHead()).isEqualTo("HTTP/1.1 200 X\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                    + "Content-Length: 2\r\nvia: 1.1 bulwark\r\n\r\n");
            c.in().readNBytes(2);
            c.send("GET /old HTTP/1.1\r\nHost: t\r\n\r\n");
            String old = c.readRawHead();
            assertThat(old).startsWith("HTTP/1.1 200 OK\r\n").containsPattern("\r\ndate: " + DATE + "\r\n");
            assertThat(Pattern.compile("\r\ndate: ", Pattern.CASE_INSENSITIVE).matcher(old).results().count()).isOne();
        }
        try (RawClient c = new RawClient(gateway.address())) {
            c.send("GET /a b HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.readRawHead()).startsWith("HTTP/1.1 400 Bad Request\r\n")
                    .containsPattern("\r\ndate: " + DATE + "\r\n");
        }
        backend.close();
        try (RawClient c = new RawClient(gateway.address())) {
            c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.readRawHead()).startsWith("HTTP/1.1 502 Bad Gateway\r\n")
                    .containsPattern("\r\ndate: " + DATE + "\r\n");
        }
    }

    /** Reads a chunked body as it came, through the end of its trailer section. */
    private static String rawChunkedBody(InputStream in) throws IOException {
        StringBuilder body = new StringBuilder();
        boolean lastChunk = false;
        while (true) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("closed in a chunked body: " + body);
                }
                line.append((char) b);
            }
            body.append(line).append('\n');
            if (lastChunk && line.toString().equals("\r")) {
                return body.toString();
            }
            if (!lastChunk && line.toString().equals("0\r")) {
                lastChunk = true;
            } else if (!lastChunk) {
                int size = Integer.parseInt(line.toString().trim().split(";")[0], 16);
                body.append(new String(in.readNBytes(size + 2), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    void trailerStaysWithTheTrailerFieldsItAnnouncesBothWays() throws Exception {
        StringBuilder serverGot = new StringBuilder();
        start(ex -> {
            serverGot.append(ex.request().chunked() ? rawChunkedBody(ex.rawIn()) : ex.bodyText());
            // Connection naming another field sends the response the header-map path's way.
            String via = ex.request().uri().equals("/mapped") ? "Connection: x-hop\r\nX-Hop: 1\r\n" : "";
            ex.rawKeepOpen("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n" + via + "Trailer: X-Sum\r\n\r\n"
                    + "3\r\nabc\r\n0\r\nX-Sum: 3\r\n\r\n");
        });
        for (String path : List.of("/raw", "/mapped")) {
            serverGot.setLength(0);
            try (RawClient c = new RawClient(gateway.address())) {
                c.send("POST " + path + " HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nTrailer: X-Req\r\n\r\n"
                        + "2\r\nhi\r\n0\r\nX-Req: 2\r\n\r\n");
                String head = c.readRawHead();
                assertThat(head).as(path).containsIgnoringCase("\r\ntrailer: X-Sum\r\n");
                assertThat(rawChunkedBody(c.in())).as(path).isEqualTo("3\r\nabc\r\n0\r\nX-Sum: 3\r\n\r\n");
            }
            assertThat(lastSeen().get("trailer")).as(path).isEqualTo("X-Req");
            assertThat(serverGot.toString()).as(path).isEqualTo("2\r\nhi\r\n0\r\nX-Req: 2\r\n\r\n");
        }
        try (RawClient c = new RawClient(gateway.address())) {
            // An HTTP/1.0 client gets no chunks, so no trailer fields, and no Trailer announcing them.
            c.send("POST /raw HTTP/1.0\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi");
            RawClient.Response r = c.read();
            assertThat(r.header("trailer")).isNull();
            assertThat(r.text()).isEqualTo("abc");
        }
    }

    @Test
    void identicalContentLengthsAreOneLengthBothWays() throws Exception {
        start(ex -> {
            String body = ex.bodyText();
            ex.rawKeepOpen("HTTP/1.1 200 OK\r\nContent-Length: 7\r\nContent-Length: 7\r\n\r\ngot " + body);
        });
        try (RawClient c = new RawClient(gateway.address())) {
            for (String version : List.of("HTTP/1.1", "HTTP/1.0")) {
                c.send("POST /p " + version + "\r\nHost: t\r\nConnection: keep-alive\r\nContent-Length: 3\r\n"
                        + "Content-Length: 3\r\n\r\nabc");
                String head = c.readRawHead();
                assertThat(head).as(version).startsWith("HTTP/1.1 200 OK\r\n");
                assertThat(Pattern.compile("content-length: 7\r\n", Pattern.CASE_INSENSITIVE).matcher(head).results()
                        .count()).as(version).isOne();
                assertThat(new String(c.in().readNBytes(7))).isEqualTo("got abc");
                assertThat(lastSeen().getAll("content-length")).as(version).containsExactly("3");
            }
        }
    }

    @Test
    void viaNamesTheVersionTheResponseCameIn() throws Exception {
        start(ex -> ex.raw("HTTP/1.0 200 OK\r\nContent-Length: 2\r\nVia: 1.1 origin\r\n\r\nok"));
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response r = c.exchange("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(r.header("via")).isEqualTo("1.1 origin, 1.0 bulwark");
        }
    }
}
