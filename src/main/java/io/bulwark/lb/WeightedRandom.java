package io.bulwark.lb;

import io.bulwark.upstream.Server;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Weighted random: each usable server is chosen with probability weight / (sum of usable weights).
 *
 * <p>A draw over all servers is a binary search on fixed prefix sums, O(log n). Only when it lands on an
 * unusable server does the pick redraw among the usable ones with an O(n) scan; redrawing by weight keeps
 * the result exact: w_i/W + (W_unusable/W)(w_i/W_usable) = w_i/W_usable.
 */
final class WeightedRandom implements LoadBalancer {
    private final Server[] servers;
    private final int[] weights;
    // cumulative[i] = weights[0] + ... + weights[i]
    private final long[] cumulative;
    private final SplittableRandom random;
    private final Warmup warmup;

    WeightedRandom(List<Server> servers) {
        this(servers, ThreadLocalRandom.current().nextLong());
    }

    /** Seeded, so tests can reproduce a sequence. */
    WeightedRandom(List<Server> servers, long seed) {
        this.servers = servers.toArray(new Server[0]);
        this.weights = new int[this.servers.length];
        this.cumulative = new long[this.servers.length];
        long sum = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = this.servers[i].weight();
            sum += weights[i];
            cumulative[i] = sum;
        }
        // Per instance, not ThreadLocalRandom: the instance is confined to one event loop anyway, and a seed
        // makes the distribution testable.
        this.random = new SplittableRandom(seed);
        this.warmup = new Warmup(this.servers);
    }

    @Override
    public Server pick(long affinityKey, Tried tried) {
        long now = warmup.now();
        if (now != Warmup.NONE) {
            return scan(tried, now);
        }
        int n = servers.length;
        long total = cumulative[n - 1];
        if (total > 0) {
            // The first i with cumulative[i] > r: binarySearch for r + 1 finds it whether or not it is exact.
            int i = Arrays.binarySearch(cumulative, random.nextLong(total) + 1);
            Server server = servers[i >= 0 ? firstOf(i) : -i - 1];
            if (Usable.test(server, tried)) {
                return server;
            }
        }
        return scan(tried, Warmup.NONE);
    }

    /** With zero weights several prefix sums are equal; the draw belongs to the first of them. */
    private int firstOf(int i) {
        while (i > 0 && cumulative[i - 1] == cumulative[i]) {
            i--;
        }
        return i;
    }

    private Server scan(Tried tried, long now) {
        long total = 0;
        for (int i = 0; i < servers.length; i++) {
            if (Usable.test(servers[i], tried)) {
                total += Warmup.weight(servers[i], weights[i], now);
            }
        }
        if (total == 0) {
            return null;
        }
        long r = random.nextLong(total);
        Server last = null;
        for (int i = 0; i < servers.length; i++) {
            // Eligibility is read again and may have changed since the first pass; if r outlives the list,
            // the last usable server seen is as good an answer as any.
            if (Usable.test(servers[i], tried)) {
                last = servers[i];
                r -= Warmup.weight(servers[i], weights[i], now);
                if (r < 0) {
                    return last;
                }
            }
        }
        return last;
    }
}
