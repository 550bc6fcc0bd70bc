package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.LeakDetection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The raw path for requests whose head arrived whole against the header-map path it stands in for: the
 * server must see the same request line, fields and body either way, however the body is split across
 * reads; every request it declines must be left untouched for Netty's decoder, so the checks and errors
 * there still apply.
 */
@ExtendWith(LeakDetection.class)
class WholeRequestTest {
    private static final String CLIENT = "192.0.2.7";
    private static final int MAX_LINE = 4096;
    private static final int MAX_HEADERS = 8192;

    @ParameterizedTest
    @ValueSource(strings = {
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /13?x=1 HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n",
        "HEAD /h HTTP/1.1\r\nhost: a\r\nConnection: close\r\n\r\n",
        "DELETE /d HTTP/1.1\r\nHost: a\r\nCONNECTION: Keep-Alive\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n"
                + "Upgrade: h2c\r\nProxy-Connection: keep-alive\r\nTrailer: x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-For: 10.0.0.2  \r\n"
                + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: spoofed\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For:\r\nVia:\r\n\r\n",
        "OPTIONS /o HTTP/1.1\r\nHost: a\r\nVia: 1.0 fred, 1.1 p.example\r\nVia: 1.1 q\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nIdempotency-Key: k1\r\n\r\n",
        "GET /abs HTTP/1.1\r\nHost: a\r\nX-Tab:\tv\u00e9\t\r\nCookie: a=b; c=d\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nhi",
        "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nhi",
        "PUT /u HTTP/1.1\r\ncontent-length: 32\r\nHost: a\r\nConnection: close\r\n\r\n"
                + "GET /inner HTTP/1.1\r\nHost: b\r\n\r\n",
        "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n",
        "PUT /t HTTP/1.1\r\ntransfer-encoding: Chunked\r\nHost: a\r\n\r\n5\r\nhello\r\n0\r\nX-Sum: 5\r\n\r\n",
        "PUT /e HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\nhello",
        "POST /e HTTP/1.1\r\nHost: a\r\nexpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n",
    })
    void theServerSeesWhatTheHeaderMapPathWouldSend(String request) {
        Seen mapped = headerMapPath(request);
        assertThat(rawPath(request)).isEqualTo(mapped);
        int head = request.indexOf("\r\n\r\n") + 4;
        for (int cut = head; cut < request.length(); cut++) {
            assertThat(rawPathInPieces(request, cut)).as("split at %d", cut).isEqualTo(mapped);
        }
    }

    /**
     * Requests from the list above, most of them mangled a little (bytes and framing words inserted, dropped or
     * changed): whatever the raw path takes as a whole request, Netty's decoder must take as exactly one
     * request that the server sees the same way, and the head checks must pass. Seeded, so a failure names a
     * case that can be replayed.
     */
    @Test
    void takesNothingTheHeaderMapPathWouldReadOtherwiseRandomly() throws Exception {
        String[] corpus = (String[]) getClass().getDeclaredMethod("theServerSeesWhatTheHeaderMapPathWouldSend", String.class)
                .getAnnotation(ValueSource.class).strings();
        String[] pieces = {" ", "\t", ":", ",", ";", "\r", "\n", "\r\n", "\u0000", "\u0080", "0", "5", "-", "\"",
                "Content-Length: 3\r\n", "Transfer-Encoding: chunked\r\n", "chunked", "Host: b\r\n", "HTTP/1.0", "\r\n\r\n"};
        int taken = Wire.eachTakenWhole(corpus, pieces, 5000,
                in -> WholeRequest.parse(in, new HeadLines(), MAX_LINE, MAX_HEADERS, new ChunkScanner()),
                (whole, one, what) -> {
                    ByteBuf out = whole.forServer(ByteBufAllocator.DEFAULT, CLIENT.getBytes(StandardCharsets.US_ASCII), null);
                    whole.release();
                    assertThat(seen(out)).as(what).isEqualTo(headerMapPath(one));
                });
        assertThat(taken).as("enough cases stay requests for the comparison to mean something").isGreaterThan(1000);
    }

    @Test
    void aBodyAboveTheCopyLimitRidesAlongAsASliceOfTheClientsBytes() {
        String body = "b".repeat(9000);
        String request = "POST /big HTTP/1.1\r\nHost: a\r\nContent-Length: 9000\r\n\r\n" + body;
        WholeRequest whole = parse(request);
        ByteBuf out = whole.forServer(ByteBufAllocator.DEFAULT, CLIENT.getBytes(StandardCharsets.US_ASCII), null);
        whole.release();
        assertThat(out).isInstanceOf(CompositeByteBuf.class);
        assertThat(seen(out)).isEqualTo(headerMapPath(request));
    }

    @Test
    void readsWhatRoutingRetriesAndTheLogNeed() {
        WholeRequest r = parse("GET /a?b HTTP/1.1\r\nUser-Agent: ua\r\nHost: Ex.com\r\nReferer: /r\r\n"
                + "Referer: /second\r\n\r\n");
        assertThat(r.method()).isSameAs(HttpMethod.GET);
        assertThat(r.uri()).isEqualTo("/a?b");
        assertThat(r.host()).isEqualTo("Ex.com");
        assertThat(r.referer()).isEqualTo("/r");
        assertThat(r.userAgent()).isEqualTo("ua");
        assertThat(r.close()).isFalse();
        assertThat(r.idempotent()).isTrue();
        r.release();
        WholeRequest post = parse("POST / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(post.idempotent()).isFalse();
        assertThat(post.close()).isTrue();
        assertThat(post.referer()).isNull();
        post.release();
        WholeRequest keyed = parse("PATCH / HTTP/1.1\r\nHost: a\r\nidempotency-key: 1\r\n\r\n");
        assertThat(keyed.idempotent()).isTrue();
        keyed.release();
    }

    @Test
    void takesExactlyOneRequestFromTheBuffer() {
        ByteBuf in = bytes("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.0\r\n\r\n");
        WholeRequest first = WholeRequest.parse(in, new HeadLines(), MAX_LINE, MAX_HEADERS, new ChunkScanner());
        assertThat(first.uri()).isEqualTo("/1");
        assertThat(in.toString(StandardCharsets.US_ASCII)).isEqualTo("GET /2 HTTP/1.0\r\n\r\n");
        assertThat(WholeRequest.parse(in, new HeadLines(), MAX_LINE, MAX_HEADERS, new ChunkScanner())).as("HTTP/1.0").isNull();
        first.release();
        in.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET / HTTP/1.0\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2, 2\r\n\r\nhi",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +2\r\n\r\nhi",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1234567890\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nhi",
        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET http://a/abs HTTP/1.1\r\nHost: a\r\n\r\n",
        "PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue, x\r\nContent-Length: 0\r\n\r\n",
        "PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n",
        "PUT / HTTP/1.1\r\nHost: a\r\nExpect: something-else\r\nContent-Length: 0\r\n\r\n",
        "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nConnection: x-secret\r\nX-Secret: 1\r\n\r\n",
        "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
        "PURGE / HTTP/1.1\r\nHost: a\r\n\r\n",
        "get / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nFolded: a\r\n b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
        "GET / HTTP/1.1\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\u0000\r\n\r\n",
        "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\n",
    })
    void declinesWhatItDoesNotFullyUnderstandAndLeavesTheBytes(String request) {
        ByteBuf in = bytes(request);
        assertThat(WholeRequest.parse(in, new HeadLines(), MAX_LINE, MAX_HEADERS, new ChunkScanner())).isNull();
        assertThat(in.readerIndex()).isZero();
        in.release();
    }

    @Test
    void leavesHeadsBeyondTheDecodersLimitsToIt() {
        ByteBuf longLine = bytes("GET /" + "a".repeat(MAX_LINE) + " HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(WholeRequest.parse(longLine, new HeadLines(), MAX_LINE, MAX_HEADERS, new ChunkScanner())).isNull();
        longLine.release();
        ByteBuf bigHead = bytes("GET / HTTP/1.1\r\nHost: a\r\nX: " + "b".repeat(MAX_HEADERS) + "\r\n\r\n");
        assertThat(WholeRequest.parse(bigHead, new HeadLines(), MAX_LINE, MAX_HEADERS, new ChunkScanner())).isNull();
        bigHead.release();
    }

    /** What a server's decoder makes of a request: its line, fields by lower-case name (values joined), body. */
    private record Seen(String method, String uri, String version, Map<String, String> fields, String body) {}

    private static Seen rawPath(String request) {
        WholeRequest whole = parse(request);
        ByteBuf out = whole.forServer(ByteBufAllocator.DEFAULT, CLIENT.getBytes(StandardCharsets.US_ASCII), null);
        whole.release();
        return seen(out);
    }

    /** What the server gets when the request arrives in two reads split at {@code cut} (in the body). */
    private static Seen rawPathInPieces(String request, int cut) {
        return seen(Wire.rawInPieces(new StrictRequestDecoder(new HttpDecoderConfig()), request, cut,
                head -> ((WholeRequest) head).forServer(ByteBufAllocator.DEFAULT,
                        CLIENT.getBytes(StandardCharsets.US_ASCII), null)));
    }

    /** The steps DownstreamHandler.requestHead takes. */
    private static Seen headerMapPath(String request) {
        FullHttpRequest r = Wire.decodedOne(Wire.requestDecoder(), bytes(request));
        Headers.forServer(r.headers(), CLIENT, false, false, "app");
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
        return seen(Wire.encoded(new UpstreamRequestEncoder(), r));
    }

    private static Seen seen(ByteBuf bytes) {
        FullHttpRequest r = Wire.decodedOne(new HttpRequestDecoder(), bytes);
        Seen s = new Seen(r.method().name(), r.uri(), r.protocolVersion().text(), Wire.fields(r.headers()),
                r.content().toString(StandardCharsets.ISO_8859_1));
        r.release();
        return s;
    }

    private static WholeRequest parse(String request) {
        ByteBuf in = bytes(request);
        WholeRequest whole = WholeRequest.parse(in, new HeadLines(), MAX_LINE, MAX_HEADERS, new ChunkScanner());
        assertThat(whole).as("taken whole: %s", request).isNotNull();
        assertThat(in.isReadable()).isFalse();
        in.release();
        return whole;
    }

    private static ByteBuf bytes(String s) {
        return Wire.bytes(s);
    }
}
