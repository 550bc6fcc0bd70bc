package io.bulwark.upstream;

import io.bulwark.config.HostPort;
import io.bulwark.config.ServerConfig;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One backend server as the data plane sees it: where it is, its weight, whether it may take traffic now,
 * and how many requests it has in flight. Shared by every event loop, so its mutable parts are atomic.
 */
public final class Server {
    private final String upstream;
    private final int index;
    private final HostPort address;
    private final InetSocketAddress socketAddress;
    private final int weight;
    private final boolean backup;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean healthy = true;

    public Server(String upstream, int index, ServerConfig config) {
        this.upstream = upstream;
        this.index = index;
        this.address = config.address();
        // Resolved once: a DNS lookup on the request path would block an event loop.
        this.socketAddress = new InetSocketAddress(address.host(), address.port());
        this.weight = config.weight();
        this.backup = config.backup();
    }

    /** Name of the upstream this server belongs to. */
    public String upstream() {
        return upstream;
    }

    /** Position within its upstream's server list, stable for the life of this object. */
    public int index() {
        return index;
    }

    public HostPort address() {
        return address;
    }

    public InetSocketAddress socketAddress() {
        return socketAddress;
    }

    public int weight() {
        return weight;
    }

    public boolean backup() {
        return backup;
    }

    /** Whether the balancer may choose this server now. */
    public boolean eligible() {
        return healthy;
    }

    /** Health as last decided by checks; later issues add admin state and ejection. */
    public void healthy(boolean healthy) {
        this.healthy = healthy;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Called when a request is assigned to this server. */
    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    /** Called exactly once for each {@link #requestStarted()}, however the request ended. */
    public void requestFinished() {
        inFlight.decrementAndGet();
    }

    @Override
    public String toString() {
        return "(" + upstream + "/" + address + ")";
    }
}
