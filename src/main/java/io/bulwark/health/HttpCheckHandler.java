package io.bulwark.health;

import io.bulwark.config.StatusRanges;
import io.bulwark.upstream.Cause;
import io.bulwark.upstream.CauseKind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Reads one health-check response: status first, then (if a body substring is expected) up to a cap of body. */
final class HttpCheckHandler extends ChannelInboundHandlerAdapter {
    /** Enough for any status page worth matching; beyond it the server is sending a real page by mistake. */
    static final int BODY_CAP = 8192;

    private final StatusRanges expectStatus;
    private final String expectBody;
    private final Consumer<Cause> done;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private boolean connected;
    private boolean finished;
    private int status;

    HttpCheckHandler(StatusRanges expectStatus, String expectBody, Consumer<Cause> done) {
        this.expectStatus = expectStatus;
        this.expectBody = expectBody;
        this.done = done;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        connected = true;
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (finished) {
                return;
            }
            if (msg instanceof HttpResponse r) {
                if (r.decoderResult().isFailure()) {
                    report(ctx, Cause.of(CauseKind.L7_MALFORMED, String.valueOf(r.decoderResult().cause().getMessage())));
                    return;
                }
                status = r.status().code();
                if (!expectStatus.contains(status)) {
                    report(ctx, Cause.status(CauseKind.L7_BAD_STATUS, status));
                    return;
                }
                if (expectBody == null) {
                    report(ctx, Cause.status(CauseKind.L7_OK, status));
                    return;
                }
            }
            if (msg instanceof HttpContent c) {
                if (c.decoderResult().isFailure()) {
                    report(ctx, Cause.of(CauseKind.L7_MALFORMED, String.valueOf(c.decoderResult().cause().getMessage())));
                    return;
                }
                ByteBuf content = c.content();
                int take = Math.min(content.readableBytes(), BODY_CAP - body.size());
                if (take > 0) {
                    byte[] bytes = new byte[take];
                    content.getBytes(content.readerIndex(), bytes);
                    body.writeBytes(bytes);
                }
                if (msg instanceof LastHttpContent || body.size() >= BODY_CAP) {
                    String text = body.toString(StandardCharsets.UTF_8);
                    report(ctx, text.contains(expectBody)
                            ? Cause.status(CauseKind.L7_OK, status)
                            : Cause.of(CauseKind.L7_BODY_MISMATCH, "'" + expectBody + "' not in the first "
                                    + body.size() + " bytes"));
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        finish(Cause.of(CauseKind.L7_MALFORMED, "connection closed before a complete response"));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Cause c = Failures.connect(cause);
        report(ctx, c.kind() == CauseKind.L4_ERROR ? Cause.of(CauseKind.L7_MALFORMED, cause.toString()) : c);
    }

    /** The probe's deadline fired: a timeout at L4 if the connection never came up, at L7 otherwise. */
    void timedOut() {
        finish(Cause.of(connected ? CauseKind.L7_TIMEOUT : CauseKind.L4_TIMEOUT));
    }

    /** Reports {@code cause} unless a result was already reported; the first result wins. */
    void finish(Cause cause) {
        if (!finished) {
            finished = true;
            done.accept(cause);
        }
    }

    /** Reports and closes: {@code Connection: close} means the server would close anyway. */
    private void report(ChannelHandlerContext ctx, Cause cause) {
        finish(cause);
        ctx.close();
    }
}
