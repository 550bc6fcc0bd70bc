package io.bulwark.proxy;

import io.bulwark.config.PathRules;
import io.bulwark.upstream.OutcomeListener;
import io.bulwark.upstream.Server;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * One client connection: reads one request at a time (the flow-control handler hands over one message per
 * read), forwards it to a server over a connection on this same event loop, streams the response back
 * ({@link ResponseRelay}, which shares this exchange's state), and only then reads the next request. Every
 * read of either side follows the success of the write it feeds.
 *
 * <p>A request may take several attempts: every attempt's outcome goes to the upstream's
 * {@link OutcomeListener}, and a failure before any response byte reached the client goes through the
 * {@link RetryGate}. While a retry is possible the body is held ({@link ReplayBody}) and sent again.
 */
final class DownstreamHandler extends ChannelInboundHandlerAdapter
        implements UpstreamConnection.Exchange, HeadWait.Owner, ServerWait.Owner {
    static final int IDLE = 0;
    static final int CONNECTING = 1;
    static final int FORWARDING = 2;
    static final int RESPONDING = 3;
    static final int TUNNEL = 4;
    static final int CLOSED = 5;

    // Package-private where ResponseRelay, the response's half of the exchange, shares them.
    final LoopState loop;
    final Attempts attempts;
    private final ReplayBody body;
    private final Router router;
    private final RequestTarget target;
    private final AccessLog accessLog;
    private final StrictRequestDecoder decoder;
    private final long headTimeoutNanos;
    final long idleTimeoutNanos;

    private ChannelHandlerContext ctx;
    private ChannelHandlerContext flowCtx;
    private ResponseRelay relay;
    private String clientIp;
    private byte[] clientIpBytes;
    RequestLog record;
    private long affinityKey;
    int state = IDLE;
    private boolean readPending;
    // The client half-closed (see userEventTriggered).
    private boolean inputClosed;
    private HeadWait headWait;
    ServerWait serverWait;

    // The request in flight: a message for the encoder, or bytes ready to send; reset by finish().
    private Object requestHead;
    // Whether the head carries the whole request: no body, or all of it (only bytes can).
    private boolean headEndsRequest;
    boolean keepAlive;
    boolean http10;
    boolean headRequest;
    boolean upgrading;
    private boolean requestHasBody;
    boolean requestDone;
    private boolean requestLastSent;
    UpstreamConnection upstream;
    // Listeners are built once per connection, not per write.
    private final ChannelFutureListener upstreamWritten = this::upstreamWritten;
    private final ChannelFutureListener responseWritten = this::responseWritten;

    DownstreamHandler(LoopState loop, Retries retries, Router router, PathRules paths, AccessLog accessLog,
            StrictRequestDecoder decoder, long headTimeoutNanos, long idleTimeoutNanos) {
        this.loop = loop;
        this.attempts = new Attempts(this, loop, retries);
        this.body = attempts.body();
        this.router = router;
        this.target = new RequestTarget(paths);
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
        this.relay = new ResponseRelay(this, ctx);
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
        if (!target.read(req.uri(), h.get(HttpHeaderNames.HOST), req.method().equals(HttpMethod.OPTIONS))) {
            respond(Failure.BAD_REQUEST);
            return;
        }
        Router.Target route = router.route(target.host(), target.path(), target.pathFrom(), target.pathTo());
        if (route == null) {
            respond(Failure.NO_ROUTE);
            return;
        }
        Server picked = attempts.begin(route, RetryGate.idempotent(req), affinityKey,
                chunked ? -1 : HttpUtil.getContentLength(req, 0L), 0, System.nanoTime());
        if (picked == null) {
            respond(Failure.NO_SERVER);
            return;
        }
        target.rewrite(req);
        upgrading = Headers.forServer(h, clientIp, http10, chunked, route.upstream());
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
        requestHasBody = length != 0;
        boolean readable = target.read(req.uri(), req.host(), req.method() == HttpMethod.OPTIONS);
        Router.Target route = readable
                ? router.route(target.host(), target.path(), target.pathFrom(), target.pathTo()) : null;
        Server picked = route == null ? null
                : attempts.begin(route, req.idempotent(), affinityKey, length, req.bodyHere(), System.nanoTime());
        if (picked == null) {
            req.release();
            respond(!readable ? Failure.BAD_REQUEST : route == null ? Failure.NO_ROUTE : Failure.NO_SERVER);
            return;
        }
        upgrading = false;
        requestHead = req.forServer(ctx.alloc(), clientIpBytes, target.forward());
        headEndsRequest = req.complete();
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
        return (state == CONNECTING || state == FORWARDING) && !relay.started() && !relay.interimSent();
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
        if (relay.started()) {
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
        relay.message(msg);
    }

    @Override
    public void upstreamReadComplete(UpstreamConnection c) {
        relay.readComplete();
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
        if (attempts.failed(f, answered, relay.started() || relay.interimSent())) {
            return;
        }
        if (relay.started()) {
            record.error = f.tag();
            finish();
            state = CLOSED;
            // What the server sent before the fault still reaches the client; the close marks it cut short.
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
        writeResponseEnd(ctx, ErrorResponses.of(f, headRequest, !keepAlive, loop.date().value()));
    }

    /**
     * Writes the end of the current response from {@code from}; the connection then waits for the next
     * request or, without keep-alive, closes, so the socket is corked first (see LoopState#corkForClose).
     */
    void writeResponseEnd(ChannelHandlerContext from, Object last) {
        if (!keepAlive) {
            loop.corkForClose(ctx.channel());
        }
        from.writeAndFlush(last).addListener(responseWritten);
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
        // After an upgrade the server declined, what the client sent next is read as HTTP.
        decoder.resume();
        read();
        // A request the client sent before its half-close is handed over by that read; none means it is done.
        closeIfInputDone();
    }

    /**
     * The client half-closed: it sends nothing more but may still read, as HTTP/1.0 clients and scripts
     * that shut down their side after a request do. What it sent is answered (a body cut short fails as
     * any other, through the decoder), and the connection ends once nothing of it is left.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputClosed = true;
            closeIfInputDone();
        }
    }

    /** Ends a half-closed connection once no request of it is left to answer. */
    private void closeIfInputDone() {
        if (inputClosed && state == IDLE) {
            state = CLOSED;
            ctx.close();
        }
    }

    /** Accounts for the request exactly once and clears its state. */
    void finish() {
        record.end(attempts.end());
        requestDone = requestLastSent = requestHasBody = upgrading = false;
        relay.reset();
        serverWait.end();
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
