package io.bulwark.proxy;

import io.bulwark.upstream.OutcomeListener;
import io.bulwark.upstream.Server;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * One client connection: reads one request at a time (the flow-control handler hands over one message per
 * read), forwards it to a server over a connection on this same event loop, streams the response back, and
 * only then reads the next request. Every read of either side follows the success of the write it feeds.
 *
 * <p>A request may take several attempts: every attempt's outcome goes to the upstream's
 * {@link OutcomeListener}, and a failure before any response byte reached the client goes through the
 * {@link RetryGate}. While a retry is possible the body is held ({@link ReplayBody}) and sent again.
 */
final class DownstreamHandler extends ChannelInboundHandlerAdapter
        implements UpstreamConnection.Exchange, HeadWait.Owner, ServerWait.Owner {
    private static final int IDLE = 0;
    private static final int CONNECTING = 1;
    private static final int FORWARDING = 2;
    private static final int RESPONDING = 3;
    private static final int TUNNEL = 4;
    private static final int CLOSED = 5;

    private final LoopState loop;
    private final Attempts attempts;
    private final ReplayBody body;
    private final Router router;
    private final AccessLog accessLog;
    private final StrictRequestDecoder decoder;
    private final long headTimeoutNanos;
    private final long idleTimeoutNanos;

    private ChannelHandlerContext ctx;
    private ChannelHandlerContext flowCtx;
    // Writes from here skip the response encoder: for bytes already framed (see WholeResponse).
    private ChannelHandlerContext belowEncoderCtx;
    private String clientIp;
    private byte[] clientIpBytes;
    private RequestLog record;
    private long affinityKey;
    private int state = IDLE;
    private boolean readPending;
    private HeadWait headWait;
    private ServerWait serverWait;

    // The request in flight: a message for the encoder, or bytes ready to send; reset by finish().
    private Object requestHead;
    // Whether the head carries the whole request: no body, or all of it (only bytes can).
    private boolean headEndsRequest;
    private boolean interimSent;
    private boolean keepAlive;
    private boolean http10;
    private boolean headRequest;
    private boolean upgrading;
    private boolean requestHasBody;
    private boolean requestDone;
    private boolean requestLastSent;
    private UpstreamConnection upstream;
    private boolean upstreamReusable;
    private boolean responseStarted;
    private boolean interim;
    // Response bytes written to the client but not yet flushed; flushed when the server's read batch ends.
    private boolean unflushed;
    // Listeners are built once per connection, not per write.
    private final ChannelFutureListener upstreamWritten = this::upstreamWritten;
    private final ChannelFutureListener downstreamWritten = this::downstreamWritten;
    private final ChannelFutureListener responseWritten = this::responseWritten;

    DownstreamHandler(LoopState loop, Retries retries, Router router, AccessLog accessLog,
            StrictRequestDecoder decoder, long headTimeoutNanos, long idleTimeoutNanos) {
        this.loop = loop;
        this.attempts = new Attempts(this, loop, retries);
        this.body = attempts.body();
        this.router = router;
        this.accessLog = accessLog;
        this.decoder = decoder;
        this.headTimeoutNanos = headTimeoutNanos;
        this.idleTimeoutNanos = idleTimeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // Added last (see ProxyServer): the handlers it writes and reads past are already in place.
        this.flowCtx = ctx.pipeline().context(LoopState.FLOW);
        this.belowEncoderCtx = ctx.pipeline().context(LoopState.ENCODER);
        this.headWait = new HeadWait(ctx.executor(), this, headTimeoutNanos, idleTimeoutNanos);
        this.serverWait = new ServerWait(ctx.executor(), this);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        clientIp = remote.getAddress().getHostAddress();
        clientIpBytes = clientIp.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        record = new RequestLog(accessLog, clientIp);
        affinityKey = clientIp.hashCode() * 0x9E3779B97F4A7C15L;
        headWait.start();
        read();
    }

    /**
     * Asks for one more request message. The flow-control handler forgets an unmet read at the end of each
     * socket read, so an unmet one is asked for again in {@link #channelReadComplete}.
     */
    private void read() {
        readPending = true;
        ctx.read();
    }

    /**
     * Keeps the client's socket read armed while the request is with the server, without taking a message:
     * what arrives waits in the flow-control handler. Otherwise Netty drops read interest at the end of this
     * socket read and adds it back when the next request is asked for: two epoll_ctl calls per request.
     */
    private void keepSocketReading() {
        flowCtx.read();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (readPending) {
            ctx.read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        readPending = false;
        switch (state) {
            case IDLE -> {
                if (msg instanceof WholeRequest whole) {
                    wholeRequest(whole);
                } else if (msg instanceof HttpRequest req) {
                    requestHead(req);
                } else {
                    // The end marker of a bodyless request answered before it was read.
                    ReferenceCountUtil.release(msg);
                    read();
                }
            }
            case FORWARDING -> {
                if (msg instanceof RawBody part) {
                    requestContent(part, part.last(), false);
                } else if (msg instanceof HttpContent c) {
                    requestContent(c, c instanceof LastHttpContent, c.decoderResult().isFailure());
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
            case CONNECTING -> {
                if (msg instanceof RawBody part) {
                    attempts.heldDuringRetry(part, part.last(), false);
                } else if (msg instanceof HttpContent c) {
                    attempts.heldDuringRetry(c, c instanceof LastHttpContent, c.decoderResult().isFailure());
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
            default -> ReferenceCountUtil.release(msg);
        }
    }

    private void requestHead(HttpRequest req) {
        // The head timer stays scheduled: when it fires it finds the connection busy and lets go.
        record.begin(req);
        HttpHeaders h = req.headers();
        http10 = req.protocolVersion().equals(HttpVersion.HTTP_1_0);
        keepAlive = HttpUtil.isKeepAlive(req);
        headRequest = req.method().equals(HttpMethod.HEAD);
        Failure refused = RequestChecks.refusal(req, http10);
        if (refused != null) {
            respond(refused);
            return;
        }
        boolean chunked = HttpUtil.isTransferEncodingChunked(req);
        requestHasBody = chunked || HttpUtil.getContentLength(req, 0L) > 0;
        Router.Target target = router.route(h.get(HttpHeaderNames.HOST), req.uri());
        if (target == null) {
            respond(Failure.NO_ROUTE);
            return;
        }
        Server picked = attempts.begin(target, RetryGate.idempotent(req), affinityKey,
                chunked ? -1 : HttpUtil.getContentLength(req, 0L), System.nanoTime());
        if (picked == null) {
            respond(Failure.NO_SERVER);
            return;
        }

        upgrading = Headers.wantsUpgrade(h);
        Headers.removeHopByHop(h, upgrading);
        if (chunked) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        Headers.addForwarding(h, clientIp, http10);
        req.setProtocolVersion(HttpVersion.HTTP_1_1);
        requestHead = req;
        headEndsRequest = req instanceof LastHttpContent;
        attempts.attempt(picked, false);
    }

    /**
     * A request whose head arrived whole: the same steps as {@link #requestHead}, with the head and what came
     * of the body forwarded as the client's bytes (see {@link WholeRequest}), the rest of the body as
     * {@link RawBody} parts; only requests that pass its checks come this way.
     */
    private void wholeRequest(WholeRequest req) {
        record.begin(req);
        http10 = false;
        keepAlive = !req.close();
        headRequest = req.method() == HttpMethod.HEAD;
        long length = req.contentLength();
        requestHasBody = length > 0;
        Router.Target target = router.route(req.host(), req.uri());
        Server picked = target == null ? null
                : attempts.begin(target, req.idempotent(), affinityKey, length, System.nanoTime());
        if (picked == null) {
            req.release();
            respond(target == null ? Failure.NO_ROUTE : Failure.NO_SERVER);
            return;
        }
        upgrading = false;
        requestHead = req.forServer(ctx.alloc(), clientIpBytes);
        headEndsRequest = req.remaining() == 0;
        req.release();
        attempts.attempt(picked, false);
    }

    /** An attempt is connecting (or backing off before the next one). */
    void awaitConnection() {
        state = CONNECTING;
    }

    boolean awaitingConnection() {
        return state == CONNECTING;
    }

    /** Whether the request still waits for a server's answer, none of it sent to the client yet. */
    boolean awaitingResponse() {
        return (state == CONNECTING || state == FORWARDING) && !responseStarted && !interimSent;
    }

    /** The attempt has a connection: send the request over it. */
    void forward(UpstreamConnection c) {
        state = FORWARDING;
        sendHead(c);
    }

    /** Writes the head and whatever of the body is held; reads the rest of the body once that is written. */
    private void sendHead(UpstreamConnection c) {
        upstream = c;
        c.attach(this, headRequest, http10);
        requestDone = false;
        requestLastSent = headEndsRequest;
        long now = System.nanoTime();
        record.upstreamStartNanos = now;
        serverWait.begin(attempts.perTryNanos(), now);
        // Bytes are kept for a retry: each attempt writes its own reference to them.
        ChannelFuture last = c.write(requestHead instanceof ByteBuf b ? b.retainedDuplicate() : requestHead);
        if (!body.isEmpty()) {
            requestLastSent = body.complete();
            last = body.writeTo(c);
        }
        last.addListener(upstreamWritten);
        c.channel().flush();
        if (requestLastSent) {
            keepSocketReading();
        }
        c.read();
    }

    /**
     * A part of the request body: an {@link HttpContent} after a head from Netty's decoder, a {@link RawBody}
     * after a {@link WholeRequest}; {@code bad} when the client's framing broke.
     */
    private void requestContent(ByteBufHolder c, boolean last, boolean bad) {
        if (upstream == null) {
            c.release();
            return;
        }
        if (bad) {
            c.release();
            requestFailed();
            return;
        }
        body.add(c, last);
        serverWait.writing();
        requestLastSent = last;
        upstream.write(c).addListener(upstreamWritten);
        upstream.channel().flush();
    }

    /** The request body broke framing mid-stream: the server got part of it, so that connection is done. */
    private void requestFailed() {
        attempts.serverDone();
        dropUpstream();
        if (responseStarted) {
            finish();
            ctx.close();
        } else {
            respond(Failure.BAD_REQUEST);
        }
    }

    private void upstreamWritten(ChannelFuture f) {
        if (upstream == null || f.channel() != upstream.channel()) {
            return;
        }
        if (!f.isSuccess()) {
            // The server closed on us; channelInactive follows and tells the exchange.
            upstream.channel().close();
            return;
        }
        serverWait.written(System.nanoTime());
        if (requestLastSent) {
            requestDone = true;
        } else if (state == FORWARDING && !readPending) {
            read();
        }
    }

    @Override
    public void upstreamMessage(UpstreamConnection c, Object msg) {
        if (c != upstream || state != FORWARDING) {
            ReferenceCountUtil.release(msg);
            return;
        }
        serverWait.arrived(System.nanoTime());
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
            upstreamFailed(Failure.BAD_RESPONSE);
        }
    }

    private void responseHead(HttpResponse r) {
        HttpHeaders h = r.headers();
        if (r.decoderResult().isFailure() || !Headers.transferEncodingAcceptable(h)) {
            ReferenceCountUtil.release(r);
            upstreamFailed(Failure.BAD_RESPONSE);
            return;
        }
        int code = r.status().code();
        if (code >= 200 && retriedOnStatus(code, r)) {
            return;
        }
        if (code == 101) {
            if (upgrading) {
                switchProtocols(r);
            } else {
                upstreamFailed(Failure.BAD_RESPONSE);
            }
            return;
        }
        if (code < 200) {
            // Interim responses (100 Continue, 103) pass to HTTP/1.1 clients; its end marker follows.
            interim = true;
            if (!http10) {
                Headers.removeHopByHop(h, false);
                r.setProtocolVersion(HttpVersion.HTTP_1_1);
                interimSent = true;
                ctx.write(r);
            }
            readUpstream();
            return;
        }
        boolean bodyless = headRequest || code == 204 || code == 304;
        boolean hasLength = h.contains(HttpHeaderNames.CONTENT_LENGTH);
        // Without a length or chunks the body is delimited by the server closing.
        commit(code, HttpUtil.isKeepAlive(r) && (bodyless || hasLength || HttpUtil.isTransferEncodingChunked(r)));
        keepAlive = Headers.frameForClient(r, !bodyless && !hasLength, http10, keepAlive);
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
        record.bytesSent += whole.bodyHere();
        ByteBuf out = whole.forClient(ctx.alloc(), keepAlive, http10);
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
        if (!responseStarted) {
            part.release();
            upstreamFailed(Failure.BAD_RESPONSE);
            return;
        }
        record.bytesSent += part.content().readableBytes();
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
        Server retryOn = attempts.responded(code, interimSent, serverWait.lastProgressNanos());
        if (retryOn == null) {
            return false;
        }
        record.upstreamStatus = code;
        ReferenceCountUtil.release(response);
        dropUpstream();
        attempts.retryAfterStatus(retryOn);
        return true;
    }

    /** A final response goes to the client from here on; nothing about this request is retried any more. */
    private void commit(int code, boolean serverKeepsAlive) {
        record.upstreamStatus = code;
        record.status = code;
        upstreamReusable = serverKeepsAlive;
        if (!requestDone) {
            // An early answer: the rest of the request body will not be read, so the framing is lost.
            keepAlive = false;
        }
        responseStarted = true;
        attempts.committed();
    }

    private void responseContent(HttpContent c) {
        if (c.decoderResult().isFailure()) {
            ReferenceCountUtil.release(c);
            upstreamFailed(Failure.BAD_RESPONSE);
            return;
        }
        if (interim) {
            interim = false;
            if (http10) {
                ReferenceCountUtil.release(c);
            } else {
                ctx.writeAndFlush(c);
            }
            readUpstream();
            return;
        }
        if (!responseStarted) {
            ReferenceCountUtil.release(c);
            upstreamFailed(Failure.BAD_RESPONSE);
            return;
        }
        if (c instanceof LastHttpContent last) {
            responseEnd(last);
        } else {
            record.bytesSent += c.content().readableBytes();
            relay(ctx, c);
        }
    }

    private void responseEnd(LastHttpContent last) {
        record.bytesSent += last.content().readableBytes();
        endResponse(ctx, last);
    }

    /**
     * The server's response is complete: hand its connection back, then write the end to the client from
     * {@code from} (below the encoder for bytes already framed).
     */
    private void endResponse(ChannelHandlerContext from, Object last) {
        record.upstreamEndNanos = serverWait.lastProgressNanos(); // when this message arrived
        releaseUpstream();
        state = RESPONDING;
        unflushed = false;
        from.writeAndFlush(last).addListener(responseWritten);
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

    @Override
    public void upstreamReadComplete(UpstreamConnection c) {
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
        if (state == FORWARDING && upstream != null) {
            readUpstream();
        }
    }

    private void readUpstream() {
        serverWait.reading();
        upstream.read();
    }

    /** The server's part is over: keep its connection for the next request when both sides ended cleanly. */
    private void releaseUpstream() {
        attempts.serverDone();
        UpstreamConnection c = upstream;
        upstream = null;
        c.detach();
        if (upstreamReusable && requestDone) {
            loop.pool().release(c, record.upstreamEndNanos);
        } else {
            c.close();
        }
    }

    private void switchProtocols(HttpResponse r) {
        attempts.switched();
        attempts.serverDone();
        serverWait.cancel();
        UpstreamConnection c = upstream;
        upstream = null;
        c.detach();
        record.status = record.upstreamStatus = 101;
        record.upstreamEndNanos = System.nanoTime();
        Headers.removeHopByHop(r.headers(), true);
        Headers.appendVia(r.headers());
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
        state = TUNNEL;
        ctx.write(r);
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        finish();
        // Splice outside the flow-control handler's delivery loop, which it is about to be removed from.
        ctx.executor().execute(() -> Tunnel.splice(ctx.channel(), c.channel(), idleTimeoutNanos));
    }

    @Override
    public void upstreamClosed(UpstreamConnection c) {
        if (c == upstream) {
            upstreamFailed(Failure.UPSTREAM_RESET);
        }
    }

    @Override
    public boolean forwarding() {
        return state == FORWARDING && upstream != null;
    }

    @Override
    public void serverTimedOut() {
        upstreamFailed(Failure.UPSTREAM_TIMEOUT);
    }

    /**
     * The server side failed: report it, then try again where the gate allows; else tell the client with a
     * status if nothing was sent yet, or cut it off.
     */
    void upstreamFailed(Failure f) {
        if (state != CONNECTING && state != FORWARDING) {
            return;
        }
        boolean answered = upstream != null && upstream.answered();
        dropUpstream();
        record.upstreamEndNanos = System.nanoTime();
        if (attempts.failed(f, answered, responseStarted || interimSent)) {
            return;
        }
        if (responseStarted) {
            record.error = f.tag();
            finish();
            state = CLOSED;
            // What the server sent before the fault still reaches the client; the close marks it cut short.
            unflushed = false;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            respond(f);
        }
    }

    /** Closes the attempt's connection, if any, and stops its timer. */
    void dropUpstream() {
        serverWait.cancel();
        if (upstream != null) {
            upstream.close();
            upstream = null;
        }
    }

    /** Answers the current request with the gateway's own response for the failure. */
    void respond(Failure f) {
        record.status = f.status().code();
        record.error = f.tag();
        // An unread body leaves the connection's framing unknown; client errors end it by rule.
        if (f.clientError() || requestHasBody && !requestDone) {
            keepAlive = false;
        }
        state = RESPONDING;
        ctx.writeAndFlush(ErrorResponses.of(f, headRequest, !keepAlive)).addListener(responseWritten);
    }

    private void responseWritten(ChannelFuture f) {
        finish();
        if (!f.isSuccess() || !keepAlive || state != RESPONDING) {
            state = CLOSED;
            ctx.close();
            return;
        }
        state = IDLE;
        headWait.start();
        read();
    }

    /** Accounts for the request exactly once and clears its state. */
    private void finish() {
        record.end(attempts.end());
        requestDone = requestLastSent = requestHasBody = responseStarted = interim = upgrading = false;
        serverWait.end();
        interimSent = false;
        if (requestHead instanceof ByteBuf bytes) {
            bytes.release();
        }
        requestHead = null;
    }

    @Override
    public boolean waitingForHead() {
        return state == IDLE;
    }

    @Override
    public boolean partialHead() {
        return decoder.partialHead();
    }

    @Override
    public void idleTimedOut() {
        state = CLOSED;
        ctx.close();
    }

    @Override
    public void headTimedOut() {
        respond(Failure.REQUEST_TIMEOUT);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        int was = state;
        state = CLOSED;
        headWait.cancel();
        serverWait.cancel();
        if (upstream != null) {
            upstream.close();
            upstream = null;
        }
        if (was != TUNNEL && record != null && record.active()) {
            finish();
        } else {
            attempts.end();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
