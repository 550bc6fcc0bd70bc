package io.bulwark.app;

import io.bulwark.config.Config;
import io.bulwark.failover.FailoverFeasibility;
import java.util.List;

/**
 * What {@code bulwark validate} checks beyond the config's own rules, the same checks the gateway logs at
 * start: today, whether each VRRP instance's trackers can ever hand the address to its peer.
 */
public final class Preflight {
    private Preflight() {}

    /** One finding; a warning deserves a look before the setup is relied on (the gateway WARNs it at start). */
    public record Finding(boolean warning, String message) {}

    /** The findings for {@code config}, in config order; empty when there is nothing to say. */
    public static List<Finding> check(Config config) {
        return config.vrrp().instances().stream()
                .map(FailoverFeasibility::forInstance)
                .map(r -> new Finding(r.warning(), r.message()))
                .toList();
    }
}
