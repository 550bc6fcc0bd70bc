package io.bulwark.config;

/**
 * One thing a VRRP instance watches, and what its failure costs the instance's priority.
 *
 * <p>Keepalived semantics for the failing case only: a negative weight is added to the configured priority
 * while the target is failing; weight 0 means the instance goes to FAULT (gives up the address and stops
 * advertising) while it fails. Keepalived's positive weights (added while the target is healthy) are not
 * supported: one sign keeps "can tracker failures ever move the address?" a simple sum.
 *
 * @param target the event source watched, e.g. {@code listener:http}, {@code upstream:app}, {@code check:disk}
 * @param weight -254..0; 0 = FAULT while failing
 */
public record TrackConfig(String target, int weight) {
    public TrackConfig {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("track.target: empty (expected: e.g. upstream:app)");
        }
        if (weight < -254 || weight > 0) {
            throw new IllegalArgumentException("track[" + target + "].weight: " + weight + " (expected: -254..0)");
        }
    }
}
