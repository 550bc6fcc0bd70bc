package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.RouteConfig;
import io.bulwark.testing.Bytes;
import io.bulwark.testing.HttpHead;
import io.bulwark.testing.EventLoops;
import io.bulwark.testing.LeakDetection;
import io.bulwark.testing.RawClient;
import io.bulwark.testing.TestBackend;
import java.util.Arrays;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(LeakDetection.class)
class ProxyBasicsTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(2);
    TestBackend backend;
    Gateway gateway;


    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private void start(TestBackend.Handler handler, Gateway.Options o) throws Exception {
        backend = TestBackend.start(handler);
        gateway = Gateway.start(loops.group(), o, List.of(backend.address()));
    }

    @Test
    void proxiesGetAndPostOnOneKeepAliveConnection() throws Exception {
        start(ex -> ex.respond(200, ex.request().method() + " " + ex.request().uri() + " " + ex.bodyText()),
                Gateway.Options.defaults());
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response get = c.exchange("GET /a?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n");
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.text()).isEqualTo("GET /a?x=1 ");
            RawClient.Response post = c.exchange(
                    "POST /b HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(post.text()).isEqualTo("POST /b hello");
            RawClient.Response chunked = c.exchange("POST /c HTTP/1.1\r\nHost: example.com\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
            assertThat(chunked.text()).isEqualTo("POST /c abcde");
        }
        assertThat(backend.connections()).isEqualTo(1);
        HttpHead chunked = backend.requests().get(2);
        assertThat(chunked.get("transfer-encoding")).isEqualTo("chunked");
    }

    @Test
    void pipelinedRequestsWithBodiesKeepTheirFraming() throws Exception {
        start(ex -> {
            String body = ex.bodyText();
            ex.respond(200, ex.request().method() + " " + ex.request().uri() + " " + body.length() + " " + body.hashCode());
        }, Gateway.Options.defaults());
        String inner = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
        String big = "b".repeat(200_000);
        String[] bodies = {"hello", inner, "", big};
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < bodies.length; i++) {
            all.append("POST /").append(i).append(" HTTP/1.1\r\nHost: a\r\nContent-Length: ")
                    .append(bodies[i].length()).append("\r\n\r\n").append(bodies[i]);
        }
        try (RawClient c = new RawClient(gateway.address())) {
            // All in one write: each body is counted off by its length, whatever it holds.
            c.send(all.toString());
            for (int i = 0; i < bodies.length; i++) {
                assertThat(c.read().text()).as("request %d", i)
                        .isEqualTo("POST /" + i + " " + bodies[i].length() + " " + bodies[i].hashCode());
            }
        }
        assertThat(backend.requests()).extracting(HttpHead::uri).containsExactly("/0", "/1", "/2", "/3");
    }

    @Test
    void responsesLongerThanOneReadFollowEachOtherOnOneConnectionAtEachEnd() throws Exception {
        // Bodies that arrive over several reads go out as the server's bytes: a head, then counted parts.
        long[] sizes = {200_000, 1, 70_000, 3 << 20, 0};
        start(ex -> ex.stream(Long.parseLong(ex.request().uri().substring(1)), 11), Gateway.Options.defaults());
        try (RawClient c = new RawClient(gateway.address())) {
            for (long size : sizes) {
                c.send("GET /" + size + " HTTP/1.1\r\nHost: a\r\n\r\n");
                HttpHead head = c.readHead();
                assertThat(head.status()).isEqualTo(200);
                assertThat(head.get("via")).isEqualTo("1.1 bulwark");
                assertThat(Bytes.digest(head.body(c.in()))).as("body of %d bytes", size)
                        .isEqualTo(Bytes.expected(size, 11));
            }
        }
        assertThat(backend.connections()).as("the server's connection was kept after each body").isEqualTo(1);
        Awaitility.await().until(() -> gateway.log.size() == sizes.length);
        assertThat(gateway.log.stream().map(AccessRecord::bytesSent).toList())
                .containsExactly(Arrays.stream(sizes).boxed().toArray(Long[]::new));
    }

    @Test
    void rewritesForwardingAndHopByHopHeaders() throws Exception {
        start(ex -> ex.respond(200, "ok", "Connection: X-Secret", "X-Secret: 1", "Keep-Alive: timeout=5",
                "Via: 1.1 origin"), Gateway.Options.defaults());
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response r = c.exchange("GET / HTTP/1.1\r\nHost: Example.com:8080\r\n"
                    + "Connection: keep-alive, X-Hop\r\nX-Hop: gone\r\nKeep-Alive: 5\r\nTE: trailers\r\n"
                    + "Trailer: X\r\nProxy-Connection: keep-alive\r\nUpgrade: h2c\r\n"
                    + "X-Forwarded-For: 10.0.0.1\r\nVia: 1.0 edge\r\nX-End: kept\r\n\r\n");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("x-secret")).isNull();
            assertThat(r.header("keep-alive")).isNull();
            assertThat(r.header("connection")).isNull();
            assertThat(r.header("via")).isEqualTo("1.1 origin, 1.1 bulwark");
        }
        HttpHead seen = backend.requests().get(0);
        assertThat(seen.get("host")).isEqualTo("Example.com:8080");
        assertThat(seen.get("x-forwarded-for")).isEqualTo("10.0.0.1, 127.0.0.1");
        assertThat(seen.get("x-forwarded-proto")).isEqualTo("http");
        assertThat(seen.get("x-forwarded-host")).isEqualTo("Example.com:8080");
        assertThat(seen.get("via")).isEqualTo("1.0 edge, 1.1 bulwark");
        assertThat(seen.get("x-end")).isEqualTo("kept");
        for (String hop : List.of("connection", "x-hop", "keep-alive", "te", "proxy-connection",
                "upgrade", "transfer-encoding")) {
            assertThat(seen.has(hop)).as(hop).isFalse();
        }
        // RFC 9110 §6.6.2: Trailer is end to end.
        assertThat(seen.get("trailer")).isEqualTo("X");
        assertThat(seen.startLine()).isEqualTo("GET / HTTP/1.1");
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterTheResponse() throws Exception {
        start(ex -> ex.respond(200, "hi"), Gateway.Options.defaults());
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response r = c.exchange("GET / HTTP/1.0\r\nHost: a\r\n\r\n");
            assertThat(r.text()).isEqualTo("hi");
            assertThat(c.closedByPeer()).isTrue();
        }
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response r = c.exchange("GET / HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n");
            assertThat(r.header("connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(backend.requests().get(1).get("via")).isEqualTo("1.0 bulwark");
            assertThat(c.exchange("GET / HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n").text())
                    .isEqualTo("hi");
        }
    }

    @Test
    void http10WithoutHostReachesTheServerWithTheUpstreamsNameAsHost() throws Exception {
        start(ex -> ex.respond(200, "hi"), Gateway.Options.defaults());
        try (RawClient c = new RawClient(gateway.address())) {
            assertThat(c.exchange("GET / HTTP/1.0\r\n\r\n").text()).isEqualTo("hi");
        }
        // HTTP/1.0 may leave Host out; the HTTP/1.1 the server gets must have one (nginx sends $proxy_host).
        io.bulwark.testing.HttpHead seen = backend.requests().get(0);
        assertThat(seen.startLine()).isEqualTo("GET / HTTP/1.1");
        assertThat(seen.getAll("host")).containsExactly("app");
        assertThat(seen.has("x-forwarded-host")).isFalse();
    }

    @Test
    void aTargetWithBytesAbove0x7fReachesTheServerAsThoseBytesOnBothPaths() throws Exception {
        start(ex -> ex.respond(200, "hi"), Gateway.Options.defaults());
        try (RawClient c = new RawClient(gateway.address())) {
            // HTTP/1.0 takes the header-map path; HTTP/1.1 the raw one, or the header-map one when it declines.
            assertThat(c.exchange("GET /\u00ff\u00e9?q=\u00e0 HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n")
                    .status()).isEqualTo(200);
            assertThat(c.exchange("GET /\u00ff\u00e9?q=\u00e0 HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
        }
        // The test server reads each byte as one character: UTF-8 would show as two each.
        assertThat(backend.requests()).extracting(io.bulwark.testing.HttpHead::uri)
                .containsExactly("/\u00ff\u00e9?q=\u00e0", "/\u00ff\u00e9?q=\u00e0");
    }

    @Test
    void connectionCloseFromClientIsHonoured() throws Exception {
        start(ex -> ex.respond(200, "hi"), Gateway.Options.defaults());
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response r = c.exchange("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void chunksAResponseWithoutLengthForHttp11Clients() throws Exception {
        start(ex -> ex.raw("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil-close"), Gateway.Options.defaults());
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response r = c.exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(r.text()).isEqualTo("until-close");
            // The client connection survives the server's close.
            assertThat(c.exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n").text()).isEqualTo("until-close");
        }
    }

    @Test
    void aChunkedResponseArrivingInPiecesReachesTheClientAsTheServerSentIt() throws Exception {
        String chunks = "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Sum: 11\r\n\r\n";
        java.util.concurrent.CountDownLatch headRelayed = new java.util.concurrent.CountDownLatch(1);
        start(ex -> {
            ex.rawKeepOpen("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks.substring(0, 10));
            // The rest only once the client has the head: later reads of the gateway's, parts of the body.
            try {
                headRelayed.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            ex.rawKeepOpen(chunks.substring(10, 24));
            ex.rawKeepOpen(chunks.substring(24));
        }, Gateway.Options.defaults());
        try (RawClient c = new RawClient(gateway.address())) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            io.bulwark.testing.HttpHead head = c.readHead();
            headRelayed.countDown();
            assertThat(head.get("transfer-encoding")).isEqualTo("chunked");
            assertThat(head.get("via")).isEqualTo("1.1 bulwark");
            // Chunk extensions and trailer fields pass as they came.
            byte[] body = c.in().readNBytes(chunks.length());
            assertThat(new String(body, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo(chunks);
            // The end was found: the connection carries the next exchange, over the same server connection.
            assertThat(c.exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n").text()).isEqualTo("hello world");
        }
        assertThat(backend.connections()).isEqualTo(1);
        // Logged as relayed, framing included (as nginx's $body_bytes_sent).
        Awaitility.await().until(() -> gateway.log.size() == 2);
        assertThat(gateway.log.peek().bytesSent()).isEqualTo(chunks.length());
    }

    @Test
    void chunkedResponseReachesHttp10ClientsDelimitedByClose() throws Exception {
        start(ex -> ex.rawKeepOpen("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"),
                Gateway.Options.defaults());
        try (RawClient c = new RawClient(gateway.address())) {
            c.send("GET / HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n");
            io.bulwark.testing.HttpHead head = c.readHead();
            assertThat(head.has("transfer-encoding")).isFalse();
            assertThat(head.get("connection")).isEqualTo("close");
            assertThat(new String(c.in().readAllBytes())).isEqualTo("abcde");
        }
    }

    @Test
    void headResponseHasNoBody() throws Exception {
        start(ex -> ex.rawKeepOpen("HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n"), Gateway.Options.defaults());
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response r = c.send("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n").read(true);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("content-length")).isEqualTo("42");
            RawClient.Response again = c.send("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n").read(true);
            assertThat(again.status()).isEqualTo(200);
        }
        assertThat(backend.connections()).isEqualTo(1);
    }

    @Test
    void routesByHostAndLongestPrefixAndAnswers404WithoutRoute() throws Exception {
        start(ex -> ex.respond(200, "app"), Gateway.Options.defaults().routes(
                new RouteConfig("api", "*.example.com", "/api", "app")));
        try (RawClient c = new RawClient(gateway.address())) {
            assertThat(c.exchange("GET /api/x HTTP/1.1\r\nHost: www.EXAMPLE.com:81\r\n\r\n").status()).isEqualTo(200);
            RawClient.Response miss = c.exchange("GET /other HTTP/1.1\r\nHost: www.example.com\r\n\r\n");
            assertThat(miss.status()).isEqualTo(404);
            assertThat(miss.header("x-bulwark-error")).isEqualTo("no_route");
            assertThat(c.exchange("GET /api HTTP/1.1\r\nHost: example.com\r\n\r\n").status()).isEqualTo(404);
            // Still usable after the gateway's own answer.
            assertThat(c.exchange("GET /api HTTP/1.1\r\nHost: a.example.com\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void writesOneAccessRecordPerRequest() throws Exception {
        start(ex -> ex.respond(201, "made"), Gateway.Options.defaults());
        try (RawClient c = new RawClient(gateway.address())) {
            c.exchange("PUT /thing HTTP/1.1\r\nHost: a\r\nUser-Agent: t\r\nContent-Length: 1\r\n\r\nx");
        }
        org.awaitility.Awaitility.await().until(() -> !gateway.log.isEmpty());
        AccessRecord r = gateway.log.peek();
        assertThat(r.method()).isEqualTo("PUT");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.upstreamStatus()).isEqualTo(201);
        assertThat(r.upstreamAddress()).isEqualTo(backend.address().getAddress().getHostAddress() + ":" + backend.port());
        assertThat(r.upstreamNanos()).isPositive();
        assertThat(r.bytesSent()).isEqualTo(4);
        assertThat(r.userAgent()).isEqualTo("t");
        assertThat(gateway.upstream.servers().get(0).inFlight()).isZero();
    }

    @Test
    void aRequestForwardedAsItsBytesIsLoggedInFull() throws Exception {
        start(ex -> ex.respond(200, "hello"), Gateway.Options.defaults());
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response r = c.exchange("GET /page?q=1 HTTP/1.1\r\nHost: Site.example\r\nReferer: /from\r\n"
                    + "User-Agent: agent/1\r\n\r\n");
            assertThat(r.text()).isEqualTo("hello");
        }
        org.awaitility.Awaitility.await().until(() -> !gateway.log.isEmpty());
        AccessRecord r = gateway.log.peek();
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.uri()).isEqualTo("/page?q=1");
        assertThat(r.protocol()).isEqualTo("HTTP/1.1");
        assertThat(r.host()).isEqualTo("Site.example");
        assertThat(r.referer()).isEqualTo("/from");
        assertThat(r.userAgent()).isEqualTo("agent/1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bytesSent()).isEqualTo(5);
    }
}
