package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.LeakDetection;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
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
        feed(ch, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        HttpRequest first = ch.readInbound();
        assertThat(first.decoderResult().isSuccess()).isTrue();
        HttpContent content = ch.readInbound();
        assertThat(content).isInstanceOf(LastHttpContent.class);
        assertThat(content.content().toString(StandardCharsets.ISO_8859_1)).isEqualTo(body);
        content.release();
        HttpRequest second = ch.readInbound();
        assertThat(second.decoderResult().isSuccess()).isTrue();
        assertThat(second.uri()).isEqualTo("/next");
        ch.finishAndReleaseAll();
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
        decoder.headRequest(true);
        feed(ch, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
        HttpResponse r = ch.readInbound();
        assertThat(r.status().code()).isEqualTo(200);
        assertThat((Object) ch.readInbound()).isInstanceOf(LastHttpContent.class);
        decoder.headRequest(false);
        feed(ch, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertThat(((HttpResponse) ch.readInbound()).decoderResult().isSuccess()).isTrue();
        HttpContent c = ch.readInbound();
        assertThat(c.content().readableBytes()).isEqualTo(2);
        c.release();
        ch.finishAndReleaseAll();
    }
}
