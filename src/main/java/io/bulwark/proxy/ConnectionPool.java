package io.bulwark.proxy;

import io.bulwark.upstream.Server;
import java.util.ArrayDeque;

/**
 * Idle keep-alive connections of one event loop, per server. Only its loop touches it, so there are no
 * locks; the most recently used connection is handed out first, so surplus ones age out.
 *
 * <p>Up to {@code keepalive} idle connections per server are kept for the keepalive timeout. Up to as many
 * again are kept only until a sweep finds them idle for a whole sweep interval: under bursty load the
 * connections in use swing with each burst, and closing every one above the cap as a burst ends only to
 * open it again for the next made a gateway at 200 clients open and close thousands of connections a
 * second: at 13 B that cost 9 % of its requests per second and a fifth more CPU per request.
 */
final class ConnectionPool {
    private final ArrayDeque<UpstreamConnection>[][] idle;
    private final int[] maxIdle;
    private final long[] keepaliveTimeoutNanos;
    private final long surplusIdleNanos;

    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array creation
    /** @param surplusIdleNanos how long a connection above {@code maxIdle} may stay idle (the sweep interval) */
    ConnectionPool(int[] serversPerUpstream, int[] maxIdle, long[] keepaliveTimeoutNanos, long surplusIdleNanos) {
        this.idle = new ArrayDeque[serversPerUpstream.length][];
        for (int u = 0; u < serversPerUpstream.length; u++) {
            idle[u] = new ArrayDeque[serversPerUpstream[u]];
            for (int s = 0; s < serversPerUpstream[u]; s++) {
                idle[u][s] = new ArrayDeque<>(Math.max(1, maxIdle[u]));
            }
        }
        this.maxIdle = maxIdle;
        this.keepaliveTimeoutNanos = keepaliveTimeoutNanos;
        this.surplusIdleNanos = surplusIdleNanos;
    }

    /** A live idle connection to the server, or {@code null}. */
    UpstreamConnection poll(int upstreamIndex, Server server) {
        ArrayDeque<UpstreamConnection> q = idle[upstreamIndex][server.index()];
        UpstreamConnection c;
        while ((c = q.pollLast()) != null) {
            if (c.usable()) {
                return c;
            }
            c.close();
        }
        return null;
    }

    /** Keeps the connection for reuse, or closes it when this server already has twice its idle cap. */
    void release(UpstreamConnection c, long nowNanos) {
        ArrayDeque<UpstreamConnection> q = idle[c.upstreamIndex][c.server.index()];
        if (q.size() >= 2 * maxIdle[c.upstreamIndex] || !c.usable()) {
            c.close();
            return;
        }
        q.addLast(c);
        c.pooled(nowNanos);
    }

    void remove(UpstreamConnection c) {
        idle[c.upstreamIndex][c.server.index()].remove(c);
    }

    /**
     * Closes connections idle longer than their upstream's keepaliveTimeout, and those above the idle cap
     * that sat unused for the surplus interval.
     */
    void expire(long nowNanos) {
        for (int u = 0; u < idle.length; u++) {
            for (ArrayDeque<UpstreamConnection> q : idle[u]) {
                // Oldest first: stop at the first one still young enough.
                UpstreamConnection c;
                while ((c = q.peekFirst()) != null && (nowNanos - c.idleSinceNanos >= keepaliveTimeoutNanos[u]
                        || q.size() > maxIdle[u] && nowNanos - c.idleSinceNanos >= surplusIdleNanos)) {
                    q.pollFirst();
                    c.close();
                }
            }
        }
    }

    void closeAll() {
        for (ArrayDeque<UpstreamConnection>[] perServer : idle) {
            for (ArrayDeque<UpstreamConnection> q : perServer) {
                UpstreamConnection c;
                while ((c = q.pollFirst()) != null) {
                    c.close();
                }
            }
        }
    }
}
