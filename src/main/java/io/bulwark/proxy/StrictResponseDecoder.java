package io.bulwark.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's response decoder plus the head checks it is lenient about, and told per request whether the
 * response can have a body (a HEAD request's cannot), which a response alone does not say.
 */
final class StrictResponseDecoder extends HttpResponseDecoder {
    private final HeadScanner scanner = new HeadScanner();
    private boolean failed;
    private boolean headRequest;

    StrictResponseDecoder(HttpDecoderConfig config) {
        super(config);
    }

    /** Set before each request is sent. */
    void headRequest(boolean headRequest) {
        this.headRequest = headRequest;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        return super.isContentAlwaysEmpty(msg)
                || headRequest && ((HttpResponse) msg).status().code() >= 200;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        String violation = scanner.scan(in);
        if (violation != null) {
            failed = true;
            in.skipBytes(in.readableBytes());
            DefaultHttpResponse bad = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY);
            bad.setDecoderResult(DecoderResult.failure(new MalformedHeadException(violation)));
            out.add(bad);
            return;
        }
        int before = in.readerIndex();
        int outBefore = out.size();
        super.decode(ctx, in, out);
        scanner.consumed(in.readerIndex() - before);
        for (int i = outBefore; i < out.size(); i++) {
            Object o = out.get(i);
            if (o instanceof HttpResponse r && r.status().code() == 101) {
                scanner.off();
            } else if (o instanceof LastHttpContent) {
                scanner.messageEnded();
            }
        }
    }
}
