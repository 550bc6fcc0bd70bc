package io.bulwark.failover;

import java.net.Inet4Address;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * A shared segment in memory: every datagram sent by one endpoint reaches every other (as multicast to
 * 224.0.0.18 with TTL 255, through the real encoder and decoder), unless the drop rule says otherwise.
 * Delivery goes through the scheduler, so in tests it happens in virtual time and never re-enters the sender.
 */
public final class InMemoryAdvertBus {
    private final VrrpScheduler scheduler;
    private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();
    private volatile BiPredicate<Inet4Address, Inet4Address> drop = (from, to) -> false;
    private volatile long latencyNanos;

    public InMemoryAdvertBus(VrrpScheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** A transport on this segment sending from {@code source}. */
    public AdvertTransport join(Inet4Address source) {
        Endpoint e = new Endpoint(source);
        endpoints.add(e);
        return e;
    }

    /** Drops every datagram for which {@code rule(from, to)} holds, e.g. to kill a node or split the segment. */
    public void dropWhen(BiPredicate<Inet4Address, Inet4Address> rule) {
        this.drop = rule;
    }

    /** Delivers everything again. */
    public void heal() {
        this.drop = (from, to) -> false;
    }

    /** Delay between send and delivery (default 0). */
    public void latencyNanos(long nanos) {
        this.latencyNanos = nanos;
    }

    /** Hands {@code datagram} to every endpoint but the sender, as if it had arrived on the wire. */
    public void inject(Inet4Address from, byte[] datagram) {
        for (Endpoint e : endpoints) {
            if (!e.source.equals(from) && e.receiver != null && !drop.test(from, e.source)) {
                byte[] copy = datagram.clone();
                Consumer<byte[]> r = e.receiver;
                scheduler.schedule(latencyNanos, () -> r.accept(copy));
            }
        }
    }

    private final class Endpoint implements AdvertTransport {
        private final Inet4Address source;
        private volatile Consumer<byte[]> receiver;

        Endpoint(Inet4Address source) {
            this.source = source;
        }

        @Override
        public Inet4Address sourceAddress() {
            return source;
        }

        @Override
        public void start(Consumer<byte[]> receiver) {
            this.receiver = receiver;
        }

        @Override
        public void send(VrrpPacket packet) {
            inject(source, VrrpEncoder.datagram(packet, source, VrrpEncoder.MULTICAST_GROUP));
        }

        @Override
        public void close() {
            receiver = null;
            endpoints.remove(this);
        }
    }
}
