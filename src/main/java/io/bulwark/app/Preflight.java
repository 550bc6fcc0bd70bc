package io.bulwark.app;

import io.bulwark.config.AdminConfig;
import io.bulwark.config.Config;
import io.bulwark.failover.FailoverFeasibility;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code bulwark validate} checks beyond the config's own rules, the same checks the gateway logs at
 * start: whether the admin API is open to other hosts without a token, and whether each VRRP instance's
 * trackers can ever hand the address to its peer.
 */
public final class Preflight {
    private Preflight() {}

    /** One finding; a warning deserves a look before the setup is relied on (the gateway WARNs it at start). */
    public record Finding(boolean warning, String message) {}

    /** The findings for {@code config}, in config order; empty when there is nothing to say. */
    public static List<Finding> check(Config config) {
        List<Finding> out = new ArrayList<>();
        admin(config).ifPresent(out::add);
        config.vrrp().instances().stream()
                .map(FailoverFeasibility::forInstance)
                .map(r -> new Finding(r.warning(), r.message()))
                .forEach(out::add);
        return out;
    }

    /**
     * A warning when the admin listener is reachable from other hosts without {@code admin.token}: anyone who
     * reaches it reads the servers and VRRP state, and no operator can change anything through it.
     */
    static Optional<Finding> admin(Config config) {
        AdminConfig admin = config.admin();
        if (admin.token().isPresent() || admin.onLoopback()) {
            return Optional.empty();
        }
        return Optional.of(new Finding(true, "admin listener on " + admin.bind() + " without admin.token: whoever reaches it"
                + " can read the servers' and VRRP state, and its API changes nothing (set admin.token, or bind it"
                + " to loopback)"));
    }
}
