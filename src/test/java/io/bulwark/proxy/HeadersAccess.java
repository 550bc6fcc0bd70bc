package io.bulwark.proxy;

import io.bulwark.core.Clock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Opens the package-private header rewriting to the JMH benchmarks, doing what DownstreamHandler does: on
 * header maps ({@link Headers}) and on raw heads ({@link WholeRequest}, {@link WholeResponse}).
 */
public final class HeadersAccess {
    // Scratch space, one per benchmark thread as each event loop has one.
    private static final ThreadLocal<HeadLines> LINES = ThreadLocal.withInitial(HeadLines::new);
    private static final ThreadLocal<HttpDate> DATE = ThreadLocal.withInitial(() -> new HttpDate(Clock.system()));

    private HeadersAccess() {}

    /** A whole bodyless request from {@code in} to the bytes the server gets; {@code null} if not taken. */
    public static ByteBuf rawRequest(ByteBuf in, byte[] clientIp) {
        WholeRequest r = WholeRequest.parse(in, LINES.get(), 4096, 8192, new ChunkScanner());
        if (r == null) {
            return null;
        }
        ByteBuf out = r.forServer(ByteBufAllocator.DEFAULT, clientIp, null);
        r.release();
        return out;
    }

    /** A whole response from {@code in} to the bytes a keep-alive HTTP/1.1 client gets; {@code null} if not taken. */
    public static ByteBuf rawResponse(ByteBuf in) {
        WholeResponse r = WholeResponse.parse(in, LINES.get(), new ChunkScanner());
        if (r == null) {
            return null;
        }
        ByteBuf out = r.forClient(ByteBufAllocator.DEFAULT, true, false, DATE.get().line());
        r.release();
        return out;
    }

    /** The request side: framing check, then Upgrade check, hop-by-hop out, forwarding headers in. */
    public static void rewriteRequest(HttpHeaders h, String clientIp) {
        Headers.transferEncodingAcceptable(h);
        Headers.forServer(h, clientIp, false, false, "app");
    }

    /** The response side: framing check, hop-by-hop out, Via and Date in. */
    public static void rewriteResponse(HttpResponse r) {
        Headers.transferEncodingAcceptable(r.headers());
        Headers.frameForClient(r, false, false, true, DATE.get().value());
    }
}
