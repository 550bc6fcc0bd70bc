package io.bulwark.lb;

import io.bulwark.upstream.Server;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/** Weighted random: each usable server is chosen with probability weight / (sum of usable weights). */
final class WeightedRandom implements LoadBalancer {
    private final Server[] servers;
    private final int[] weights;
    private final SplittableRandom random;

    WeightedRandom(List<Server> servers) {
        this(servers, ThreadLocalRandom.current().nextLong());
    }

    /** Seeded, so tests can reproduce a sequence. */
    WeightedRandom(List<Server> servers, long seed) {
        this.servers = servers.toArray(new Server[0]);
        this.weights = new int[this.servers.length];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = this.servers[i].weight();
        }
        // Per instance, not ThreadLocalRandom: the instance is confined to one event loop anyway, and a seed
        // makes the distribution testable.
        this.random = new SplittableRandom(seed);
    }

    @Override
    public Server pick(long affinityKey, Tried tried) {
        long total = 0;
        for (int i = 0; i < servers.length; i++) {
            if (Usable.test(servers[i], tried)) {
                total += weights[i];
            }
        }
        if (total == 0) {
            return null;
        }
        long r = random.nextLong(total);
        for (int i = 0; i < servers.length; i++) {
            // Read eligibility again: it may have changed since the first pass, so the last usable one
            // seen is the answer if r outlives the list.
            if (Usable.test(servers[i], tried)) {
                r -= weights[i];
                if (r < 0) {
                    return servers[i];
                }
            }
        }
        return lastUsable(tried);
    }

    private Server lastUsable(Tried tried) {
        for (int i = servers.length - 1; i >= 0; i--) {
            if (Usable.test(servers[i], tried)) {
                return servers[i];
            }
        }
        return null;
    }
}
