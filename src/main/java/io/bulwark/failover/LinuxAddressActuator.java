package io.bulwark.failover;

import java.net.Inet4Address;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves virtual addresses with rtnetlink (what {@code ip addr add|del} sends) and announces them with
 * gratuitous ARP from a packet socket (what keepalived sends), through system calls, so no child process
 * stands between the MASTER decision and the first ARP on the wire. Requests run one after another on one
 * thread, in the order the state machine asked, so a quick MASTER → BACKUP → MASTER can never end with the
 * address removed; the state machine's thread never waits for them.
 */
public final class LinuxAddressActuator implements AddressActuator, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LinuxAddressActuator.class);
    /** Gratuitous ARPs per burst, {@link #GARP_INTERVAL_MILLIS} apart (keepalived's garp_master_repeat is 5). */
    static final int GARP_COUNT = 5;
    static final long GARP_INTERVAL_MILLIS = 200;
    /**
     * A second burst this long after the first, as keepalived's garp_master_delay (5 s): for a neighbour or
     * switch that missed the first one, e.g. while its own link was coming up.
     */
    static final long GARP_AGAIN_AFTER_MILLIS = 5_000;
    /** The kernel refuses RTM_DELADDR for interface index 0 (no such device) only after the capability check. */
    private static final VirtualAddress PROBE = VirtualAddress.parse("0.0.0.0/32");
    private static final String GRANT = "Run as root, add AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN to the systemd "
            + "unit, or setcap cap_net_raw,cap_net_admin+ep on the java binary";

    private final NetlinkSocket netlink;
    private final PacketSocket packet;
    private final ScheduledThreadPoolExecutor queue;
    /** Bursts still sending; touched on the queue's thread only. */
    private final Map<Target, Burst> bursts = new HashMap<>();
    private final AtomicInteger failures = new AtomicInteger();

    /** One address on one interface. */
    private record Target(String interfaceName, Inet4Address address) {}

    private LinuxAddressActuator(NetlinkSocket netlink, PacketSocket packet) {
        this.netlink = netlink;
        this.packet = packet;
        queue = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "vrrp-actuator");
            t.setDaemon(true);
            return t;
        });
        queue.setRemoveOnCancelPolicy(true);
        // On close, garps still to come are dropped; address changes already asked for still run.
        queue.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        queue.prestartCoreThread();
    }

    /**
     * Opens the sockets, checks the capabilities and the interfaces, and makes each system call of the failover
     * path once, so the node fails at start rather than at its first failover, and that failover pays for no
     * class loading or linking.
     *
     * @throws IllegalStateException saying what is missing: CAP_NET_ADMIN, CAP_NET_RAW, an interface
     */
    public static LinuxAddressActuator create(Collection<String> interfaceNames) {
        NetlinkSocket netlink;
        try {
            netlink = NetlinkSocket.open();
        } catch (NativeException e) {
            throw new IllegalStateException("VRRP rtnetlink socket: " + e.getMessage(), e);
        }
        PacketSocket packet = null;
        try {
            Rtnetlink.Ack probe = netlink.request(seq -> Rtnetlink.deleteAddress(seq, 0, PROBE));
            if (probe.error() == -Libc.EPERM || probe.error() == -Libc.EACCES) {
                throw new IllegalStateException("VRRP needs CAP_NET_ADMIN to add virtual addresses (rtnetlink answered "
                        + Libc.errnoName(-probe.error()) + "). " + GRANT);
            }
            try {
                packet = PacketSocket.open();
            } catch (NativeException e) {
                if (e.errno() == Libc.EPERM || e.errno() == Libc.EACCES) {
                    throw new IllegalStateException("VRRP needs CAP_NET_RAW to send gratuitous ARP (" + e.getMessage()
                            + "). " + GRANT, e);
                }
                throw e;
            }
            for (String name : interfaceNames) {
                PacketSocket.Link link = link(packet, name);
                if (!link.arp()) {
                    log.info("VRRP interface {} does not use ARP: no gratuitous ARP will be sent on it", name);
                }
            }
            try {
                packet.sendArp(0, GratuitousArp.request(new byte[6], PROBE.address())); // warms the send path
            } catch (NativeException expected) {
                // ENXIO: no interface has index 0
            }
            return new LinuxAddressActuator(netlink, packet);
        } catch (NativeException e) {
            closeAll(netlink, packet);
            throw new IllegalStateException("VRRP address actuator: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(netlink, packet);
            throw e;
        }
    }

    private static PacketSocket.Link link(PacketSocket packet, String name) throws NativeException {
        try {
            return packet.link(name);
        } catch (NativeException e) {
            if (e.errno() == Libc.ENODEV) {
                throw new IllegalStateException("VRRP interface " + name + ": no such interface", e);
            }
            throw e;
        }
    }

    private static void closeAll(NetlinkSocket netlink, PacketSocket packet) {
        netlink.close();
        if (packet != null) {
            packet.close();
        }
    }

    @Override
    public void add(String interfaceName, List<VirtualAddress> addresses) {
        long asked = System.nanoTime();
        for (VirtualAddress a : addresses) {
            enqueue(() -> change(true, interfaceName, a, asked));
        }
    }

    @Override
    public void remove(String interfaceName, List<VirtualAddress> addresses) {
        long asked = System.nanoTime();
        for (VirtualAddress a : addresses) {
            enqueue(() -> {
                // A garp still going out after we gave the address up would pull traffic back from the new master.
                stopAnnouncing(new Target(interfaceName, a.address()));
                change(false, interfaceName, a, asked);
            });
        }
    }

    @Override
    public void announce(String interfaceName, List<VirtualAddress> addresses) {
        long asked = System.nanoTime();
        for (VirtualAddress a : addresses) {
            enqueue(() -> startAnnouncing(new Target(interfaceName, a.address()), asked));
        }
    }

    /** Address changes and gratuitous ARPs that failed so far, each also logged as an ERROR (read by tests). */
    int failures() {
        return failures.get();
    }

    /** Waits until everything asked before has run (not the repeats of a garp burst). */
    void drain() throws InterruptedException, TimeoutException {
        try {
            queue.submit(() -> {}).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    private void enqueue(Runnable task) {
        try {
            queue.execute(task);
        } catch (RejectedExecutionException closed) {
            log.debug("VRRP address actuator closed; request dropped");
        }
    }

    private void change(boolean add, String interfaceName, VirtualAddress a, long asked) {
        try {
            int index = packet.index(interfaceName);
            Rtnetlink.Ack ack = netlink.request(seq -> add ? Rtnetlink.newAddress(seq, index, a)
                    : Rtnetlink.deleteAddress(seq, index, a));
            // Already there (after a crash) or already gone (the clean-up at start): the goal state holds.
            if (ack.error() == 0 || ack.error() == (add ? -Libc.EEXIST : -Libc.EADDRNOTAVAIL)) {
                if (log.isDebugEnabled()) {
                    log.debug("{} {} {} {}: done {} us after it was asked{}", add ? "added" : "removed", a,
                            add ? "to" : "from", interfaceName, micros(asked), ack.error() == 0 ? "" : " (already so)");
                }
                return;
            }
            fail(add, interfaceName, a, "rtnetlink answered " + Libc.errnoName(-ack.error())
                    + (ack.reason() == null ? "" : ": " + ack.reason()));
        } catch (NativeException e) {
            fail(add, interfaceName, a, why(e));
        }
    }

    /** The interface lookup's ENODEV is the one failure an operator can act on without reading errno. */
    private static String why(NativeException e) {
        return e.errno() == Libc.ENODEV ? "no such interface" : e.getMessage();
    }

    private void fail(boolean add, String interfaceName, VirtualAddress a, String why) {
        failures.incrementAndGet();
        log.error("VRRP could not {} {} {} {}: {}", add ? "add" : "remove", a, add ? "to" : "from", interfaceName, why);
    }

    private void startAnnouncing(Target target, long asked) {
        stopAnnouncing(target);
        PacketSocket.Link link;
        try {
            link = packet.link(target.interfaceName());
        } catch (NativeException e) {
            failures.incrementAndGet();
            log.error("VRRP could not send gratuitous ARP for {} on {}: {}", target.address().getHostAddress(),
                    target.interfaceName(), why(e));
            return;
        }
        if (link.arp()) {
            Burst b = new Burst(target, link, asked);
            bursts.put(target, b);
            b.run();
        }
    }

    private void stopAnnouncing(Target target) {
        Burst b = bursts.remove(target);
        if (b != null) {
            b.cancel();
        }
    }

    /** Offset of the {@code i}-th garp of a burst from its first: 0, 200, …, 800 ms, then 5000, 5200, … ms. */
    static long garpOffsetMillis(int i) {
        return i / GARP_COUNT * GARP_AGAIN_AFTER_MILLIS + i % GARP_COUNT * GARP_INTERVAL_MILLIS;
    }

    private static long micros(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000;
    }

    /** One address's gratuitous ARPs, each scheduled by the one before; runs on the queue's thread only. */
    private final class Burst implements Runnable {
        private final Target target;
        private final PacketSocket.Link link;
        private final byte[] arp;
        private final long asked;
        private long firstNanos;
        private int sent;
        private boolean cancelled;
        private ScheduledFuture<?> next;

        Burst(Target target, PacketSocket.Link link, long asked) {
            this.target = target;
            this.link = link;
            this.arp = GratuitousArp.request(link.mac(), target.address());
            this.asked = asked;
        }

        @Override
        public void run() {
            if (cancelled) {
                return;
            }
            try {
                packet.sendArp(link.index(), arp);
            } catch (NativeException e) {
                failures.incrementAndGet();
                log.error("VRRP could not send gratuitous ARP for {} on {}: {}", target.address().getHostAddress(),
                        target.interfaceName(), e.getMessage());
                bursts.remove(target, this);
                return;
            }
            if (sent++ == 0) {
                firstNanos = System.nanoTime();
                if (log.isDebugEnabled()) {
                    log.debug("gratuitous ARP for {} at {} on {} sent {} us after it was asked",
                            target.address().getHostAddress(), GratuitousArp.format(link.mac()), target.interfaceName(),
                            micros(asked));
                }
            }
            if (sent == 2 * GARP_COUNT) {
                bursts.remove(target, this);
                return;
            }
            long delay = firstNanos + garpOffsetMillis(sent) * 1_000_000 - System.nanoTime();
            try {
                next = queue.schedule(this, delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                bursts.remove(target, this);
            }
        }

        void cancel() {
            cancelled = true;
            if (next != null) {
                next.cancel(false);
            }
        }
    }

    /**
     * Stops the garps still to come, waits for the address changes already asked for (the removals of a
     * clean stop), then closes the sockets.
     */
    @Override
    public void close() {
        if (queue.isShutdown()) {
            return;
        }
        enqueue(() -> {
            bursts.values().forEach(Burst::cancel);
            bursts.clear();
        });
        queue.shutdown();
        try {
            if (!queue.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("VRRP address changes still running 10 s after close; their sockets stay open");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        netlink.close();
        packet.close();
    }
}
