package io.bulwark.failover;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.IntFunction;

/**
 * An rtnetlink socket (NETLINK_ROUTE) through the FFM API: one request at a time, each waiting for the
 * kernel's acknowledgement, so a caller knows the address is on the interface before it announces it.
 * Requests act on the network namespace the socket was opened in. Not thread-safe.
 */
final class NetlinkSocket implements AutoCloseable {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_CAP_ACK = 10;
    private static final int NETLINK_EXT_ACK = 11;
    /** A lost answer must not hold up every later address change. */
    static final long TIMEOUT_MILLIS = 1_000;
    private static final int BUFFER = 8_192;

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = arena.allocate(Libc.CAPTURE);
    private final MemorySegment request = arena.allocate(256);
    private final MemorySegment reply = arena.allocate(BUFFER);
    /** struct sockaddr_nl of the kernel: family, pad, pid 0, groups 0. */
    private final MemorySegment kernel = arena.allocate(12);
    private int seq = (int) (System.nanoTime() & 0x7fff_ffff);

    private NetlinkSocket(int fd) {
        this.fd = fd;
        kernel.set(JAVA_SHORT, 0, (short) AF_NETLINK);
    }

    /** {@code socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)} with a receive timeout; needs no capability itself. */
    static NetlinkSocket open() throws NativeException {
        int fd = Libc.socket(AF_NETLINK, SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_ROUTE,
                "socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)");
        NetlinkSocket s = new NetlinkSocket(fd);
        try {
            MemorySegment tv = s.arena.allocate(16); // struct timeval { tv_sec; tv_usec; }
            tv.set(JAVA_LONG, 0, TIMEOUT_MILLIS / 1_000);
            tv.set(JAVA_LONG, 8, TIMEOUT_MILLIS % 1_000 * 1_000);
            s.setOpt(Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, "SO_RCVTIMEO");
        } catch (NativeException e) {
            s.close();
            throw e;
        }
        // Kernels before 4.12 know neither; the answer then just comes without the kernel's reason.
        s.setFlag(NETLINK_CAP_ACK);
        s.setFlag(NETLINK_EXT_ACK);
        return s;
    }

    /**
     * Sends the message {@code build} makes for the next sequence number and waits up to {@link #TIMEOUT_MILLIS}
     * for the kernel's acknowledgement of it.
     *
     * @throws NativeException when sending or receiving fails, EAGAIN when no answer came in time
     */
    Rtnetlink.Ack request(IntFunction<byte[]> build) throws NativeException {
        int s = ++seq;
        byte[] message = build.apply(s);
        if (message.length > request.byteSize()) {
            throw new IllegalArgumentException("rtnetlink request of " + message.length + " bytes (expected: at most "
                    + request.byteSize() + ")");
        }
        MemorySegment.copy(message, 0, request, JAVA_BYTE, 0, message.length);
        try {
            long sent = (long) Libc.SENDTO.invokeExact(state, fd, request, (long) message.length, 0, kernel, 12);
            if (sent < 0) {
                throw new NativeException("rtnetlink sendto", Libc.errno(state));
            }
            long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
            while (true) {
                long n = (long) Libc.RECV.invokeExact(state, fd, reply, (long) BUFFER, 0);
                if (n < 0) {
                    int errno = Libc.errno(state);
                    if (errno != Libc.EINTR || System.nanoTime() > deadline) {
                        throw new NativeException("rtnetlink recv", errno);
                    }
                    continue;
                }
                Rtnetlink.Ack ack = Rtnetlink.ack(reply.asSlice(0, n).asByteBuffer(), s);
                if (ack != null) {
                    return ack;
                }
                if (System.nanoTime() > deadline) {
                    throw new NativeException("rtnetlink recv", Libc.EAGAIN);
                }
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private void setFlag(int option) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment one = a.allocate(JAVA_INT);
            one.set(JAVA_INT, 0, 1);
            setOpt(SOL_NETLINK, option, one, "netlink option " + option);
        } catch (NativeException ignored) {
            // see open()
        }
    }

    private void setOpt(int level, int name, MemorySegment value, String what) throws NativeException {
        Libc.setsockopt(state, fd, level, name, value, what);
    }

    @Override
    public void close() {
        try {
            Libc.close(state, fd);
        } finally {
            arena.close();
        }
    }
}
