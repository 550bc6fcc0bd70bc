package io.bulwark.lb;

import io.bulwark.upstream.Server;
import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fewest requests in flight relative to weight. Ties go to the first found from a start that moves on
 * every pick, so equally loaded servers share the traffic instead of the first one taking it all.
 *
 * <p>In-flight counts change on every event loop, so this instance cannot keep them ordered as HAProxy
 * does. Up to {@link #EXACT_MAX} servers a pick reads them all, O(n), except that it stops at the first idle
 * server. Above that it samples: two servers drawn by weight, the one with fewer requests in flight per
 * weight wins (power of two choices; each draw is O(1) through Walker's alias table); it is within a small factor of the least loaded and avoids
 * the herd that an exact pick causes when every loop sees the same minimum. When the draws keep landing on
 * unusable servers the pick falls back to the exact scan, so it never misses a usable server.
 */
final class LeastConn implements LoadBalancer {
    /** The largest tier picked exactly; larger ones are sampled. */
    static final int EXACT_MAX = 32;
    private static final int SAMPLE_ATTEMPTS = 4;

    private final Server[] servers;
    private final int[] weights;
    private final boolean sampled;
    // Walker's alias table for the sampled mode: a draw of column i keeps i when the low 32 random bits are
    // below threshold[i] (out of 2^32), else takes alias[i].
    private final long[] threshold;
    private final int[] alias;
    private final SplittableRandom random;
    private final Warmup warmup;
    private int start;

    LeastConn(List<Server> servers) {
        this(servers, servers.size() > EXACT_MAX, ThreadLocalRandom.current().nextLong());
    }

    /** Mode and seed chosen by the caller, so tests can reproduce both. */
    LeastConn(List<Server> servers, boolean sampled, long seed) {
        this.servers = servers.toArray(new Server[0]);
        int n = this.servers.length;
        this.weights = new int[n];
        long sum = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = this.servers[i].weight();
            sum += weights[i];
        }
        // Zero weights everywhere leave nothing to draw by: pick exactly.
        this.sampled = sampled && sum > 0;
        this.random = new SplittableRandom(seed);
        this.warmup = new Warmup(this.servers);
        this.threshold = new long[this.sampled ? n : 0];
        this.alias = new int[this.sampled ? n : 0];
        if (this.sampled) {
            buildAlias(sum);
        }
    }

    /** Vose's construction, in integers: column i holds weight share n*w_i/sum, topped up from one alias. */
    private void buildAlias(long sum) {
        int n = weights.length;
        // Scaled so a full column is sum (exact): column i starts at n * w_i.
        long[] scaled = new long[n];
        ArrayDeque<Integer> small = new ArrayDeque<>();
        ArrayDeque<Integer> large = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            scaled[i] = (long) n * weights[i];
            (scaled[i] < sum ? small : large).add(i);
            alias[i] = i;
        }
        while (!small.isEmpty() && !large.isEmpty()) {
            int s = small.poll();
            int l = large.peek();
            threshold[s] = (long) ((double) scaled[s] / sum * (1L << 32)); // double: no overflow
            alias[s] = l;
            scaled[l] -= sum - scaled[s];
            if (scaled[l] < sum) {
                large.poll();
                small.add(l);
            }
        }
        // What is left is full up to rounding: always kept.
        for (int i : large) {
            threshold[i] = 1L << 32;
        }
        for (int i : small) {
            threshold[i] = 1L << 32;
        }
    }

    @Override
    public Server pick(long affinityKey, Tried tried) {
        long now = warmup.now();
        if (sampled) {
            for (int attempt = 0; attempt < SAMPLE_ATTEMPTS; attempt++) {
                int a = draw();
                int b = draw();
                boolean aUsable = Usable.test(servers[a], tried);
                boolean bUsable = b != a && Usable.test(servers[b], tried);
                if (aUsable && bUsable) {
                    // inFlight/weight compared cross-multiplied; a tie goes to the first draw.
                    long la = servers[a].inFlight();
                    long lb = servers[b].inFlight();
                    long wa = Warmup.weight(servers[a], weights[a], now);
                    long wb = Warmup.weight(servers[b], weights[b], now);
                    return lb * wa < la * wb ? servers[b] : servers[a];
                }
                if (aUsable) {
                    return servers[a];
                }
                if (bUsable) {
                    return servers[b];
                }
            }
        }
        return exact(tried, now);
    }

    /** A server index drawn with probability weight / total weight, from one 64-bit random number. */
    private int draw() {
        long r = random.nextLong();
        // High 32 bits choose the column (multiply-shift, no modulo bias worth the name), low 32 the side.
        int i = (int) (((r >>> 32) * threshold.length) >>> 32);
        return (r & 0xFFFFFFFFL) < threshold[i] ? i : alias[i];
    }

    /** The least loaded usable server; while a server ramps up ({@code now} set) weights are in thousandths. */
    private Server exact(Tried tried, long now) {
        int n = servers.length;
        int first = start;
        start = first + 1 == n ? 0 : first + 1;
        int best = -1;
        long bestInFlight = 0;
        long bestWeight = 0;
        boolean ramping = now != Warmup.NONE;
        int i = first;
        for (int k = 0; k < n; k++) {
            Server server = servers[i];
            if (Usable.test(server, tried)) {
                long inFlight = server.inFlight();
                if (inFlight == 0 && !ramping) {
                    // Nothing beats an idle server, and the rotating start already shares the idle ones:
                    // at light load a pick ends here instead of reading every server.
                    return server;
                }
                long weight = Warmup.weight(server, weights[i], now);
                // inFlight/weight < best/bestWeight, cross-multiplied: no division, no rounding. While a
                // server ramps, +1 makes an idle one count by its weight too, so it does not win every tie.
                long load = ramping ? inFlight + 1 : inFlight;
                if (best < 0 || load * bestWeight < bestInFlight * weight) {
                    best = i;
                    bestInFlight = load;
                    bestWeight = weight;
                }
            }
            i = i + 1 == n ? 0 : i + 1;
        }
        return best < 0 ? null : servers[best];
    }
}
