package io.bulwark.failover;

import io.bulwark.config.TrackConfig;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An instance's tracked targets and which are failing; turns them into the effective priority and the
 * FAULT cause. Kept apart from the configured priority, which never changes.
 */
final class Trackers {
    private final Map<String, Integer> weights = new LinkedHashMap<>();
    private final Set<String> failing = new LinkedHashSet<>();

    Trackers(List<TrackConfig> tracks) {
        for (TrackConfig t : tracks) {
            weights.put(t.target(), t.weight());
        }
    }

    boolean known(String target) {
        return weights.containsKey(target);
    }

    /** Records the target's state; false when the target is not tracked or nothing changed. */
    boolean set(String target, boolean isFailing) {
        if (!known(target)) {
            return false;
        }
        return isFailing ? failing.add(target) : failing.remove(target);
    }

    /**
     * Configured priority plus the weights of failing targets, clamped to 1..254 so a tracker can neither
     * make the node the owner nor signal "master leaving" (0). The owner's 255 is not affected (RFC 5798 §6.1:
     * the owner always answers for its addresses).
     */
    int effectivePriority(int configured) {
        if (configured == 255) {
            return 255;
        }
        int p = configured;
        for (String t : failing) {
            p += weights.get(t);
        }
        return Math.clamp(p, 1, 254);
    }

    /** A failing target with weight 0, or {@code null}. */
    String faultCause() {
        for (String t : failing) {
            if (weights.get(t) == 0) {
                return t;
            }
        }
        return null;
    }

    int weight(String target) {
        return weights.get(target);
    }
}
