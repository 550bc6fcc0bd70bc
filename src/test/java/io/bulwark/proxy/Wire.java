package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.core.Clock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** HTTP messages to and from bytes through Netty's own codecs, for tests that compare what a peer would see. */
final class Wire {
    /** 1994-11-06 08:49:37 UTC, the Date both paths add in tests that compare them byte for byte. */
    static final HttpDate DATE = new HttpDate(new Clock() {
        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public long currentTimeMillis() {
            return 784_111_777_000L;
        }
    });

    private Wire() {}

    /** Netty's request decoder as the gateway configures it: repeats of one Content-Length are that length. */
    static HttpRequestDecoder requestDecoder() {
        return new HttpRequestDecoder(new HttpDecoderConfig().setAllowDuplicateContentLengths(true));
    }

    /** Netty's response decoder as the gateway configures it. */
    static HttpResponseDecoder responseDecoder() {
        return new HttpResponseDecoder(new HttpDecoderConfig().setAllowDuplicateContentLengths(true));
    }

    static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    /** {@code s} with CR, LF and NUL written out, for a failing case's description. */
    static String shown(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0");
    }

    /** What a random comparison does with a message the raw path took whole. */
    interface TakenWhole<M> {
        /** {@code bytes} are what the raw path took as {@code message}; {@code what} names the case. */
        void check(M message, String bytes, String what);
    }

    /**
     * The loop of the random comparisons of the raw and header-map paths: mangles messages of {@code corpus}
     * ({@link #mangled}; seeded by the {@code seed} property, {@code cases} of them), and for each that
     * {@code parse} takes whole checks that its bytes pass the head checks, then hands it to {@code check},
     * which must release it. Returns how many were taken, for the caller to see that enough were.
     */
    static <M extends RawMessage> int eachTakenWhole(String[] corpus, String[] pieces, int cases,
            java.util.function.Function<ByteBuf, M> parse, TakenWhole<M> check) {
        java.util.Random random = new java.util.Random(Long.getLong("seed", 20261125));
        int taken = 0;
        for (int i = 0; i < Integer.getInteger("cases", cases); i++) {
            String message = mangled(corpus[random.nextInt(corpus.length)], random, pieces);
            ByteBuf in = bytes(message);
            M whole = parse.apply(in);
            int used = in.readerIndex();
            in.release();
            if (whole == null || !whole.complete()) {
                if (whole != null) {
                    whole.release();
                }
                continue;
            }
            taken++;
            String one = message.substring(0, used);
            String what = "case " + i + ": " + shown(one);
            ByteBuf head = bytes(one);
            assertThat(new HeadScanner().screen(head)).as("%s passes the head checks", what).isNull();
            head.release();
            check.check(whole, one, what);
        }
        return taken;
    }

    /**
     * {@code s} with none to three edits at random places, each one of {@code pieces} inserted, one to three
     * characters dropped, or one character changed to the first of a piece: what the random comparisons of
     * the raw and header-map paths feed both.
     */
    static String mangled(String s, java.util.Random random, String... pieces) {
        StringBuilder b = new StringBuilder(s);
        for (int k = random.nextInt(4); k > 0 && !b.isEmpty(); k--) {
            int at = random.nextInt(b.length());
            switch (random.nextInt(3)) {
                case 0 -> b.insert(at, pieces[random.nextInt(pieces.length)]);
                case 1 -> b.delete(at, Math.min(b.length(), at + 1 + random.nextInt(3)));
                default -> b.setCharAt(at, pieces[random.nextInt(pieces.length)].charAt(0));
            }
        }
        return b.toString();
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

    /**
     * The bytes a raw path sends on when {@code message} arrives in two reads split at {@code cut}: the
     * {@link RawMessage} the decoder takes, made ready for the peer by {@code forPeer}, then its
     * {@link RawBody} parts as they are. Fails unless the head comes first and the body ends last.
     */
    static ByteBuf rawInPieces(ChannelHandler decoder, String message, int cut,
            Function<RawMessage, ByteBuf> forPeer) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ch.writeInbound(bytes(message.substring(0, cut)));
        ch.writeInbound(bytes(message.substring(cut)));
        CompositeByteBuf out = ByteBufAllocator.DEFAULT.compositeBuffer();
        boolean ended = false;
        for (Object m = ch.readInbound(); m != null; m = ch.readInbound()) {
            assertThat(ended).as("nothing after the body's end").isFalse();
            if (m instanceof RawMessage head) {
                assertThat(out.numComponents()).as("the head comes first").isZero();
                out.addComponent(true, forPeer.apply(head));
                ended = head.complete();
                head.release();
            } else {
                RawBody part = (RawBody) m;
                assertThat(out.numComponents()).as("a part follows a head").isPositive();
                out.addComponent(true, part.content().retain());
                ended = part.last();
                part.release();
            }
        }
        assertThat(ended).as("the body ended").isTrue();
        ch.finishAndReleaseAll();
        return out;
    }
}
