package io.bulwark.lb;

import io.bulwark.config.Balance;
import io.bulwark.upstream.Server;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks a server for a request. Instances keep per-pick state without locks, so the data plane keeps one
 * instance per event loop; what they read from {@link Server} (eligibility, in-flight) is shared.
 */
public interface LoadBalancer {
    /**
     * An eligible server not in {@code tried}, or {@code null} when there is none.
     *
     * @param affinityKey a hash of the client (used by {@code ip_hash}; ignored by the others)
     */
    Server pick(long affinityKey, Tried tried);

    /**
     * A balancer of the given kind over {@code servers}: primaries first, backups only when no primary is
     * eligible and untried. A retry that has tried every eligible primary goes to a backup rather than
     * failing. Backups are balanced among themselves with the same algorithm.
     */
    static LoadBalancer create(Balance balance, List<Server> servers) {
        return create(balance, servers, 0);
    }

    /**
     * As {@link #create(Balance, List)}, with a panic threshold: when fewer than {@code panicPercent} % of
     * the primaries are eligible and no backup is, traffic spreads over every primary not taken out by the
     * operator (see {@link Panic}); 0 turns it off.
     */
    static LoadBalancer create(Balance balance, List<Server> servers, int panicPercent) {
        List<Server> primaries = new ArrayList<>();
        List<Server> backups = new ArrayList<>();
        for (Server server : servers) {
            (server.backup() ? backups : primaries).add(server);
        }
        // With only backups configured they still serve: an upstream is never empty by accident of flags.
        if (primaries.isEmpty()) {
            primaries = backups;
            backups = List.of();
        }
        LoadBalancer first = tier(balance, primaries);
        if (panicPercent > 0 && !primaries.isEmpty()) {
            first = new Panic(first, primaries.toArray(new Server[0]), backups.toArray(new Server[0]), panicPercent);
        }
        return backups.isEmpty() ? first : new Tiered(first, tier(balance, backups));
    }

    private static LoadBalancer tier(Balance balance, List<Server> servers) {
        if (servers.isEmpty()) {
            return Nobody.INSTANCE;
        }
        return switch (balance) {
            case ROUND_ROBIN -> new SmoothRoundRobin(servers);
            case RANDOM -> new WeightedRandom(servers);
            case LEAST_CONN -> new LeastConn(servers);
            case IP_HASH -> new ConsistentHash(servers);
        };
    }
}
