package io.bulwark.failover;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * An AF_PACKET datagram socket through the FFM API that sends ARP out of a given interface, the kernel
 * adding the Ethernet header; and reads interfaces (index, MAC, flags) with ioctls on it, which answer for
 * the network namespace the socket was opened in. Needs CAP_NET_RAW. Not thread-safe.
 */
final class PacketSocket implements AutoCloseable {
    private static final int AF_PACKET = 17;
    private static final int SOCK_DGRAM = 2;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCGIFHWADDR = 0x8927;
    private static final long SIOCGIFINDEX = 0x8933;
    private static final int IFF_NOARP = 0x80;
    private static final int IFNAMSIZ = 16;
    /** struct ifreq: the name, then a union of at most 24 bytes. */
    private static final int IFREQ = 40;
    /** struct sockaddr_ll: family, protocol, ifindex, hatype, pkttype, halen, addr[8]. */
    private static final int SOCKADDR_LL = 20;
    private static final ValueLayout.OfShort NETWORK_SHORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

    /** An interface as a gratuitous ARP needs it. */
    record Link(String name, int index, byte[] mac, boolean arp) {}

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = arena.allocate(Libc.CAPTURE);
    private final MemorySegment ifreq = arena.allocate(IFREQ);
    private final MemorySegment destination = arena.allocate(SOCKADDR_LL);
    private final MemorySegment frame = arena.allocate(64);

    private PacketSocket(int fd) {
        this.fd = fd;
        destination.set(JAVA_SHORT, 0, (short) AF_PACKET);
        destination.set(NETWORK_SHORT, 2, (short) GratuitousArp.ETH_P_ARP);
        destination.set(JAVA_BYTE, 11, (byte) 6);
        MemorySegment.copy(GratuitousArp.BROADCAST, 0, destination, JAVA_BYTE, 12, 6);
    }

    /**
     * {@code socket(AF_PACKET, SOCK_DGRAM, 0)}: protocol 0 hooks the socket to no received traffic, so no
     * ARP arriving on any interface queues up in a socket nobody reads (keepalived attaches a drop-all filter
     * to its ARP socket for the same reason); sends name their protocol in the destination.
     */
    static PacketSocket open() throws NativeException {
        return new PacketSocket(Libc.socket(AF_PACKET, SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0, "socket(AF_PACKET, SOCK_DGRAM, 0)"));
    }

    /**
     * The interface's index and MAC, and whether it speaks ARP (Ethernet, without IFF_NOARP).
     *
     * @throws NativeException ENODEV when there is no such interface
     */
    Link link(String name) throws NativeException {
        int index = index(name);
        MemorySegment hw = ioctl(name, SIOCGIFHWADDR);
        int type = hw.get(JAVA_SHORT, IFNAMSIZ) & 0xffff; // struct sockaddr: sa_family is the ARPHRD type
        byte[] mac = hw.asSlice(IFNAMSIZ + 2, 6).toArray(JAVA_BYTE);
        int flags = ioctl(name, SIOCGIFFLAGS).get(JAVA_SHORT, IFNAMSIZ) & 0xffff;
        return new Link(name, index, mac, type == GratuitousArp.ARPHRD_ETHER && (flags & IFF_NOARP) == 0);
    }

    /**
     * The interface's index.
     *
     * @throws NativeException ENODEV when there is no such interface
     */
    int index(String name) throws NativeException {
        return ioctl(name, SIOCGIFINDEX).get(JAVA_INT, IFNAMSIZ);
    }

    /** Sends {@code arp} (an ARP message, no Ethernet header) out of the interface to the Ethernet broadcast address. */
    void sendArp(int interfaceIndex, byte[] arp) throws NativeException {
        destination.set(JAVA_INT, 4, interfaceIndex);
        MemorySegment.copy(arp, 0, frame, JAVA_BYTE, 0, arp.length);
        try {
            long r = (long) Libc.SENDTO.invokeExact(state, fd, frame, (long) arp.length, 0, destination, SOCKADDR_LL);
            if (r < 0) {
                throw new NativeException("sendto(AF_PACKET)", Libc.errno(state));
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The ifreq after {@code request}; valid until the next call. */
    private MemorySegment ioctl(String name, long request) throws NativeException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length == 0 || n.length >= IFNAMSIZ) {
            throw new NativeException("ioctl " + name, Libc.ENODEV); // no interface can have that name
        }
        ifreq.fill((byte) 0);
        MemorySegment.copy(n, 0, ifreq, JAVA_BYTE, 0, n.length);
        try {
            int r = (int) Libc.IOCTL.invokeExact(state, fd, request, ifreq);
            if (r < 0) {
                throw new NativeException("ioctl " + name, Libc.errno(state));
            }
            return ifreq;
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
            arena.close();
        }
    }
}
