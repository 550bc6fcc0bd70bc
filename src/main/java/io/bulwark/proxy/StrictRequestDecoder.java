package io.bulwark.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/** Netty's request decoder plus the head checks it is lenient about; a violation becomes a failed request. */
final class StrictRequestDecoder extends HttpRequestDecoder {
    private final HeadScanner scanner = new HeadScanner();

    StrictRequestDecoder(HttpDecoderConfig config) {
        super(config);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        String violation = scanner.screen(in);
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
    }

    /** Whether part of a request head has arrived but not all of it. */
    boolean partialHead() {
        return scanner.inHead();
    }
}
