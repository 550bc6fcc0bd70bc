package io.bulwark.lb;

import io.bulwark.upstream.Server;

/** The balancer of an empty tier: there is never anyone to pick. */
final class Nobody implements LoadBalancer {
    static final Nobody INSTANCE = new Nobody();

    private Nobody() {}

    @Override
    public Server pick(long affinityKey, Tried tried) {
        return null;
    }
}
