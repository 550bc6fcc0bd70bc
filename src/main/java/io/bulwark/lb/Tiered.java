package io.bulwark.lb;

import io.bulwark.upstream.Server;

/**
 * Primaries first, backups only when no primary is usable. "Usable" includes "not tried": when a retry has
 * already tried every eligible primary, it may go to a backup rather than fail — the backup is there for
 * exactly the case where the primaries cannot serve this request.
 */
final class Tiered implements LoadBalancer {
    private final LoadBalancer primaries;
    private final LoadBalancer backups;

    Tiered(LoadBalancer primaries, LoadBalancer backups) {
        this.primaries = primaries;
        this.backups = backups;
    }

    @Override
    public Server pick(long affinityKey, Tried tried) {
        Server server = primaries.pick(affinityKey, tried);
        return server != null ? server : backups.pick(affinityKey, tried);
    }
}
