package io.bulwark.failover;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.nio.ByteOrder;

/**
 * A Linux raw IPv4 socket for IP protocol 112 through the FFM API ({@link Libc}): just the calls VRRP needs.
 * Not thread-safe except that one thread may send while another receives, as with any socket.
 */
final class LinuxRawSocket implements AutoCloseable {
    private static final int AF_INET = 2;
    private static final int SOCK_RAW = 3;
    private static final int SO_BINDTODEVICE = 25;
    private static final int IPPROTO_IP = 0;
    private static final int IP_TOS = 1;
    private static final int IP_TTL = 2;
    private static final int IP_MULTICAST_IF = 32;
    private static final int IP_MULTICAST_TTL = 33;
    private static final int IP_MULTICAST_LOOP = 34;
    private static final int IP_ADD_MEMBERSHIP = 35;

    private final int fd;
    private final Arena arena = Arena.ofShared();
    /** errno of setup calls and sends (the scheduler's thread). */
    private final MemorySegment state = arena.allocate(Libc.CAPTURE);
    /** errno of receives, which run on the receiver thread concurrently with sends. */
    private final MemorySegment recvState = arena.allocate(Libc.CAPTURE);

    private LinuxRawSocket(int fd) {
        this.fd = fd;
    }

    /** {@code socket(AF_INET, SOCK_RAW, 112)}. */
    static LinuxRawSocket open() throws NativeException {
        return new LinuxRawSocket(Libc.socket(AF_INET, SOCK_RAW, VrrpPacket.IP_PROTOCOL, "socket(AF_INET, SOCK_RAW, 112)"));
    }

    /** Interface index, or 0 if there is no such interface. */
    static int interfaceIndex(String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Libc.CAPTURE);
            return (int) Libc.IF_NAMETOINDEX.invokeExact(st, a.allocateFrom(name));
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** TTL 255 unicast and multicast (RFC 5798 §5.1.1.3), TOS 0xc0 as keepalived, no multicast loopback. */
    void configureForVrrp() throws NativeException {
        setInt(IPPROTO_IP, IP_TTL, 255, "IP_TTL");
        setInt(IPPROTO_IP, IP_MULTICAST_TTL, 255, "IP_MULTICAST_TTL");
        setInt(IPPROTO_IP, IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP");
        setInt(IPPROTO_IP, IP_TOS, 0xc0, "IP_TOS");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tv = a.allocate(16); // struct timeval { long tv_sec; long tv_usec; }: 1 s
            tv.set(JAVA_LONG, 0, 1);
            setOpt(Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, "SO_RCVTIMEO");
        }
    }

    /** Receives only what arrives on {@code interfaceName} (needs CAP_NET_RAW). */
    void bindToDevice(String interfaceName) throws NativeException {
        try (Arena a = Arena.ofConfined()) {
            setOpt(Libc.SOL_SOCKET, SO_BINDTODEVICE, a.allocateFrom(interfaceName), "SO_BINDTODEVICE " + interfaceName);
        }
    }

    /**
     * Binds the source address, so the kernel's IP header matches the v3 pseudo-header we summed. Unicast
     * mode only: a bound raw socket receives only datagrams addressed to that address.
     */
    void bind(Inet4Address source) throws NativeException {
        try (Arena a = Arena.ofConfined()) {
            int r = (int) Libc.BIND.invokeExact(state, fd, sockaddr(a, source), 16);
            check(r, "bind " + source.getHostAddress());
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Joins 224.0.0.18 on the interface and sends multicast out of it from {@code source}. Multicast mode
     * must not {@link #bind}: a raw socket bound to an address only receives datagrams addressed to it,
     * which 224.0.0.18 is not. The source goes in IP_MULTICAST_IF's imr_address instead, which Linux uses as
     * the source of multicast sends, so it still matches the v3 pseudo-header.
     */
    void joinVrrpGroup(int interfaceIndex, Inet4Address source) throws NativeException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mreqn = a.allocate(12); // struct ip_mreqn { in_addr multiaddr; in_addr address; int ifindex; }
            MemorySegment.copy(VrrpEncoder.MULTICAST_GROUP.getAddress(), 0, mreqn, JAVA_BYTE, 0, 4);
            MemorySegment.copy(source.getAddress(), 0, mreqn, JAVA_BYTE, 4, 4);
            mreqn.set(JAVA_INT, 8, interfaceIndex);
            setOpt(IPPROTO_IP, IP_ADD_MEMBERSHIP, mreqn, "IP_ADD_MEMBERSHIP 224.0.0.18");
            setOpt(IPPROTO_IP, IP_MULTICAST_IF, mreqn, "IP_MULTICAST_IF");
        }
    }

    /** Sends the VRRP message (the kernel adds the IP header). */
    void send(byte[] message, Inet4Address destination) throws NativeException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocateFrom(JAVA_BYTE, message);
            long r = (long) Libc.SENDTO.invokeExact(state, fd, buf, (long) message.length, 0, sockaddr(a, destination), 16);
            check(r, "sendto " + destination.getHostAddress());
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Blocks up to the receive timeout; the datagram with its IP header, or {@code null} on timeout. */
    byte[] receive(MemorySegment buffer) throws NativeException {
        try {
            long n = (long) Libc.RECV.invokeExact(recvState, fd, buffer, buffer.byteSize(), 0);
            if (n < 0) {
                int errno = Libc.errno(recvState);
                if (errno == Libc.EAGAIN || errno == Libc.EINTR) {
                    return null;
                }
                throw new NativeException("recv", errno);
            }
            return buffer.asSlice(0, n).toArray(JAVA_BYTE);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public void close() {
        try {
            Libc.close(state, fd);
        } finally {
            try {
                arena.close();
            } catch (IllegalStateException stillInUse) {
                // A receive outlived the join in close(); leaking 32 bytes beats crashing shutdown.
            }
        }
    }

    private static MemorySegment sockaddr(Arena a, Inet4Address address) {
        MemorySegment sa = a.allocate(16); // struct sockaddr_in, port 0 (raw sockets have none)
        sa.set(JAVA_SHORT, 0, (short) AF_INET); // host byte order
        MemorySegment.copy(address.getAddress(), 0, sa, JAVA_BYTE, 4, 4); // network byte order
        return sa;
    }

    private void setInt(int level, int name, int value, String what) throws NativeException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            v.set(JAVA_INT.withOrder(ByteOrder.nativeOrder()), 0, value);
            setOpt(level, name, v, what);
        }
    }

    private void setOpt(int level, int name, MemorySegment value, String what) throws NativeException {
        Libc.setsockopt(state, fd, level, name, value, what);
    }

    private void check(long result, String call) throws NativeException {
        if (result < 0) {
            throw new NativeException(call, Libc.errno(state));
        }
    }
}
