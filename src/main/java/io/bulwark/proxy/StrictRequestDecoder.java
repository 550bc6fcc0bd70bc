package io.bulwark.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Netty's request decoder plus the head checks it is lenient about; a violation becomes a failed request. A
 * request without a body comes out as one {@link FullHttpRequest}. The common request comes out as its own
 * bytes instead: a {@link WholeRequest}, then {@link RawBody} parts for the rest of its body.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {
    private final HeadScanner scanner = new HeadScanner();
    private final HeadLines lines;
    private final int maxInitialLineLength;
    private final int maxHeaderSize;
    // The body of a request whose head went out as a WholeRequest.
    private final RawFraming rawBody = new RawFraming();
    private ChannelHandlerContext ctx;
    // An upgrade request is being decoded, and then held: see holdsAfterUpgrade.
    private boolean upgradeAsked;
    private boolean held;

    StrictRequestDecoder(HttpDecoderConfig config) {
        this(config, new HeadLines());
    }

    /** With the event loop's shared scratch space for parsing heads (see {@link LoopState#headLines}). */
    StrictRequestDecoder(HttpDecoderConfig config, HeadLines lines) {
        super(HeadScanner.namesScanned(config));
        this.lines = lines;
        this.maxInitialLineLength = config.getMaxInitialLineLength();
        this.maxHeaderSize = config.getMaxHeaderSize();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (held) {
            return;
        }
        if (rawBody.decode(in, out)) {
            return;
        }
        if (scanner.atMessageStart()) {
            // The common case skips header maps altogether (see WholeRequest); its parse is stricter than
            // the scanner's rules, so what it takes needs no screening. Anything else goes to Netty.
            WholeRequest whole = WholeRequest.parse(in, lines, maxInitialLineLength, maxHeaderSize, rawBody.chunks());
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
            DefaultHttpRequest bad = new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request");
            bad.setDecoderResult(DecoderResult.failure(new MalformedHeadException(violation)));
            out.add(bad);
        }
        if (scanner.refused()) {
            return;
        }
        int before = in.readerIndex();
        int outBefore = out.size();
        super.decode(ctx, in, out);
        scanner.decoded(in, before, out, outBefore);
        holdsAfterUpgrade(out, outBefore);
        // A bodyless request comes out as its head and an empty end marker: pass them as one message, so
        // the request takes one trip through the pipeline and one write to the server instead of two.
        if (out.size() == outBefore + 2 && out.get(outBefore) instanceof HttpRequest head
                && !(head instanceof FullHttpRequest) && head.decoderResult().isSuccess()
                && out.get(outBefore + 1) == LastHttpContent.EMPTY_LAST_CONTENT) {
            out.remove(outBefore + 1);
            out.set(outBefore, new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                    Unpooled.EMPTY_BUFFER, head.headers(), LastHttpContent.EMPTY_LAST_CONTENT.trailingHeaders()));
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        rawBody.closed(out);
        if (scanner.bodyDecoding()) {
            // Netty's decoder ends a request body cut short by the end of input with nothing at all, which
            // left the exchange waiting once a half-closed connection stayed open; it fails as a raw one does.
            out.add(RawFraming.failedEnd(new PrematureChannelClosureException("body cut short")));
        }
    }

    /**
     * Stops decoding once an HTTP/1.1 request asking to switch protocols (Upgrade, and Connection naming it)
     * has come out whole: if the server agrees, the bytes after it are the new protocol's (a WebSocket frame
     * may start with what the HTTP decoder would skip as a control character), and they must reach the
     * tunnel untouched. The exchange calls {@link #resume} when the server answered otherwise.
     */
    private void holdsAfterUpgrade(List<Object> out, int from) {
        for (int i = from; i < out.size(); i++) {
            Object m = out.get(i);
            if (m instanceof HttpRequest r && r.decoderResult().isSuccess()
                    && r.protocolVersion().equals(HttpVersion.HTTP_1_1) && Headers.wantsUpgrade(r.headers())) {
                upgradeAsked = true;
            }
            if (upgradeAsked && m instanceof LastHttpContent) {
                upgradeAsked = false;
                held = true;
            }
        }
    }

    /**
     * The server did not switch protocols: the bytes after the upgrade request are HTTP after all, so what
     * arrived of them is decoded now (the flow-control handler keeps what comes out until it is asked for).
     */
    void resume() {
        if (!held) {
            return;
        }
        held = false;
        ByteBuf pending = internalBuffer();
        if (pending.isReadable() && ctx != null) {
            try {
                channelRead(ctx, Unpooled.EMPTY_BUFFER);
            } catch (Exception e) {
                ctx.fireExceptionCaught(e);
            }
        }
    }

    /** Whether part of a request head has arrived but not all of it. */
    boolean partialHead() {
        return scanner.inHead();
    }

    /** A common header name comes out as a shared constant rather than a fresh copy (see {@link KnownHeaderNames}). */
    @Override
    protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
        scanner.fieldName(sb, start, length);
        AsciiString known = KnownHeaderNames.find(sb, start, length);
        return known != null ? known : super.splitHeaderName(sb, start, length);
    }
}
