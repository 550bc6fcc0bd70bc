package io.bulwark.proxy;

import io.bulwark.upstream.Server;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The server's answer on its way to the client, for one client connection's {@link DownstreamHandler},
 * whose exchange state it shares: a status the retry block names is dropped for the next server's answer,
 * 1xx passes, 101 hands both connections to a {@link Tunnel}, and a final response is committed and relayed
 * with the client's back-pressure, as the server's bytes where it can be ({@link WholeResponse},
 * {@link RawBody}). When it ends, the server connection goes back to the pool.
 */
final class ResponseRelay {
    private final DownstreamHandler x;
    private final ChannelHandlerContext ctx;
    // Writes from here skip the response encoder: for bytes already framed (see WholeResponse).
    private final ChannelHandlerContext belowEncoderCtx;
    // Built once per connection, not per write.
    private final ChannelFutureListener downstreamWritten = this::downstreamWritten;

    // The response in flight; reset by reset().
    private boolean upstreamReusable;
    private boolean started;
    private boolean interim;
    private boolean interimSent;
    // Response bytes written to the client but not yet flushed; flushed when the server's read batch ends.
    private boolean unflushed;

    ResponseRelay(DownstreamHandler exchange, ChannelHandlerContext ctx) {
        this.x = exchange;
        this.ctx = ctx;
        this.belowEncoderCtx = ctx.pipeline().context(LoopState.ENCODER);
    }

    /** Whether a final response was committed: from here on it goes to the client, and nothing is retried. */
    boolean started() {
        return started;
    }

    /** Whether an interim response (1xx) reached the client. */
    boolean interimSent() {
        return interimSent;
    }

    /** Forgets the response, once the request is accounted for. */
    void reset() {
        started = interim = interimSent = unflushed = upstreamReusable = false;
    }

    /** A message from the server's connection, which the exchange is waiting on. */
    void message(Object msg) {
        if (msg instanceof WholeResponse whole) {
            wholeResponse(whole);
        } else if (msg instanceof RawBody part) {
            rawBody(part);
        } else if (msg instanceof HttpResponse r) {
            responseHead(r);
        } else if (msg instanceof HttpContent content) {
            responseContent(content);
        } else {
            ReferenceCountUtil.release(msg);
            x.upstreamFailed(Failure.BAD_RESPONSE);
        }
    }

    private void responseHead(HttpResponse r) {
        HttpHeaders h = r.headers();
        if (r.decoderResult().isFailure() || !Headers.transferEncodingAcceptable(h)) {
            ReferenceCountUtil.release(r);
            x.upstreamFailed(Failure.BAD_RESPONSE);
            return;
        }
        int code = r.status().code();
        if (code >= 200 && retriedOnStatus(code, r)) {
            return;
        }
        if (code == 101) {
            if (x.upgrading) {
                switchProtocols(r);
            } else {
                x.upstreamFailed(Failure.BAD_RESPONSE);
            }
            return;
        }
        if (code < 200) {
            // Interim responses (100 Continue, 103) pass to HTTP/1.1 clients; its end marker follows.
            interim = true;
            if (!x.http10) {
                Headers.removeHopByHop(h, false);
                r.setProtocolVersion(HttpVersion.HTTP_1_1);
                interimSent = true;
                ctx.write(r);
            }
            readUpstream();
            return;
        }
        boolean bodyless = x.headRequest || code == 204 || code == 304;
        boolean hasLength = h.contains(HttpHeaderNames.CONTENT_LENGTH);
        // Without a length or chunks the body is delimited by the server closing.
        commit(code, HttpUtil.isKeepAlive(r) && (bodyless || hasLength || HttpUtil.isTransferEncodingChunked(r)));
        x.keepAlive = Headers.frameForClient(r, !bodyless && !hasLength, x.http10, x.keepAlive,
                x.loop.date().value());
        if (r instanceof LastHttpContent whole) {
            // Head and body arrived together (see StrictResponseDecoder).
            responseEnd(whole);
        } else {
            relay(ctx, r);
        }
    }

    /**
     * A final response forwarded as the server's bytes: the same steps as {@link #responseHead}, then as
     * {@link #responseEnd} when its whole body came along, else as {@link #relay} until {@link #rawBody}'s last.
     */
    private void wholeResponse(WholeResponse whole) {
        if (retriedOnStatus(whole.code(), whole)) {
            return;
        }
        commit(whole.code(), whole.serverKeepsAlive());
        // Counted as relayed, as on the header-map path: a response cut short logs what the client got.
        x.record.bytesSent += whole.bodyHere();
        ByteBuf out = whole.forClient(ctx.alloc(), x.keepAlive, x.http10, x.loop.date().line());
        boolean complete = whole.complete();
        whole.release();
        if (complete) {
            endResponse(belowEncoderCtx, out);
        } else {
            relay(belowEncoderCtx, out);
        }
    }

    /** More of a {@link WholeResponse}'s body: the same steps as {@link #responseContent}. */
    private void rawBody(RawBody part) {
        if (!started) {
            part.release();
            x.upstreamFailed(Failure.BAD_RESPONSE);
            return;
        }
        x.record.bytesSent += part.content().readableBytes();
        if (part.last()) {
            endResponse(belowEncoderCtx, part.content());
        } else {
            relay(belowEncoderCtx, part.content());
        }
    }

    /**
     * Reports a final status; when the retry block names it and a retry is allowed, drops {@code response}
     * unseen with its connection and retries (the client gets the next server's answer) and returns true.
     */
    private boolean retriedOnStatus(int code, Object response) {
        Server retryOn = x.attempts.responded(code, interimSent, x.serverWait.lastProgressNanos());
        if (retryOn == null) {
            return false;
        }
        x.record.upstreamStatus = code;
        ReferenceCountUtil.release(response);
        x.dropUpstream();
        x.attempts.retryAfterStatus(retryOn);
        return true;
    }

    /** A final response goes to the client from here on; nothing about this request is retried any more. */
    private void commit(int code, boolean serverKeepsAlive) {
        x.record.upstreamStatus = code;
        x.record.status = code;
        upstreamReusable = serverKeepsAlive;
        if (!x.requestDone) {
            // An early answer: the rest of the request body will not be read, so the framing is lost.
            x.keepAlive = false;
        }
        started = true;
        x.attempts.committed();
    }

    private void responseContent(HttpContent c) {
        if (c.decoderResult().isFailure()) {
            ReferenceCountUtil.release(c);
            x.upstreamFailed(Failure.BAD_RESPONSE);
            return;
        }
        if (interim) {
            interim = false;
            if (x.http10) {
                ReferenceCountUtil.release(c);
            } else {
                ctx.writeAndFlush(c);
            }
            readUpstream();
            return;
        }
        if (!started) {
            ReferenceCountUtil.release(c);
            x.upstreamFailed(Failure.BAD_RESPONSE);
            return;
        }
        if (c instanceof LastHttpContent last) {
            responseEnd(last);
        } else {
            x.record.bytesSent += c.content().readableBytes();
            relay(ctx, c);
        }
    }

    private void responseEnd(LastHttpContent last) {
        x.record.bytesSent += last.content().readableBytes();
        endResponse(ctx, last);
    }

    /**
     * The server's response is complete: hand its connection back, then write the end to the client from
     * {@code from} (below the encoder for bytes already framed).
     */
    private void endResponse(ChannelHandlerContext from, Object last) {
        x.record.upstreamEndNanos = x.serverWait.lastProgressNanos(); // when this message arrived
        releaseUpstream();
        x.state = DownstreamHandler.RESPONDING;
        unflushed = false;
        x.writeResponseEnd(from, last);
    }

    /**
     * Passes a response message to the client. While the client's socket takes more (below the high water
     * mark) the write is only queued and the server is read again at once; the flush comes at the end of the
     * server's socket read, so a small response leaves in one write instead of one per message. When the
     * client falls behind, the write is flushed and the server is read again only after it succeeded:
     * that is the back-pressure that keeps memory flat. Written from {@code from}: this handler's context,
     * or the one below the encoder for bytes already framed.
     */
    private void relay(ChannelHandlerContext from, Object msg) {
        if (ctx.channel().isWritable()) {
            unflushed = true;
            // A failed write closes the client connection through exceptionCaught.
            from.write(msg, from.voidPromise());
            readUpstream();
        } else {
            unflushed = false;
            from.writeAndFlush(msg).addListener(downstreamWritten);
        }
    }

    /** The server's socket read has been delivered: the moment to flush what it produced. */
    void readComplete() {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    private void downstreamWritten(ChannelFuture f) {
        if (!f.isSuccess()) {
            ctx.close();
            return;
        }
        if (x.state == DownstreamHandler.FORWARDING && x.upstream != null) {
            readUpstream();
        }
    }

    private void readUpstream() {
        x.serverWait.reading();
        x.upstream.read();
    }

    /** The server's part is over: keep its connection for the next request when both sides ended cleanly. */
    private void releaseUpstream() {
        x.attempts.serverDone();
        UpstreamConnection c = x.upstream;
        x.upstream = null;
        c.detach();
        if (upstreamReusable && x.requestDone) {
            x.loop.pool().release(c, x.record.upstreamEndNanos);
        } else {
            c.close();
        }
    }

    private void switchProtocols(HttpResponse r) {
        x.attempts.switched();
        x.attempts.serverDone();
        x.serverWait.cancel();
        UpstreamConnection c = x.upstream;
        x.upstream = null;
        c.switched();
        x.record.status = x.record.upstreamStatus = 101;
        x.record.upstreamEndNanos = System.nanoTime();
        Headers.removeHopByHop(r.headers(), true);
        Headers.appendVia(r.headers());
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
        x.state = DownstreamHandler.TUNNEL;
        ctx.write(r);
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        x.finish();
        // Splice outside the flow-control handler's delivery loop, which it is about to be removed from.
        ctx.executor().execute(() -> Tunnel.splice(ctx.channel(), c.channel(), x.idleTimeoutNanos));
    }
}
