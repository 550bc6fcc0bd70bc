package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.LeakDetection;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The head checks in isolation, including heads split at awkward places across reads. */
@ExtendWith(LeakDetection.class)
class StrictDecoderTest {
    private static void feed(EmbeddedChannel ch, String s) {
        ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1));
    }

    /**
     * Sends a chunk size that is not hex, then {@code message} (a whole request or response) in the same read
     * and again in a later one: the body under way fails, and neither copy is ever read as a message.
     */
    private static void brokenSizeStopsTheReading(EmbeddedChannel ch, String message) {
        feed(ch, "zz\r\n" + message);
        LastHttpContent cut = ch.readInbound();
        assertThat(cut.decoderResult().isFailure()).isTrue();
        feed(ch, message);
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void obsFoldSplitAcrossReadsIsCaught() {
        EmbeddedChannel ch = new EmbeddedChannel(new StrictRequestDecoder(new HttpDecoderConfig()));
        feed(ch, "GET / HTTP/1.1\r\nHost: a\r\nFoo: bar\r\n");
        assertThat((Object) ch.readInbound()).isNull();
        feed(ch, " baz\r\n\r\n");
        HttpRequest r = ch.readInbound();
        assertThat(r.decoderResult().cause()).isInstanceOf(MalformedHeadException.class);
        ch.finishAndReleaseAll();
    }

    @Test
    void bodyBytesThatLookLikeFoldedLinesAreNotHeads() {
        EmbeddedChannel ch = new EmbeddedChannel(new StrictRequestDecoder(new HttpDecoderConfig()));
        String body = "x\r\n folded : no\r\n";
        // HTTP/1.0 takes Netty's path, where the scanner follows the body framing.
        feed(ch, "POST / HTTP/1.0\r\nHost: a\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        HttpRequest first = ch.readInbound();
        assertThat(first.decoderResult().isSuccess()).isTrue();
        HttpContent content = ch.readInbound();
        assertThat(content).isInstanceOf(LastHttpContent.class);
        assertThat(content.content().toString(StandardCharsets.ISO_8859_1)).isEqualTo(body);
        content.release();
        WholeRequest second = ch.readInbound();
        assertThat(second.uri()).isEqualTo("/next");
        second.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aRawRequestBodyIsCountedNeverParsed() {
        EmbeddedChannel ch = new EmbeddedChannel(new StrictRequestDecoder(new HttpDecoderConfig()));
        // The body holds a whole request of its own: only the count says where the body ends.
        String inner = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
        feed(ch, "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: " + (inner.length() + 2) + "\r\n\r\nxy");
        WholeRequest head = ch.readInbound();
        assertThat(head.contentLength()).isEqualTo(inner.length() + 2);
        assertThat(head.remaining()).isEqualTo(inner.length());
        head.release();
        feed(ch, inner.substring(0, 10));
        RawBody first = ch.readInbound();
        assertThat(first.content().toString(StandardCharsets.US_ASCII)).isEqualTo(inner.substring(0, 10));
        assertThat(first.last()).isFalse();
        first.release();
        // The body's end and the next request in one read: counted apart, the next parsed as a head.
        feed(ch, inner.substring(10) + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        RawBody rest = ch.readInbound();
        assertThat(rest.content().toString(StandardCharsets.US_ASCII)).isEqualTo(inner.substring(10));
        assertThat(rest.last()).isTrue();
        rest.release();
        WholeRequest next = ch.readInbound();
        assertThat(next.uri()).isEqualTo("/next");
        next.release();
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void aRawChunkedRequestIsFollowedToItsEndAndBrokenFramingStopsTheReading() {
        EmbeddedChannel ch = new EmbeddedChannel(new StrictRequestDecoder(new HttpDecoderConfig()));
        feed(ch, "POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab");
        WholeRequest head = ch.readInbound();
        assertThat(head.chunked()).isTrue();
        assertThat(head.complete()).isFalse();
        head.release();
        feed(ch, "c\r\n0\r\n\r\nPUT /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
        RawBody end = ch.readInbound();
        assertThat(end.content().toString(StandardCharsets.US_ASCII)).isEqualTo("c\r\n0\r\n\r\n");
        assertThat(end.last()).isTrue();
        end.release();
        WholeRequest next = ch.readInbound();
        assertThat(next.uri()).isEqualTo("/b");
        next.release();
        brokenSizeStopsTheReading(ch, "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n");
        ch.finishAndReleaseAll();
    }

    @Test
    void aClientLeavingMidBodyEndsItAsAFailedPart() {
        EmbeddedChannel ch = new EmbeddedChannel(new StrictRequestDecoder(new HttpDecoderConfig()));
        feed(ch, "PUT /a HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        WholeRequest head = ch.readInbound();
        assertThat(head.remaining()).isEqualTo(7);
        head.release();
        ch.finish();
        LastHttpContent cut = ch.readInbound();
        assertThat(cut.decoderResult().isFailure()).isTrue();
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void partialHeadIsVisibleForThe408Decision() {
        StrictRequestDecoder decoder = new StrictRequestDecoder(new HttpDecoderConfig());
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        assertThat(decoder.partialHead()).isFalse();
        feed(ch, "GET / HT");
        assertThat(decoder.partialHead()).isTrue();
        feed(ch, "TP/1.1\r\nHost: a\r\n\r\n");
        assertThat(decoder.partialHead()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void responseDecoderKnowsHeadResponsesHaveNoBody() {
        StrictResponseDecoder decoder = new StrictResponseDecoder(new HttpDecoderConfig());
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        decoder.request(true, false);
        feed(ch, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
        FullHttpResponse r = ch.readInbound();
        assertThat(r.status().code()).isEqualTo(200);
        assertThat(r.content().readableBytes()).isZero();
        decoder.request(false, false);
        feed(ch, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        WholeResponse whole = ch.readInbound();
        assertThat(whole.code()).isEqualTo(200);
        assertThat(whole.contentLength()).isEqualTo(2);
        whole.release();
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void aBodylessRequestIsOneMessageAndABodyFollowsItsHead() {
        EmbeddedChannel ch = new EmbeddedChannel(new StrictRequestDecoder(new HttpDecoderConfig()));
        // HTTP/1.0, so that the header map is built (an HTTP/1.1 one would pass as a WholeRequest).
        feed(ch, "GET /a HTTP/1.0\r\nHost: a\r\n\r\nPOST /b HTTP/1.0\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi");
        FullHttpRequest get = ch.readInbound();
        assertThat(get.uri()).isEqualTo("/a");
        assertThat(get.headers().get("Host")).isEqualTo("a");
        assertThat(get.content().readableBytes()).isZero();
        HttpRequest post = ch.readInbound();
        assertThat(post).isNotInstanceOf(FullHttpRequest.class);
        LastHttpContent body = ch.readInbound();
        assertThat(body.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hi");
        body.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aResponseBodyArrivingLaterOrInChunksIsNotHeldBack() {
        StrictResponseDecoder decoder = new StrictResponseDecoder(new HttpDecoderConfig());
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        feed(ch, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab");
        WholeResponse head = ch.readInbound();
        assertThat(head.remaining()).isEqualTo(2);
        head.release();
        assertThat((Object) ch.readInbound()).isNull();
        feed(ch, "c");
        RawBody c = ch.readInbound();
        assertThat(c.last()).isFalse();
        assertThat(c.content().toString(StandardCharsets.US_ASCII)).isEqualTo("c");
        c.release();
        // The body's last byte and the next response in one read: counted apart, the next parsed as a head.
        feed(ch, "dHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz");
        RawBody d = ch.readInbound();
        assertThat(d.last()).isTrue();
        assertThat(d.content().toString(StandardCharsets.US_ASCII)).isEqualTo("d");
        d.release();
        WholeResponse next = ch.readInbound();
        assertThat(next.remaining()).isZero();
        next.release();
        // Chunked passes as it came, followed chunk by chunk to its end.
        feed(ch, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n");
        WholeResponse chunked = ch.readInbound();
        assertThat(chunked.chunked()).isTrue();
        assertThat(chunked.complete()).isFalse();
        chunked.release();
        feed(ch, "0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        RawBody end = ch.readInbound();
        assertThat(end.last()).isTrue();
        assertThat(end.content().toString(StandardCharsets.US_ASCII)).isEqualTo("0\r\n\r\n");
        end.release();
        WholeResponse after = ch.readInbound();
        assertThat(after.complete()).isTrue();
        after.release();
        // An HTTP/1.0 client takes no chunks: Netty's way, part by part, for the encoder to unchunk.
        decoder.request(false, true);
        feed(ch, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n");
        assertThat((Object) ch.readInbound()).isNotInstanceOf(WholeResponse.class).isNotInstanceOf(FullHttpResponse.class);
        HttpContent chunk = ch.readInbound();
        assertThat(chunk).isNotInstanceOf(LastHttpContent.class);
        chunk.release();
        feed(ch, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n");
        ch.finishAndReleaseAll();
    }

    @Test
    void brokenChunkFramingEndsTheResponseAndTheConnectionsReading() {
        EmbeddedChannel ch = new EmbeddedChannel(new StrictResponseDecoder(new HttpDecoderConfig()));
        feed(ch, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
        WholeResponse head = ch.readInbound();
        head.release();
        brokenSizeStopsTheReading(ch, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        ch.finishAndReleaseAll();
    }

    @Test
    void bodyBytesOfARawResponseAreNeverReadAsAHead() {
        // A body that looks like a response must reach the client as body: only the count says where it ends.
        String inner = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        EmbeddedChannel ch = new EmbeddedChannel(new StrictResponseDecoder(new HttpDecoderConfig()));
        feed(ch, "HTTP/1.1 200 OK\r\nContent-Length: " + inner.length() + "\r\n\r\n");
        WholeResponse head = ch.readInbound();
        assertThat(head.remaining()).isEqualTo(inner.length());
        head.release();
        feed(ch, inner);
        RawBody body = ch.readInbound();
        assertThat(body.last()).isTrue();
        assertThat(body.content().toString(StandardCharsets.US_ASCII)).isEqualTo(inner);
        body.release();
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void aWholeRequestLeavesTheDecoderReadyForWhateverFollows() {
        StrictRequestDecoder decoder = new StrictRequestDecoder(new HttpDecoderConfig());
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        // The HTTP/1.0 request goes Netty's way between two raw ones.
        feed(ch, "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.0\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi"
                + "GET /3 HTTP/1.1\r\nHost: a\r\n\r\nGET /4 HTTP/1.1\r\nHo");
        WholeRequest first = ch.readInbound();
        assertThat(first.uri()).isEqualTo("/1");
        first.release();
        HttpRequest post = ch.readInbound();
        assertThat(post.uri()).isEqualTo("/2");
        LastHttpContent body = ch.readInbound();
        assertThat(body.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hi");
        body.release();
        WholeRequest third = ch.readInbound();
        assertThat(third.uri()).isEqualTo("/3");
        third.release();
        assertThat(decoder.partialHead()).isTrue();
        // A head split across reads is Netty's to finish, with its checks; the next whole one is raw again.
        feed(ch, "st: a\r\n\r\nGET /5 HTTP/1.1\r\nHost: a\r\n\r\n");
        FullHttpRequest split = ch.readInbound();
        assertThat(split.uri()).isEqualTo("/4");
        WholeRequest fifth = ch.readInbound();
        assertThat(fifth.uri()).isEqualTo("/5");
        fifth.release();
        assertThat(decoder.partialHead()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void aWholeResponseLeavesTheDecoderReadyForWhateverFollows() {
        StrictResponseDecoder decoder = new StrictResponseDecoder(new HttpDecoderConfig());
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        feed(ch, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\n!");
        WholeResponse first = ch.readInbound();
        assertThat(first.code()).isEqualTo(200);
        first.release();
        WholeResponse chunked = ch.readInbound();
        assertThat(chunked.chunked()).isTrue();
        assertThat(chunked.complete()).isTrue();
        assertThat(chunked.bodyHere()).isEqualTo("2\r\nhi\r\n0\r\n\r\n".length());
        chunked.release();
        WholeResponse third = ch.readInbound();
        assertThat(third.code()).isEqualTo(201);
        third.release();
        // A head split across reads is Netty's to finish; the response after it is whole again.
        feed(ch, "HTTP/1.1 202 Accepted\r\nContent-Le");
        assertThat((Object) ch.readInbound()).isNull();
        feed(ch, "ngth: 1\r\n\r\n!HTTP/1.1 203 OK\r\nContent-Length: 0\r\n\r\n");
        FullHttpResponse split = ch.readInbound();
        assertThat(split.status().code()).isEqualTo(202);
        split.release();
        WholeResponse last = ch.readInbound();
        assertThat(last.code()).isEqualTo(203);
        last.release();
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void commonHeaderNamesAreSharedAndKeepTheirCase() {
        EmbeddedChannel ch = new EmbeddedChannel(new StrictResponseDecoder(new HttpDecoderConfig()));
        // HTTP/1.0, so that the header map is built (an HTTP/1.1 one would pass as a WholeResponse).
        feed(ch, "HTTP/1.0 200 OK\r\nContent-Length: 0\r\ncontent-type: text/plain\r\nCONTENT-ENCODING: x\r\n"
                + "X-Custom: 1\r\n\r\n");
        FullHttpResponse r = ch.readInbound();
        java.util.List<CharSequence> names = new java.util.ArrayList<>();
        r.headers().iteratorCharSequence().forEachRemaining(e -> names.add(e.getKey()));
        assertThat(names).extracting(CharSequence::toString)
                .containsExactly("Content-Length", "content-type", "CONTENT-ENCODING", "X-Custom");
        byte[] head = "Content-Length".getBytes(StandardCharsets.US_ASCII);
        assertThat((Object) names.get(0)).isSameAs(KnownHeaderNames.find(head, 0, head.length));
        byte[] shouted = "CONTENT-ENCODING".getBytes(StandardCharsets.US_ASCII);
        assertThat((Object) KnownHeaderNames.find(shouted, 0, shouted.length)).as("only the usual spellings").isNull();
        r.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aTrailerThatWouldFrameTheRequestFailsItsBodyOnNettysPathToo() {
        // A head split across reads goes to Netty's decoder, which would drop the field and go on.
        for (String trailer : new String[] {"Content-Length: 3", "transfer-encoding: chunked", "TRAILER: x"}) {
            EmbeddedChannel ch = new EmbeddedChannel(new StrictRequestDecoder(new HttpDecoderConfig()));
            feed(ch, "POST / HTTP/1.1\r\nHost: a\r\n");
            feed(ch, "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n" + trailer + "\r\n\r\n");
            HttpRequest head = ch.readInbound();
            assertThat(head).isNotInstanceOf(WholeRequest.class);
            assertThat(head.decoderResult().isSuccess()).isTrue();
            LastHttpContent end = lastOf(ch);
            assertThat(end.decoderResult().isFailure()).as(trailer).isTrue();
            end.release();
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void otherTrailersPassOnNettysPath() {
        EmbeddedChannel ch = new EmbeddedChannel(new StrictRequestDecoder(new HttpDecoderConfig()));
        feed(ch, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n");
        feed(ch, "\r\nPOST / HTTP/1.1\r\nHost: a\r\n");
        FullHttpRequest first = ch.readInbound();
        assertThat(first.headers().get("content-length")).as("a head's own Content-Length is no trailer").isEqualTo("0");
        first.release();
        feed(ch, "Transfer-Encoding: chunked\r\n\r\n0\r\nX-Sum: 1\r\n\r\n");
        HttpRequest head = ch.readInbound();
        assertThat(head.decoderResult().isSuccess()).isTrue();
        LastHttpContent end = lastOf(ch);
        assertThat(end.decoderResult().isSuccess()).isTrue();
        assertThat(end.trailingHeaders().get("x-sum")).isEqualTo("1");
        end.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aTrailerThatWouldFrameTheResponseFailsItsBodyForAnHttp10Client() {
        StrictResponseDecoder decoder = new StrictResponseDecoder(new HttpDecoderConfig());
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        decoder.request(false, true); // an HTTP/1.0 client: the chunks are decoded by Netty's decoder
        feed(ch, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nContent-Length: 9\r\n\r\n");
        HttpResponse head = ch.readInbound();
        assertThat(head.decoderResult().isSuccess()).isTrue();
        LastHttpContent end = lastOf(ch);
        assertThat(end.decoderResult().isFailure()).isTrue();
        end.release();
        ch.finishAndReleaseAll();
    }

    /** Reads past the body's parts to its end marker, releasing the parts. */
    private static LastHttpContent lastOf(EmbeddedChannel ch) {
        for (Object m = ch.readInbound(); m != null; m = ch.readInbound()) {
            if (m instanceof LastHttpContent last) {
                return last;
            }
            io.netty.util.ReferenceCountUtil.release(m);
        }
        throw new AssertionError("no end of the body");
    }
}
