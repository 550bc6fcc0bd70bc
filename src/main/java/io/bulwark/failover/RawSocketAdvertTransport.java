package io.bulwark.failover;

import io.bulwark.config.VrrpInstanceConfig;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adverts on the wire: a raw IPv4 socket for protocol 112 bound to one interface, sending to 224.0.0.18
 * or to each unicast peer with TTL 255, and one receiver thread per instance handing datagrams (IP header
 * included) to the state machine. Needs CAP_NET_RAW; says so plainly when it is missing. Uses the FFM
 * API, so the launcher must pass {@code --enable-native-access=ALL-UNNAMED} (JDK 25 warns without it).
 */
public final class RawSocketAdvertTransport implements AdvertTransport {
    private static final Logger log = LoggerFactory.getLogger(RawSocketAdvertTransport.class);

    private final LinuxRawSocket socket;
    private final String interfaceName;
    private final Inet4Address source;
    private final List<Inet4Address> peers;
    private volatile boolean closed;
    private volatile boolean sendFailureLogged;
    private Thread receiver;

    private RawSocketAdvertTransport(LinuxRawSocket socket, String interfaceName, Inet4Address source, List<Inet4Address> peers) {
        this.socket = socket;
        this.interfaceName = interfaceName;
        this.source = source;
        this.peers = List.copyOf(peers);
    }

    /** The transport an instance's config asks for: its interface, source address and unicast peers. */
    public static RawSocketAdvertTransport forInstance(VrrpInstanceConfig c) {
        Set<Inet4Address> vips = Set.copyOf(c.virtualAddresses().stream().map(a -> VirtualAddress.parse(a).address()).toList());
        Inet4Address source = c.sourceAddress() != null ? Ipv4.parse(c.sourceAddress()) : primaryAddress(c.interfaceName(), vips);
        return open(c.interfaceName(), source, c.unicastPeers().stream().map(Ipv4::parse).toList());
    }

    /**
     * Opens and configures the socket.
     *
     * @param unicastPeers empty = multicast to 224.0.0.18
     * @throws IllegalStateException saying what is missing: the interface, the capability, the address
     */
    public static RawSocketAdvertTransport open(String interfaceName, Inet4Address source, List<Inet4Address> unicastPeers) {
        int index = LinuxRawSocket.interfaceIndex(interfaceName);
        if (index == 0) {
            throw new IllegalStateException("VRRP interface " + interfaceName + ": no such interface");
        }
        LinuxRawSocket s;
        try {
            s = LinuxRawSocket.open();
        } catch (NativeException e) {
            if (e.errno() == Libc.EPERM || e.errno() == Libc.EACCES) {
                throw new IllegalStateException("VRRP needs CAP_NET_RAW to open a raw IP socket for protocol 112 ("
                        + e.getMessage() + "). Run as root, add AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN to the "
                        + "systemd unit, or setcap cap_net_raw,cap_net_admin+ep on the java binary", e);
            }
            throw new IllegalStateException("VRRP raw socket: " + e.getMessage(), e);
        }
        try {
            s.configureForVrrp();
            s.bindToDevice(interfaceName);
            if (unicastPeers.isEmpty()) {
                s.joinVrrpGroup(index, source);
            } else {
                s.bind(source);
            }
        } catch (NativeException e) {
            s.close();
            throw new IllegalStateException("VRRP socket on " + interfaceName + " from " + source.getHostAddress()
                    + ": " + e.getMessage(), e);
        }
        return new RawSocketAdvertTransport(s, interfaceName, source, unicastPeers);
    }

    /** The interface's first IPv4 address that is not one of the virtual ones (they may be up after a crash). */
    static Inet4Address primaryAddress(String interfaceName, Collection<Inet4Address> virtualAddresses) {
        try {
            NetworkInterface ni = NetworkInterface.getByName(interfaceName);
            if (ni == null) {
                throw new IllegalStateException("VRRP interface " + interfaceName + ": no such interface");
            }
            for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
                if (ia.getAddress() instanceof Inet4Address a && !virtualAddresses.contains(a)) {
                    return a;
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException("VRRP interface " + interfaceName + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException("VRRP interface " + interfaceName
                + ": no IPv4 address to send adverts from (expected: an address on the interface, or source_address)");
    }

    @Override
    public Inet4Address sourceAddress() {
        return source;
    }

    @Override
    public synchronized void start(Consumer<byte[]> consumer) {
        if (receiver != null) {
            throw new IllegalStateException("already started");
        }
        receiver = Thread.ofPlatform().daemon().name("vrrp-rx-" + interfaceName).start(() -> receiveLoop(consumer));
    }

    private void receiveLoop(Consumer<byte[]> consumer) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(65_536);
            while (!closed) {
                byte[] d = socket.receive(buffer);
                if (d != null && d.length >= Ipv4.HEADER_LENGTH && accepts(d)) {
                    consumer.accept(d);
                }
            }
        } catch (NativeException e) {
            if (!closed) {
                log.error("VRRP receiver on {} stopped: {}", interfaceName, e.getMessage());
            }
        }
    }

    /** Not our own (loopback) packets; in unicast mode only the configured peers, as keepalived checks. */
    private boolean accepts(byte[] d) {
        Inet4Address from = Ipv4.fromBytes(new byte[] {d[12], d[13], d[14], d[15]});
        return !from.equals(source) && (peers.isEmpty() || peers.contains(from));
    }

    @Override
    public void send(VrrpPacket packet) {
        List<Inet4Address> destinations = peers.isEmpty() ? List.of(VrrpEncoder.MULTICAST_GROUP) : peers;
        for (Inet4Address to : destinations) {
            try {
                socket.send(VrrpEncoder.encode(packet, source, to), to);
                sendFailureLogged = false;
            } catch (NativeException e) {
                // An advert lost is what VRRP tolerates; a flood of identical errors helps no one.
                if (!sendFailureLogged) {
                    sendFailureLogged = true;
                    log.warn("VRRP advert to {} on {} not sent: {}", to.getHostAddress(), interfaceName, e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Thread t;
        synchronized (this) {
            t = receiver;
        }
        if (t != null) {
            try {
                t.join(2_000); // the receive timeout is 1 s
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        socket.close();
    }
}
