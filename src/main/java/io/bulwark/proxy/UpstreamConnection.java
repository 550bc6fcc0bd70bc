package io.bulwark.proxy;

import io.bulwark.upstream.Server;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One connection to a server, on the event loop of the downstream connections that use it. While an
 * exchange owns it, every response message goes to that exchange; while pooled it keeps a read pending so
 * a close by the server (or unsolicited bytes) is noticed and the connection discarded.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {
    final Server server;
    final int upstreamIndex;
    private final LoopState loop;
    private final StrictResponseDecoder decoder;
    private ChannelHandlerContext ctx;
    private ChannelHandlerContext belowEncoderCtx;
    private Exchange exchange;
    private boolean inactive;
    private boolean pooled;
    private long messages;
    private long messagesAtAttach;
    private boolean readPending;
    // After a 101, until the tunnel takes over (see switched()); early is made only when bytes come that soon.
    private boolean switched;
    private ArrayDeque<ByteBuf> early;
    long idleSinceNanos;

    UpstreamConnection(Server server, int upstreamIndex, LoopState loop, StrictResponseDecoder decoder) {
        this.server = server;
        this.upstreamIndex = upstreamIndex;
        this.loop = loop;
        this.decoder = decoder;
    }

    /** What receives this connection's response messages. */
    interface Exchange {
        void upstreamMessage(UpstreamConnection connection, Object msg);

        /** The connection closed and no queued message is left to deliver. */
        void upstreamClosed(UpstreamConnection connection);

        /** A socket read's messages have all been delivered: the moment to flush what they produced. */
        void upstreamReadComplete(UpstreamConnection connection);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // Added last (see LoopState): the encoder is already in place.
        this.belowEncoderCtx = ctx.pipeline().context(LoopState.ENCODER);
    }

    Channel channel() {
        return ctx.channel();
    }

    /**
     * Writes part of a request, unflushed: a message through the request encoder, bytes already framed
     * (a {@link WholeRequest}'s, a {@link RawBody}) past it.
     */
    ChannelFuture write(Object part) {
        if (part instanceof ByteBuf framed) {
            return belowEncoderCtx.write(framed);
        }
        if (part instanceof RawBody raw) {
            return belowEncoderCtx.write(raw.content());
        }
        return ctx.channel().write(part);
    }

    boolean usable() {
        return !inactive && ctx.channel().isActive();
    }

    /** Hands the connection to an exchange, whose request is a HEAD one or comes from an HTTP/1.0 client. */
    void attach(Exchange exchange, boolean headRequest, boolean http10Client) {
        this.exchange = exchange;
        this.pooled = false;
        this.messagesAtAttach = messages;
        decoder.request(headRequest, http10Client);
    }

    /** Whether anything of a response arrived since the current exchange attached. */
    boolean answered() {
        return messages != messagesAtAttach;
    }

    void detach() {
        exchange = null;
    }

    /**
     * The server switched protocols: the connection leaves its exchange for a {@link Tunnel}. The flow-control
     * handler may still deliver messages before the splice (it counts the reads asked for, and a pooled
     * connection's idle read is one of them): the new protocol's first bytes are kept for the tunnel, in
     * order, and the decoder's end-of-message markers dropped.
     */
    void switched() {
        exchange = null;
        switched = true;
    }

    /** Marks the connection idle in the pool and keeps one read pending to notice a server-side close. */
    void pooled(long nowNanos) {
        exchange = null;
        pooled = true;
        idleSinceNanos = nowNanos;
        readPending = true;
        ctx.read();
    }

    /**
     * Asks for the next response message. Messages decoded before the close was seen are still queued in
     * the flow-control handler and come out of this read; when none does, the exchange learns the
     * connection is gone.
     */
    void read() {
        long before = messages;
        readPending = true;
        ctx.read();
        if (inactive && messages == before && exchange != null) {
            Exchange e = exchange;
            exchange = null;
            e.upstreamClosed(this);
        }
    }

    void close() {
        exchange = null;
        ctx.channel().close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        messages++;
        readPending = false;
        if (switched) {
            keepForTunnel(msg);
            return;
        }
        if (exchange != null) {
            exchange.upstreamMessage(this, msg);
            return;
        }
        // A server speaking while nobody asked is broken or closing: don't hand this connection out.
        ReferenceCountUtil.release(msg);
        if (pooled) {
            loop.pool().remove(this);
        }
        ctx.close();
    }

    private void keepForTunnel(Object msg) {
        if (msg instanceof ByteBuf b && b.isReadable()) {
            if (early == null) {
                early = new ArrayDeque<>(2);
            }
            early.add(b);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Taken out of the pipeline by the splice: what came early goes on to the tunnel's relay, next in line. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (early != null) {
            ByteBuf b;
            while ((b = early.poll()) != null) {
                ctx.fireChannelRead(b);
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.upstreamReadComplete(this);
        }
        // The flow-control handler forgets an unmet read at the end of each socket read: ask again.
        if (readPending && !inactive) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
        if (pooled) {
            loop.pool().remove(this);
            pooled = false;
        }
        if (exchange != null) {
            // Only fail once the flow-control queue is drained; a close-delimited body ends this way.
            read();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets surface here before channelInactive; the exchange classifies the close itself.
        ctx.close();
    }
}
