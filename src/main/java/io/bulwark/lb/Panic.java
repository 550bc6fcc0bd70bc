package io.bulwark.lb;

import io.bulwark.upstream.Server;

/**
 * Envoy's panic threshold for the primary tier: when fewer than the given share of primaries are eligible
 * and no backup is, health is set aside and traffic spreads (smooth weighted round-robin) over every primary
 * the operator has not taken out. A few survivors would otherwise take the whole load and fall in turn,
 * while checks may only be wrong; retries then steer requests off the servers that really fail.
 *
 * <p>The eligible count is taken again only when some server's eligibility changed, so a pick pays one
 * volatile read outside panic.
 */
final class Panic implements LoadBalancer {
    private final LoadBalancer normal;
    private final Server[] primaries;
    private final Server[] backups;
    private final int thresholdPercent;
    private final long[] current;
    private long seenChanges = -1;
    private boolean panicking;

    Panic(LoadBalancer normal, Server[] primaries, Server[] backups, int thresholdPercent) {
        this.normal = normal;
        this.primaries = primaries;
        this.backups = backups;
        this.thresholdPercent = thresholdPercent;
        this.current = new long[primaries.length];
    }

    @Override
    public Server pick(long affinityKey, Tried tried) {
        long changes = Server.eligibilityChanges();
        if (changes != seenChanges) {
            seenChanges = changes;
            panicking = belowThreshold();
        }
        return panicking ? spread(tried) : normal.pick(affinityKey, tried);
    }

    /** Whether this tier is in panic now; for tests and the admin view. */
    boolean panicking() {
        return panicking;
    }

    private boolean belowThreshold() {
        for (Server b : backups) {
            if (b.eligible()) {
                return false;
            }
        }
        int up = 0;
        for (Server s : primaries) {
            if (s.eligible()) {
                up++;
            }
        }
        return up * 100L < (long) thresholdPercent * primaries.length;
    }

    private Server spread(Tried tried) {
        long total = 0;
        int best = -1;
        for (int i = 0; i < primaries.length; i++) {
            Server s = primaries[i];
            if (!s.adminReady() || (tried != Tried.NONE && tried.contains(s))) {
                continue;
            }
            current[i] += s.weight();
            total += s.weight();
            if (best < 0 || current[i] > current[best]) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        current[best] -= total;
        return primaries[best];
    }
}
