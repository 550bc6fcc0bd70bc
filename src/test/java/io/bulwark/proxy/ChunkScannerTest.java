package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chunked-body follower against Netty's decoder: where a body ends must not depend on how its bytes are
 * split across reads, must be where Netty's decoder says it ends, and bytes after it are not the body's.
 */
class ChunkScannerTest {
    private static final String NEXT = "HTTP/1.1 204 No Content\r\n\r\n";

    @ParameterizedTest
    @ValueSource(strings = {
        "0\r\n\r\n",
        "5\r\nhello\r\n0\r\n\r\n",
        "5\r\nhe\r\n\r\r\n0\r\n\r\n",
        "a\r\n0123456789\r\nA\r\nabcdefghij\r\n0\r\n\r\n",
        "000F\r\n0\r\n\r\n0123456789\r\n0\r\n\r\n",
        "3;name=value\r\nabc\r\n0; last\r\n\r\n",
        "3 \t;x\r\nabc\r\n0\r\n\r\n",
        "3;x=\"a b\";y=\"q\\\"q\" ;z=t\"k\r\nabc\r\n0;n;m\r\n\r\n",
        "2\r\nok\r\n0\r\nExpires: never\r\nX-Sum: 1, 2\r\n\r\n",
        "1\r\n\r\r\n0\r\nX-Empty:\r\n\r\n",
        "3;;x\r\nabc\r\n0;a;b\r\n\r\n",
    })
    void findsTheEndWhereNettyDoesHoweverTheBytesAreSplit(String body) {
        assertThat(nettyEndsItBeforeTheNextResponse(body)).as("Netty ends it there").isTrue();
        ByteBuf bytes = Unpooled.copiedBuffer(body + NEXT, StandardCharsets.ISO_8859_1);
        for (int cut = 0; cut <= body.length(); cut++) {
            ChunkScanner scanner = new ChunkScanner();
            int first = scanner.scan(bytes, 0, cut);
            assertThat(first).as("split at %d", cut).isEqualTo(cut);
            assertThat(scanner.done()).as("ended at %d", cut).isEqualTo(cut == body.length());
            int second = scanner.scan(bytes, cut, bytes.writerIndex());
            assertThat(cut + second).as("the body's length, split at %d", cut).isEqualTo(body.length());
            assertThat(scanner.done()).isTrue();
        }
        // Byte by byte, as the slowest server would send it.
        ChunkScanner scanner = new ChunkScanner();
        int taken = 0;
        for (int i = 0; i < bytes.writerIndex() && !scanner.done(); i++) {
            taken += scanner.scan(bytes, i, i + 1);
        }
        assertThat(taken).isEqualTo(body.length());
        bytes.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\r\n",
        "x\r\n",
        "5x\r\nhello\r\n0\r\n\r\n",
        "-5\r\nhello\r\n0\r\n\r\n",
        "5\nhello\r\n0\r\n\r\n",
        "5\r\nhelloX\r\n0\r\n\r\n",
        "5\r\nhello\n0\r\n\r\n",
        "80000000\r\n",
        "3 \r\nabc\r\n0\r\n\r\n",
        "3 x\r\nabc\r\n0\r\n\r\n",
        "3;x=\r\nabc\r\n0\r\n\r\n",
        "3;x=(\r\nabc\r\n0\r\n\r\n",
        "3;x=\"open\r\nabc\r\n0\r\n\r\n",
        "0\r\n\n",
        "0\r\nNoColon\r\n\r\n",
        "0\r\n folded: x\r\n\r\n",
        "0\r\nName : x\r\n\r\n",
        "0\r\n: x\r\n\r\n",
        "0\r\nX: a\u0000b\r\n\r\n",
        "3;a\u0001\r\nabc\r\n0\r\n\r\n",
        "0\r\nX;y: 1\r\n\r\n",
    })
    void refusesBrokenFraming(String body) {
        ByteBuf bytes = Unpooled.copiedBuffer(body, StandardCharsets.ISO_8859_1);
        ChunkScanner scanner = new ChunkScanner();
        assertThat(scanner.scan(bytes, 0, bytes.writerIndex())).isEqualTo(ChunkScanner.ERROR);
        assertThat(scanner.done()).isFalse();
        assertThat(scanner.scan(bytes, 0, bytes.writerIndex())).as("stays refused").isEqualTo(ChunkScanner.ERROR);
        bytes.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length", "content-length", "TRANSFER-ENCODING", "Trailer"})
    void refusesATrailerThatWouldFrameTheMessageHoweverTheBytesAreSplit(String name) {
        String body = "2\r\nok\r\n0\r\nX-Sum: 1\r\n" + name + ": 5\r\n\r\n";
        ByteBuf bytes = Unpooled.copiedBuffer(body, StandardCharsets.ISO_8859_1);
        int nameAt = body.indexOf(name);
        for (int cut = nameAt; cut <= nameAt + name.length(); cut++) {
            ChunkScanner scanner = new ChunkScanner();
            assertThat(scanner.scan(bytes, 0, cut)).as("before the colon, split at %d", cut).isEqualTo(cut);
            assertThat(scanner.scan(bytes, cut, bytes.writerIndex())).as("split at %d", cut).isEqualTo(ChunkScanner.ERROR);
        }
        bytes.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Lengths", "Content-Lengt", "Trailers", "Host", "X-Content-Length", "TE"})
    void namesThatOnlyResembleAFramingFieldPass(String name) {
        String body = "0\r\n" + name + ": 5\r\n\r\n";
        ByteBuf bytes = Unpooled.copiedBuffer(body, StandardCharsets.ISO_8859_1);
        ChunkScanner scanner = new ChunkScanner();
        assertThat(scanner.scan(bytes, 0, bytes.writerIndex())).isEqualTo(body.length());
        assertThat(scanner.done()).isTrue();
        bytes.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5\r\nhel", "5\r\nhello\r\n", "0\r\n", "0\r\nX: 1\r\n", "3;ext", "7fffffff\r\n"})
    void anUnfinishedBodyIsAllBodySoFar(String body) {
        ByteBuf bytes = Unpooled.copiedBuffer(body, StandardCharsets.ISO_8859_1);
        ChunkScanner scanner = new ChunkScanner();
        assertThat(scanner.scan(bytes, 0, bytes.writerIndex())).isEqualTo(body.length());
        assertThat(scanner.done()).isFalse();
        bytes.release();
    }

    @org.junit.jupiter.api.Test
    void aSizeLineOrTrailerSectionPastTheLimitIsRefused() {
        for (String body : new String[] {"3;" + "e".repeat(9000) + "\r\n", "0\r\nX: " + "v".repeat(9000) + "\r\n"}) {
            ByteBuf bytes = Unpooled.copiedBuffer(body, StandardCharsets.ISO_8859_1);
            assertThat(new ChunkScanner().scan(bytes, 0, bytes.writerIndex())).isEqualTo(ChunkScanner.ERROR);
            bytes.release();
        }
        ByteBuf under = Unpooled.copiedBuffer("3;" + "e".repeat(8000) + "\r\nabc\r\n0\r\n\r\n", StandardCharsets.ISO_8859_1);
        ChunkScanner scanner = new ChunkScanner();
        assertThat(scanner.scan(under, 0, under.writerIndex())).isEqualTo(under.writerIndex());
        assertThat(scanner.done()).isTrue();
        under.release();
    }

    /**
     * Random chunked bodies, most of them mangled a little: wherever the scanner says a body ends, Netty's
     * decoder must end it at the same byte (the scanner may refuse more, never end elsewhere). Seeded, so a
     * failure names a case that can be replayed.
     */
    @org.junit.jupiter.api.Test
    void endsNoBodyWhereNettyWouldNotRandomly() {
        java.util.Random random = new java.util.Random(20261125);
        int ended = 0;
        for (int i = 0; i < 3000; i++) {
            String body = Wire.mangled(randomBody(random), random,
                    "\r", "\n", " ", "\t", ";", ":", "=", "\"", "\\", "0", "a", "F", "G", "\u0000", "\u0080", "x");
            ByteBuf bytes = Unpooled.copiedBuffer(body, StandardCharsets.ISO_8859_1);
            ChunkScanner scanner = new ChunkScanner();
            int n = scanner.scan(bytes, 0, bytes.writerIndex());
            bytes.release();
            if (n != ChunkScanner.ERROR && scanner.done()) {
                ended++;
                String taken = body.substring(0, n);
                assertThat(nettyEndsItBeforeTheNextResponse(taken)).as("case %d: %s", i, Wire.shown(taken)).isTrue();
            }
        }
        // Enough of the cases stay bodies for the comparison to mean something.
        assertThat(ended).isGreaterThan(500);
    }

    private static String randomBody(java.util.Random r) {
        StringBuilder b = new StringBuilder();
        int chunks = r.nextInt(3);
        for (int c = 0; c < chunks; c++) {
            int size = 1 + r.nextInt(20);
            String hex = Integer.toHexString(size);
            b.append(r.nextBoolean() ? hex : hex.toUpperCase()).append(r.nextInt(4) == 0 ? ";x=" + r.nextInt(9) : "")
                    .append("\r\n").append("d".repeat(size)).append("\r\n");
        }
        b.append(r.nextInt(5) == 0 ? "000" : "0").append("\r\n");
        String[] names = {"X-Sum", "Expires", "Content-Length", "trailer", "Content-Type", "TE"};
        for (int t = r.nextInt(3); t > 0; t--) {
            b.append(names[r.nextInt(names.length)]).append(": ").append(r.nextInt(100)).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    /** Whether Netty's decoder ends the chunked body cleanly and reads {@link #NEXT} as the next response. */
    private static boolean nettyEndsItBeforeTheNextResponse(String body) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseDecoder());
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        ch.writeInbound(Unpooled.copiedBuffer(head + body + NEXT, StandardCharsets.ISO_8859_1));
        boolean ended = false;
        int nextStatus = 0;
        for (Object m = ch.readInbound(); m != null; m = ch.readInbound()) {
            if (m instanceof HttpContent c) {
                ended |= c instanceof LastHttpContent && c.decoderResult().isSuccess();
            }
            if (ended && m instanceof HttpResponse r && r.decoderResult().isSuccess()) {
                nextStatus = r.status().code();
            }
            ReferenceCountUtil.release(m);
        }
        ch.finishAndReleaseAll();
        return ended && nextStatus == 204;
    }
}
