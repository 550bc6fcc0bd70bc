package io.bulwark.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/** The answers the gateway gives itself, one short text body per {@link Failure}, built once. */
final class ErrorResponses {
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain; charset=utf-8");
    private static final ByteBuf[] BODIES = new ByteBuf[Failure.values().length];
    private static final AsciiString[] TAGS = new AsciiString[Failure.values().length];

    static {
        for (Failure f : Failure.values()) {
            byte[] text = (f.status().code() + " " + f.status().reasonPhrase() + " (" + f.tag() + ")\n")
                    .getBytes(StandardCharsets.US_ASCII);
            // Shared by every loop: read-only and never freed, each response writes a duplicate.
            BODIES[f.ordinal()] = Unpooled.unreleasableBuffer(
                    Unpooled.directBuffer(text.length).writeBytes(text).asReadOnly());
            TAGS[f.ordinal()] = AsciiString.cached(f.tag());
        }
    }

    private ErrorResponses() {}

    /**
     * @param headRequest a HEAD request gets the headers only
     * @param close whether the connection closes after this response
     * @param date the Date field's value (see {@link HttpDate})
     */
    static FullHttpResponse of(Failure f, boolean headRequest, boolean close, AsciiString date) {
        ByteBuf body = BODIES[f.ordinal()];
        FullHttpResponse r = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, f.status(), headRequest ? Unpooled.EMPTY_BUFFER : body.duplicate());
        HttpHeaders h = r.headers();
        h.set(HttpHeaderNames.DATE, date);
        h.set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN);
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        h.set(Headers.X_BULWARK_ERROR, TAGS[f.ordinal()]);
        if (close) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }
}
