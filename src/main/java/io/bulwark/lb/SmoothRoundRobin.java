package io.bulwark.lb;

import io.bulwark.upstream.Server;
import java.util.List;

/**
 * nginx's smooth weighted round-robin: every window of sum(weights) picks gives each server exactly its
 * weight, interleaved rather than in bursts (5,1,1 gives a a b a c a a).
 */
final class SmoothRoundRobin implements LoadBalancer {
    private final Server[] servers;
    private final int[] weights;
    // long: current can reach -(sum of weights), which for 1,000 servers of weight 1,000 still fits an int,
    // but long costs nothing here and leaves no overflow to reason about.
    private final long[] current;

    SmoothRoundRobin(List<Server> servers) {
        this.servers = servers.toArray(new Server[0]);
        this.weights = new int[this.servers.length];
        this.current = new long[this.servers.length];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = this.servers[i].weight();
        }
    }

    @Override
    public Server pick(long affinityKey, Tried tried) {
        long total = 0;
        int best = -1;
        for (int i = 0; i < servers.length; i++) {
            if (!Usable.test(servers[i], tried)) {
                continue;
            }
            current[i] += weights[i];
            total += weights[i];
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
