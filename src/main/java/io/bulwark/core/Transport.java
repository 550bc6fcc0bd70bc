package io.bulwark.core;

import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket layer of the event loops: io_uring, native epoll or NIO, with the event loop groups and channel
 * classes of each. io_uring is preferred where the kernel allows it: it measured about 10 % less CPU per
 * small request than epoll here (bench/RESULTS.md); containers often forbid it, and then epoll is used.
 */
public enum Transport {
    IO_URING("io_uring"),
    EPOLL("native epoll"),
    NIO("NIO");

    private static final Logger log = LoggerFactory.getLogger(Transport.class);
    private static final AtomicBoolean announced = new AtomicBoolean();

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    /**
     * The best transport this machine offers, or the one the {@code bulwark.transport} system property names
     * ({@code io_uring}, {@code epoll}, {@code nio}: for tests and benchmarks); says once in the log which.
     */
    public static Transport best() {
        String forced = System.getProperty("bulwark.transport");
        if (forced != null && !forced.isBlank()) {
            Transport t = named(forced).require();
            announce(t, "bulwark.transport=" + forced);
            return t;
        }
        if (IO_URING.available()) {
            announce(IO_URING, null);
            return IO_URING;
        }
        Transport t = EPOLL.available() ? EPOLL : NIO;
        announce(t, (t == EPOLL ? "" : "native epoll unavailable: " + EPOLL.unavailabilityCause() + "; ")
                + "io_uring unavailable: " + IO_URING.unavailabilityCause());
        return t;
    }

    /** The transport with this config name: {@code io_uring}, {@code epoll} or {@code nio}. */
    public static Transport named(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "io_uring" -> IO_URING;
            case "epoll" -> EPOLL;
            case "nio" -> NIO;
            default -> throw new IllegalArgumentException("unknown transport '" + name + "' (expected: io_uring, epoll, nio)");
        };
    }

    /** This transport when it can run here; otherwise an exception saying why not. */
    public Transport require() {
        if (!available()) {
            throw new IllegalStateException("transport " + label + " is not available here: " + unavailabilityCause());
        }
        return this;
    }

    /** Whether this transport can run on this machine (kernel, native library, container policy). */
    public boolean available() {
        return switch (this) {
            case IO_URING -> IoUring.isAvailable();
            case EPOLL -> Epoll.isAvailable();
            case NIO -> true;
        };
    }

    private String unavailabilityCause() {
        Throwable cause = switch (this) {
            case IO_URING -> IoUring.unavailabilityCause();
            case EPOLL -> Epoll.unavailabilityCause();
            case NIO -> null;
        };
        return cause == null ? "unknown" : cause.toString();
    }

    /** Says in the log which transport serves and why, once per process. */
    public static void announce(Transport t, String why) {
        if (announced.compareAndSet(false, true)) {
            log.info("transport: {}{}", t.label, why == null ? "" : " (" + why + ")");
        }
    }

    /** The transport {@code group}'s event loops were made with (by {@link #newGroup}). */
    public static Transport of(EventLoopGroup group) {
        IoEventLoopGroup loops = (IoEventLoopGroup) group;
        if (loops.isIoType(IoUringIoHandler.class)) {
            return IO_URING;
        }
        return loops.isIoType(SteadyEpollHandler.class) ? EPOLL : NIO;
    }

    /** A group of {@code threads} event loops whose threads are named {@code name-N}. */
    public EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory factory = switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> SteadyEpollHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    /** Whether listening sockets of this transport can share a port (SO_REUSEPORT), one per event loop. */
    public boolean sharesPorts() {
        return this != NIO;
    }

    /**
     * The listening-socket option that has the kernel hand over a connection only once data has arrived on it
     * (TCP_DEFER_ACCEPT, in seconds), or null where this transport cannot set it (NIO).
     */
    public ChannelOption<Integer> deferAccept() {
        return switch (this) {
            case IO_URING -> IoUringChannelOption.TCP_DEFER_ACCEPT;
            case EPOLL -> EpollChannelOption.TCP_DEFER_ACCEPT;
            case NIO -> null;
        };
    }

    /**
     * The socket option that holds a partial segment back until the socket is uncorked or closed (TCP_CORK),
     * or null where this transport cannot set it (NIO).
     */
    public ChannelOption<Boolean> cork() {
        return switch (this) {
            case IO_URING -> IoUringChannelOption.TCP_CORK;
            case EPOLL -> EpollChannelOption.TCP_CORK;
            case NIO -> null;
        };
    }

    /** The server socket channel class for this transport. */
    public Class<? extends ServerChannel> serverChannel() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    /** The client socket channel class for this transport. */
    public Class<? extends SocketChannel> socketChannel() {
        return switch (this) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }
}
