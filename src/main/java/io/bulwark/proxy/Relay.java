package io.bulwark.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Copies raw bytes from its channel to a peer once a connection left HTTP (after a 101), reading again
 * only when the peer took the previous bytes. Either side closing closes the other after a flush.
 */
final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel peer;
    private ChannelHandlerContext ctx;
    private final ChannelFutureListener written = f -> {
        if (f.isSuccess()) {
            ctx.read();
        } else {
            f.channel().close();
            ctx.close();
        }
    };

    Relay(Channel peer) {
        this.peer = peer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    void start() {
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b && b.isReadable()) {
            peer.writeAndFlush(b).addListener(written);
        } else {
            // The HTTP codecs' end-of-message markers left over from the upgrade response.
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            peer.close();
        } else if (evt instanceof ChannelInputShutdownEvent) {
            // A client's half-close (allowed for HTTP) ends a tunnel as its close always has.
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
