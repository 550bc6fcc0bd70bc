package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** HTTP messages to and from bytes through Netty's own codecs, for tests that compare what a peer would see. */
final class Wire {
    private Wire() {}

    static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    /** The bytes {@code encoder} writes for {@code message}. */
    static ByteBuf encoded(ChannelHandler encoder, Object message) {
        EmbeddedChannel out = new EmbeddedChannel(encoder);
        out.writeOutbound(message);
        ByteBuf encoded = Unpooled.buffer();
        for (ByteBuf b; (b = out.readOutbound()) != null; ) {
            encoded.writeBytes(b);
            b.release();
        }
        out.finishAndReleaseAll();
        return encoded;
    }

    /** The one whole message {@code decoder} reads from {@code bytes} (released); the caller releases it. */
    static <T extends FullHttpMessage> T decodedOne(ChannelHandler decoder, ByteBuf bytes) {
        EmbeddedChannel in = new EmbeddedChannel(decoder, new HttpObjectAggregator(1 << 20));
        in.writeInbound(bytes);
        T message = in.readInbound();
        assertThat(message.decoderResult().isSuccess()).isTrue();
        assertThat((Object) in.readInbound()).as("exactly one message").isNull();
        in.finishAndReleaseAll();
        return message;
    }

    /** Fields by lower-case name, the values of repeated lines joined in order: what a list field means. */
    static Map<String, String> fields(HttpHeaders headers) {
        Map<String, String> fields = new TreeMap<>();
        for (Map.Entry<String, String> e : headers) {
            fields.merge(e.getKey().toLowerCase(Locale.ROOT), e.getValue(), (a, b) -> a + ", " + b);
        }
        return fields;
    }
}
