package io.bulwark.lb;

import io.bulwark.upstream.Server;

/**
 * Tells a balancer whether any of its servers is in a slow-start ramp right now. Without slow start
 * configured it costs nothing; with it, a pick costs one volatile read until a ramp begins, and a clock read
 * only while one is running.
 */
final class Warmup {
    /** Returned by {@link #now()} when nothing ramps. */
    static final long NONE = -1;
    private static final long NEVER = Long.MIN_VALUE;

    private final Server[] servers;
    private final boolean configured;
    private long seenRamps = -1;
    private long until = NEVER;

    Warmup(Server[] servers) {
        this.servers = servers;
        boolean any = false;
        for (Server s : servers) {
            any |= s.slowStarts();
        }
        this.configured = any;
    }

    /** The clock's nanos when some server is ramping (pass it to {@link #weight}), else {@link #NONE}. */
    long now() {
        if (!configured) {
            return NONE;
        }
        long ramps = Server.rampsStarted();
        if (ramps != seenRamps) {
            seenRamps = ramps;
            until = NEVER;
            for (Server s : servers) {
                long u = s.warmUntilNanos();
                if (u != NEVER && (until == NEVER || u - until > 0)) {
                    until = u;
                }
            }
        }
        if (until == NEVER) {
            return NONE;
        }
        long now = servers[0].nanoTime();
        if (now - until >= 0) {
            until = NEVER;
            return NONE;
        }
        // NONE is -1; a clock that reads exactly -1 would only skip one ramped pick.
        return now;
    }

    /** The server's weight in thousandths, ramped when {@code now} is not {@link #NONE}. */
    static long weight(Server server, int weight, long now) {
        return now == NONE ? weight : (long) weight * server.rampPermille(now);
    }
}
