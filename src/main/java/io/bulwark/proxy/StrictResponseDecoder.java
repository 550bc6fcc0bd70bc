package io.bulwark.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Netty's response decoder plus the head checks it is lenient about, and told per request whether the
 * response can have a body (a HEAD request's cannot), which a response alone does not say. A final response
 * whose body arrived with its head comes out as one {@link FullHttpResponse}. The common response comes out
 * as its own bytes instead: a {@link WholeResponse}, then {@link RawBody} parts for the rest of its body
 * (see {@link RawFraming}).
 */
final class StrictResponseDecoder extends HttpResponseDecoder {
    private final HeadScanner scanner = new HeadScanner();
    private final HeadLines lines;
    // The body of a response whose head went out as a WholeResponse.
    private final RawFraming rawBody = new RawFraming();
    private boolean headRequest;
    private boolean http10Client;

    StrictResponseDecoder(HttpDecoderConfig config) {
        this(config, new HeadLines());
    }

    /** With the event loop's shared scratch space for parsing heads (see {@link LoopState#headLines}). */
    StrictResponseDecoder(HttpDecoderConfig config, HeadLines lines) {
        super(HeadScanner.namesScanned(config));
        this.lines = lines;
    }

    /** Set before each request is sent: a HEAD request's response has no body; an HTTP/1.0 client takes no chunks. */
    void request(boolean headRequest, boolean http10Client) {
        this.headRequest = headRequest;
        this.http10Client = http10Client;
    }

    /**
     * Netty reads a 101 to a WebSocket upgrade without Sec-WebSocket-Accept as an old (Hixie-76) handshake
     * whose body runs to the close; here every 101 ends at its head, and what follows is the new protocol's.
     */
    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        int code = ((HttpResponse) msg).status().code();
        return code == 101 || super.isContentAlwaysEmpty(msg) || headRequest && code >= 200;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (rawBody.decode(in, out)) {
            return;
        }
        if (!headRequest && scanner.atMessageStart()) {
            // The common case skips header maps altogether (see WholeResponse); its parse is stricter than
            // the scanner's rules, so what it takes needs no screening. Anything else goes to Netty.
            WholeResponse whole = WholeResponse.parse(in, lines, http10Client ? null : rawBody.chunks());
            if (whole != null) {
                // The scanner's next message starts after the body; until then only the body's framing counts.
                scanner.tookMessage();
                rawBody.started(whole);
                out.add(whole);
                return;
            }
        }
        // A chunked body that broke within the head's own read is refused here, as it is in a later read,
        // rather than left to Netty's decoder, which drops or lets pass some of what the scanner refuses.
        String violation = rawBody.chunks().failed()
                ? scanner.refuse(in, "broken chunked framing") : scanner.screen(in);
        if (violation != null) {
            DefaultHttpResponse bad = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY);
            bad.setDecoderResult(DecoderResult.failure(new MalformedHeadException(violation)));
            out.add(bad);
        }
        if (scanner.refused()) {
            return;
        }
        int before = in.readerIndex();
        int outBefore = out.size();
        super.decode(ctx, in, out);
        for (int i = outBefore; i < out.size(); i++) {
            if (out.get(i) instanceof HttpResponse r && r.status().code() == 101) {
                // The connection leaves HTTP: what follows is the upgraded protocol's, not a head.
                scanner.off();
            }
        }
        scanner.decoded(in, before, out, outBefore);
        if (out.size() == outBefore + 1 && in.isReadable() && mergeable(out.get(outBefore))) {
            // The head came out alone; when the whole body is already here, decode it now to merge the two.
            int bodyFrom = in.readerIndex();
            super.decode(ctx, in, out);
            scanner.decoded(in, bodyFrom, out, outBefore + 1);
        }
        if (out.size() == outBefore + 2 && mergeable(out.get(outBefore))
                && out.get(outBefore + 1) instanceof LastHttpContent last && last.decoderResult().isSuccess()) {
            // Head and whole body as one message: one trip through both pipelines and one write to the client.
            HttpResponse head = (HttpResponse) out.get(outBefore);
            out.remove(outBefore + 1);
            out.set(outBefore, new DefaultFullHttpResponse(head.protocolVersion(), head.status(), last.content(),
                    head.headers(), last.trailingHeaders()));
        }
    }

    /** A final response head (not interim, not a switch of protocols) that decoded cleanly. */
    private static boolean mergeable(Object msg) {
        return msg instanceof HttpResponse r && !(r instanceof FullHttpResponse) && r.decoderResult().isSuccess()
                && r.status().code() >= 200 && r.status().code() != 101;
    }

    /**
     * Netty's decoder takes any integer for the status ("44", "0200"); RFC 9112 §4 has exactly three digits.
     * Codes above 599 pass, as nginx and HAProxy pass them (some servers answer 999). What this throws makes
     * the head invalid: a 502 for the client.
     */
    @Override
    protected HttpMessage createMessage(String[] initialLine) {
        String code = initialLine[1];
        if (code.length() != 3 || code.charAt(0) < '1' || code.charAt(0) > '9'
                || code.charAt(1) < '0' || code.charAt(1) > '9' || code.charAt(2) < '0' || code.charAt(2) > '9') {
            throw new IllegalArgumentException("status code is not three digits: " + code);
        }
        return super.createMessage(initialLine);
    }

    /** A common header name comes out as a shared constant rather than a fresh copy (see {@link KnownHeaderNames}). */
    @Override
    protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
        scanner.fieldName(sb, start, length);
        AsciiString known = KnownHeaderNames.find(sb, start, length);
        return known != null ? known : super.splitHeaderName(sb, start, length);
    }
}
