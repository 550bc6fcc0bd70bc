package io.bulwark.lb;

import io.bulwark.upstream.Server;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * ip_hash as a consistent-hash ring with virtual nodes in proportion to weight. A key goes to the first
 * point clockwise from its hash; an unusable owner passes it on clockwise, so a server leaving moves only
 * the keys it held, and its return brings exactly those back.
 */
final class ConsistentHash implements LoadBalancer {
    /** Points per unit of weight while the ring is small: enough for a spread within a few percent. */
    static final int POINTS_PER_WEIGHT = 160;
    /** Cap on the ring, which every instance holds: beyond it, points per weight shrink for all alike. */
    static final int MAX_POINTS = 1 << 18;

    private final Server[] servers;
    private final long[] hashes;
    private final int[] owners;
    // Per pick, which servers the walk has already rejected, so it can stop once it has seen them all.
    private final int[] rejectedAt;
    private int pickStamp;

    ConsistentHash(List<Server> servers) {
        this.servers = servers.toArray(new Server[0]);
        this.rejectedAt = new int[this.servers.length];
        long totalWeight = 0;
        for (Server server : this.servers) {
            totalWeight += server.weight();
        }
        double perWeight = Math.min(POINTS_PER_WEIGHT, (double) MAX_POINTS / Math.max(1, totalWeight));
        int[] counts = new int[this.servers.length];
        int total = 0;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = Math.max(1, (int) Math.round(this.servers[i].weight() * perWeight));
            total += counts[i];
        }
        // Points come from the address, not the list position, so the same server keeps its points across
        // reloads; and point k is the same whatever the count, so a change of scale moves only a server's own.
        long[][] points = new long[total][];
        int p = 0;
        for (int i = 0; i < counts.length; i++) {
            long base = Mix.string(this.servers[i].address().toString());
            for (int k = 0; k < counts[i]; k++) {
                points[p++] = new long[] {Mix.point(base, k), i};
            }
        }
        Arrays.sort(points, Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
        this.hashes = new long[total];
        this.owners = new int[total];
        for (int j = 0; j < total; j++) {
            hashes[j] = points[j][0];
            owners[j] = (int) points[j][1];
        }
    }

    @Override
    public Server pick(long affinityKey, Tried tried) {
        int pos = Arrays.binarySearch(hashes, Mix.mix64(affinityKey));
        if (pos < 0) {
            pos = -pos - 1;
        }
        if (++pickStamp == 0) {
            Arrays.fill(rejectedAt, 0);
            pickStamp = 1;
        }
        int rejected = 0;
        for (int step = 0; step < hashes.length; step++) {
            if (pos == hashes.length) {
                pos = 0;
            }
            int owner = owners[pos++];
            if (rejectedAt[owner] == pickStamp) {
                continue;
            }
            Server server = servers[owner];
            if (Usable.test(server, tried)) {
                return server;
            }
            rejectedAt[owner] = pickStamp;
            if (++rejected == servers.length) {
                return null;
            }
        }
        return null;
    }
}
