package io.bulwark.core;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses native epoll when it loads and NIO otherwise, and makes event loop groups of that kind. */
public enum Transport {
    EPOLL,
    NIO;

    private static final Logger log = LoggerFactory.getLogger(Transport.class);
    private static final AtomicBoolean announced = new AtomicBoolean();

    /** The best transport this machine offers; says once in the log which one and why. */
    public static Transport best() {
        boolean forceNio = Boolean.getBoolean("bulwark.nio");
        Transport t = !forceNio && Epoll.isAvailable() ? EPOLL : NIO;
        if (announced.compareAndSet(false, true)) {
            if (t == EPOLL) {
                log.info("transport: native epoll");
            } else if (forceNio) {
                log.info("transport: NIO (bulwark.nio=true)");
            } else {
                log.info("transport: NIO (native epoll unavailable: {})", Epoll.unavailabilityCause().toString());
            }
        }
        return t;
    }

    /** A group of {@code threads} event loops whose threads are named {@code name-N}. */
    public EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory factory = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    /** The server socket channel class for this transport. */
    public Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The client socket channel class for this transport. */
    public Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
