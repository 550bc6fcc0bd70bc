package io.bulwark.proxy;

import io.bulwark.upstream.Server;
import java.util.ArrayDeque;

/**
 * Idle keep-alive connections of one event loop, per server. Only its loop touches it, so there are no
 * locks; the most recently used connection is handed out first, so surplus ones age out.
 */
final class ConnectionPool {
    private final ArrayDeque<UpstreamConnection>[][] idle;
    private final int[] maxIdle;
    private final long[] keepaliveTimeoutNanos;

    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array creation
    ConnectionPool(int[] serversPerUpstream, int[] maxIdle, long[] keepaliveTimeoutNanos) {
        this.idle = new ArrayDeque[serversPerUpstream.length][];
        for (int u = 0; u < serversPerUpstream.length; u++) {
            idle[u] = new ArrayDeque[serversPerUpstream[u]];
            for (int s = 0; s < serversPerUpstream[u]; s++) {
                idle[u][s] = new ArrayDeque<>(Math.max(1, maxIdle[u]));
            }
        }
        this.maxIdle = maxIdle;
        this.keepaliveTimeoutNanos = keepaliveTimeoutNanos;
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

    /** Keeps the connection for reuse, or closes it when this server already has enough idle ones. */
    void release(UpstreamConnection c, long nowNanos) {
        ArrayDeque<UpstreamConnection> q = idle[c.upstreamIndex][c.server.index()];
        if (q.size() >= maxIdle[c.upstreamIndex] || !c.usable()) {
            c.close();
            return;
        }
        q.addLast(c);
        c.pooled(nowNanos);
    }

    void remove(UpstreamConnection c) {
        idle[c.upstreamIndex][c.server.index()].remove(c);
    }

    /** Closes connections idle longer than their upstream's keepaliveTimeout. */
    void expire(long nowNanos) {
        for (int u = 0; u < idle.length; u++) {
            for (ArrayDeque<UpstreamConnection> q : idle[u]) {
                // Oldest first: stop at the first one still young enough.
                UpstreamConnection c;
                while ((c = q.peekFirst()) != null && nowNanos - c.idleSinceNanos >= keepaliveTimeoutNanos[u]) {
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
