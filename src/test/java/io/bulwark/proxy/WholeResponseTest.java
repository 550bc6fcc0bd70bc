package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.LeakDetection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The raw path for whole responses against the header-map path it stands in for: for every response it
 * takes, the client must see the same status, fields and body either way; every response it declines must
 * be left untouched for Netty's decoder.
 */
@ExtendWith(LeakDetection.class)
class WholeResponseTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nDate: Mon, 07 Nov 1994 08:49:37 GMT\r\ncontent-length: 2\r\n\r\nok",
        "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 404 Not Found\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
                + "Connection: keep-alive\r\nKeep-Alive: timeout=5\r\nETag: \"a\"\r\n\r\nnop",
        "HTTP/1.1 503 Unavailable\r\nconnection: Close\r\ncontent-length: 1\r\n\r\n!",
        "HTTP/1.1 200 OK\r\nCONNECTION: keep-alive, close\r\nContent-Length:   4  \r\n\r\nbody",
        "HTTP/1.1 200 OK\r\nVia: 1.0 fred\r\nContent-Length: 0\r\nvia: 1.1 nowhere.com  \r\n\r\n",
        "HTTP/1.1 200 OK\r\nVia:\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTE: trailers\r\nTrailer: x\r\nUpgrade: h2c\r\nProxy-Connection: keep-alive\r\n"
                + "Content-Length: 0\r\nX-Tab:\tv\u00e9\t\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 20000\r\nX-A: 1\r\n\r\n<20000 x>",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 201 Created\r\ntransfer-encoding: Chunked\r\nTrailer: X-Sum\r\nConnection: close\r\n\r\n"
                + "3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nX-Sum: 5\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4e20\r\n<20000 x>\r\n0\r\n\r\n",
    })
    void theClientSeesWhatTheHeaderMapPathWouldSend(String template) {
        // A body too large to copy behind the head: the raw path appends the server's bytes as a slice.
        String response = template.replace("<20000 x>", "x".repeat(20_000));
        boolean chunked = response.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked");
        for (boolean keepAlive : new boolean[] {true, false}) {
            for (boolean http10 : new boolean[] {true, false}) {
                if (chunked && http10) {
                    ByteBuf in = bytes(response);
                    assertThat(WholeResponse.parse(in, new HeadLines(), null)).as("no chunks for HTTP/1.0").isNull();
                    in.release();
                    continue;
                }
                Seen raw = rawPath(response, keepAlive, http10);
                Seen mapped = headerMapPath(response, keepAlive, http10);
                assertThat(raw).as("keepAlive=%s http10=%s", keepAlive, http10).isEqualTo(mapped);
                // The same response with its body still arriving: head first, the rest in counted parts.
                int headEnd = response.indexOf("\r\n\r\n") + 4;
                for (int cut : new int[] {headEnd, (headEnd + response.length() + 1) / 2}) {
                    Seen pieces = rawPathInPieces(response, cut, keepAlive, http10);
                    assertThat(pieces).as("cut at %d, keepAlive=%s http10=%s", cut, keepAlive, http10)
                            .isEqualTo(mapped);
                }
            }
        }
    }

    /**
     * Responses from the list above, most of them mangled a little: whatever the raw path takes as a whole
     * response, Netty's decoder must take as exactly one response that the client sees the same way, and the
     * head checks must pass. Seeded, so a failure names a case that can be replayed.
     */
    @Test
    void takesNothingTheHeaderMapPathWouldReadOtherwiseRandomly() throws Exception {
        String[] corpus = getClass().getDeclaredMethod("theClientSeesWhatTheHeaderMapPathWouldSend", String.class)
                .getAnnotation(ValueSource.class).strings();
        String[] pieces = {" ", "\t", ":", ",", ";", "\r", "\n", "\r\n", "\u0000", "\u0080", "0", "5", "-", "\"",
                "Content-Length: 3\r\n", "Transfer-Encoding: chunked\r\n", "chunked", "Connection: close\r\n",
                "HTTP/1.0", "\r\n\r\n"};
        String[] bodied = java.util.Arrays.stream(corpus).map(r -> r.replace("<20000 x>", "x".repeat(300)))
                .toArray(String[]::new);
        int taken = Wire.eachTakenWhole(bodied, pieces, 5000,
                in -> WholeResponse.parse(in, new HeadLines(), new ChunkScanner()),
                (whole, one, what) -> {
                    boolean keepAlive = one.length() % 2 == 0; // either way, without a second random stream
                    ByteBuf out = whole.forClient(ByteBufAllocator.DEFAULT, keepAlive, false, Wire.DATE.line());
                    whole.release();
                    assertThat(seen(out)).as(what).isEqualTo(headerMapPath(one, keepAlive, false));
                });
        assertThat(taken).as("enough cases stay responses for the comparison to mean something").isGreaterThan(1000);
    }

    @Test
    void takesAHeadWhoseBodyIsStillArrivingWithWhatIsHereOfIt() {
        ByteBuf in = bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc");
        WholeResponse head = WholeResponse.parse(in, new HeadLines(), new ChunkScanner());
        assertThat(head.contentLength()).isEqualTo(5);
        assertThat(head.remaining()).isEqualTo(2);
        assertThat(in.isReadable()).isFalse();
        ByteBuf out = head.forClient(ByteBufAllocator.DEFAULT, true, false, Wire.DATE.line());
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).endsWith("\r\n\r\nabc");
        out.release();
        head.release();
        in.release();
    }

    @Test
    void serverConnectionStateAndLengthAreRead() {
        WholeResponse close = parse("HTTP/1.1 502 Bad\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc");
        assertThat(close.code()).isEqualTo(502);
        assertThat(close.serverKeepsAlive()).isFalse();
        assertThat(close.contentLength()).isEqualTo(3);
        close.release();
        WholeResponse open = parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertThat(open.serverKeepsAlive()).isTrue();
        open.release();
    }

    @Test
    void takesExactlyOneResponseFromTheBuffer() {
        ByteBuf in = bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 204 No Content\r\n\r\n");
        WholeResponse first = WholeResponse.parse(in, new HeadLines(), new ChunkScanner());
        assertThat(first.contentLength()).isEqualTo(2);
        assertThat(in.toString(StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 204 No Content\r\n\r\n");
        assertThat(WholeResponse.parse(in, new HeadLines(), new ChunkScanner())).as("204 is the decoder's").isNull();
        first.release();
        in.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "HTTP/1.1 200 OK\r\nContent-Length: 1, 1\r\n\r\na",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 9999999999\r\n\r\n",
        "HTTP/1.1 200 OK\r\nConnection: x-secret\r\nX-Secret: 1\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nConnection: upgrade\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 204 No Content\r\n\r\n",
        "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n",
        "HTTP/1.1 205 Reset Content\r\nContent-Length: 5\r\n\r\nhello",
        "HTTP/1.1 100 Continue\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nFolded: a\r\n b\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nBad Name: a\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0\nX: a\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX: a\u0001b\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX: a\rb\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",
        "\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n",
    })
    void declinesWhatItDoesNotFullyUnderstandAndLeavesTheBytes(String response) {
        ByteBuf in = bytes(response);
        assertThat(WholeResponse.parse(in, new HeadLines(), new ChunkScanner())).isNull();
        assertThat(in.readerIndex()).isZero();
        in.release();
    }

    @Test
    void declinesHeadsLongerThanTheDecodersLimit() {
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Long: " + "a".repeat(WholeResponse.MAX_HEAD) + "\r\n\r\n";
        ByteBuf in = bytes(head);
        assertThat(WholeResponse.parse(in, new HeadLines(), new ChunkScanner())).isNull();
        in.release();
        StringBuilder many = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n");
        for (int i = 0; i < 70; i++) {
            many.append("X-").append(i).append(": v\r\n");
        }
        ByteBuf lines = bytes(many.append("\r\n").toString());
        assertThat(WholeResponse.parse(lines, new HeadLines(), new ChunkScanner())).isNull();
        lines.release();
    }

    /** What a client's decoder makes of a response: status, fields by lower-case name (values joined), body. */
    private record Seen(int code, String version, Map<String, String> fields, String body) {}

    private static Seen rawPath(String response, boolean keepAlive, boolean http10) {
        WholeResponse whole = parse(response);
        ByteBuf out = whole.forClient(ByteBufAllocator.DEFAULT, keepAlive, http10, Wire.DATE.line());
        whole.release();
        return seen(out);
    }

    /** What the client gets when the response arrives in two reads split at {@code cut} (after the head). */
    private static Seen rawPathInPieces(String response, int cut, boolean keepAlive, boolean http10) {
        return seen(Wire.rawInPieces(new StrictResponseDecoder(new HttpDecoderConfig()), response, cut,
                head -> ((WholeResponse) head).forClient(ByteBufAllocator.DEFAULT, keepAlive, http10, Wire.DATE.line())));
    }

    /** The steps DownstreamHandler.responseHead takes for a response with a Content-Length. */
    private static Seen headerMapPath(String response, boolean keepAlive, boolean http10) {
        FullHttpResponse r = Wire.decodedOne(Wire.responseDecoder(), bytes(response));
        Headers.frameForClient(r, false, http10, keepAlive, Wire.DATE.value());
        return seen(Wire.encoded(new HttpResponseEncoder(), r));
    }

    private static Seen seen(ByteBuf bytes) {
        FullHttpResponse r = Wire.decodedOne(new HttpResponseDecoder(), bytes);
        Seen s = new Seen(r.status().code(), r.protocolVersion().text(), Wire.fields(r.headers()),
                r.content().toString(StandardCharsets.ISO_8859_1));
        r.release();
        return s;
    }

    private static WholeResponse parse(String response) {
        ByteBuf in = bytes(response);
        WholeResponse whole = WholeResponse.parse(in, new HeadLines(), new ChunkScanner());
        assertThat(whole).as("taken whole: %s", response).isNotNull();
        assertThat(in.isReadable()).isFalse();
        in.release();
        return whole;
    }

    private static ByteBuf bytes(String s) {
        return Wire.bytes(s);
    }
}
