package io.bulwark.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Opens the package-private header rewriting to the JMH benchmarks, doing what DownstreamHandler does: on
 * header maps ({@link Headers}) and on raw heads ({@link WholeRequest}, {@link WholeResponse}).
 */
public final class HeadersAccess {
    // Scratch space, one per benchmark thread as each event loop has one.
    private static final ThreadLocal<HeadLines> LINES = ThreadLocal.withInitial(HeadLines::new);

    private HeadersAccess() {}

    /** A whole bodyless request from {@code in} to the bytes the server gets; {@code null} if not taken. */
    public static ByteBuf rawRequest(ByteBuf in, byte[] clientIp) {
        WholeRequest r = WholeRequest.parse(in, LINES.get(), 4096, 8192, new ChunkScanner());
        if (r == null) {
            return null;
        }
        ByteBuf out = r.forServer(ByteBufAllocator.DEFAULT, clientIp);
        r.release();
        return out;
    }

    /** A whole response from {@code in} to the bytes a keep-alive HTTP/1.1 client gets; {@code null} if not taken. */
    public static ByteBuf rawResponse(ByteBuf in) {
        WholeResponse r = WholeResponse.parse(in, LINES.get(), new ChunkScanner());
        if (r == null) {
            return null;
        }
        ByteBuf out = r.forClient(ByteBufAllocator.DEFAULT, true, false);
        r.release();
        return out;
    }

    /** The request side: framing check, then Upgrade check, hop-by-hop out, forwarding headers in. */
    public static void rewriteRequest(HttpHeaders h, String clientIp) {
        Headers.transferEncodingAcceptable(h);
        Headers.forServer(h, clientIp, false, false, "app");
    }

    /** The response side: framing check, hop-by-hop out, Via in. */
    public static void rewriteResponse(HttpHeaders h) {
        Headers.transferEncodingAcceptable(h);
        Headers.removeHopByHop(h, false);
        Headers.appendVia(h);
    }
}
