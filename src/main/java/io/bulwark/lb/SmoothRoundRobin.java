package io.bulwark.lb;

import io.bulwark.upstream.Server;
import java.util.List;

/**
 * nginx's smooth weighted round-robin: every window of sum(weights) picks gives each server exactly its
 * weight, interleaved rather than in bursts (5,1,1 gives a a b a c a a).
 *
 * <p>nginx's form scans every server on every pick. Weights are fixed for the life of an instance, so the
 * window with every server usable is computed once; a pick takes the next slot of it in O(1). A slot whose
 * server is unusable (ineligible or tried) falls back to the scan over the usable ones, which gives that
 * slot away by weight: server i then gets w_i + W_unusable * w_i / W_usable = w_i * W / W_usable of every
 * window, exactly its weighted share of the servers left, and a server that comes back gets its own slots
 * back on the next pass without any event having to reach this instance.
 */
final class SmoothRoundRobin implements LoadBalancer {
    /** Longest window kept (it costs 4 bytes a slot per instance); longer ones always scan. */
    static final int MAX_SCHEDULE = 1 << 16;
    /** Building the window costs servers × slots steps; above this budget the instance just scans. */
    static final long MAX_BUILD_STEPS = 1L << 22;

    private final Server[] servers;
    private final int[] weights;
    // long: current can reach -(sum of weights); long leaves no overflow to reason about.
    private final long[] current;
    private final Server[] schedule;
    private final Warmup warmup;
    private int slot;

    SmoothRoundRobin(List<Server> servers) {
        this.servers = servers.toArray(new Server[0]);
        this.weights = new int[this.servers.length];
        this.current = new long[this.servers.length];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = this.servers[i].weight();
        }
        this.schedule = schedule(this.servers, weights);
        this.warmup = new Warmup(this.servers);
    }

    /** One full window with every server usable, or null when it would be too long to keep or to build. */
    private static Server[] schedule(Server[] servers, int[] weights) {
        // Weights 100,50 cycle the same as 2,1: divide by their gcd to keep the window short.
        int gcd = 0;
        long total = 0;
        for (int weight : weights) {
            gcd = gcd(gcd, weight);
            total += weight;
        }
        if (gcd <= 0) {
            return null;
        }
        long length = total / gcd;
        if (length > MAX_SCHEDULE || length * servers.length > MAX_BUILD_STEPS) {
            return null;
        }
        Server[] schedule = new Server[(int) length];
        long[] current = new long[servers.length];
        for (int s = 0; s < schedule.length; s++) {
            int best = 0;
            for (int i = 0; i < servers.length; i++) {
                current[i] += weights[i] / gcd;
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= length;
            schedule[s] = servers[best];
        }
        return schedule;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public Server pick(long affinityKey, Tried tried) {
        long now = warmup.now();
        if (now != Warmup.NONE) {
            // A ramping server's share changes with time, so the fixed window cannot serve it.
            return scan(tried, now);
        }
        if (schedule != null) {
            Server server = schedule[slot];
            slot = slot + 1 == schedule.length ? 0 : slot + 1;
            if (Usable.test(server, tried)) {
                return server;
            }
        }
        return scan(tried, Warmup.NONE);
    }

    /**
     * nginx's pick over the usable servers: O(n), used only for slots whose server cannot take this request
     * and while a server ramps up (then with weights in thousandths, as {@link Warmup#weight} gives them).
     */
    private Server scan(Tried tried, long now) {
        long total = 0;
        int best = -1;
        for (int i = 0; i < servers.length; i++) {
            if (!Usable.test(servers[i], tried)) {
                continue;
            }
            long w = Warmup.weight(servers[i], weights[i], now);
            current[i] += w;
            total += w;
            if (best < 0 || current[i] > current[best]) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        current[best] -= total;
        return servers[best];
    }
}
