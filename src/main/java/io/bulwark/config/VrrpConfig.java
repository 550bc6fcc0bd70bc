package io.bulwark.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The node's VRRP instances. Empty when the node runs without built-in failover.
 *
 * @param instances in file order; names unique, and (interface, virtual router id) pairs unique
 */
public record VrrpConfig(List<VrrpInstanceConfig> instances) {
    public VrrpConfig {
        instances = List.copyOf(instances);
        Set<String> names = new HashSet<>();
        Set<String> routers = new HashSet<>();
        for (VrrpInstanceConfig i : instances) {
            if (!names.add(i.name())) {
                throw new IllegalArgumentException("vrrp.instances[" + i.name() + "]: duplicate name");
            }
            if (!routers.add(i.interfaceName() + "/" + i.virtualRouterId())) {
                throw new IllegalArgumentException("vrrp.instances[" + i.name() + "].virtual_router_id: "
                        + i.virtualRouterId() + " already used on " + i.interfaceName()
                        + " (expected: one instance per interface and id)");
            }
        }
    }

    /** No instances: failover off. */
    public static VrrpConfig none() {
        return new VrrpConfig(List.of());
    }
}
