package io.bulwark.lb;

import io.bulwark.config.Balance;
import io.bulwark.upstream.Server;
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
     * eligible.
     */
    static LoadBalancer create(Balance balance, List<Server> servers) {
        throw new UnsupportedOperationException("implemented by the lb package");
    }
}
