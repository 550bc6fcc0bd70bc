package io.bulwark.config;

import java.time.Duration;
import java.util.List;

/**
 * One thing a VRRP instance watches, and what its failure costs the instance's priority.
 *
 * <p>Keepalived semantics for the failing case only: a negative weight is added to the configured priority
 * while the target is failing; weight 0 means the instance goes to FAULT (gives up the address and stops
 * advertising) while it fails. Keepalived's positive weights (added while the target is healthy) are not
 * supported: one sign keeps "can tracker failures ever move the address?" a simple sum.
 *
 * @param target the event source watched: {@code listener:NAME} (the listener is not accepting),
 *     {@code upstream:NAME} (no eligible server), {@code check:NAME} (the monitor check is in a HARD CRITICAL
 *     state), {@code script:COMMAND LINE} (exit status other than 0)
 * @param weight -254..0; 0 = FAULT while failing
 * @param interval how often a script runs (and its time limit); ignored for other kinds
 * @param failOnWarning a check tracker fails on a HARD WARNING state too; ignored for other kinds
 */
public record TrackConfig(String target, int weight, Duration interval, boolean failOnWarning) {
    /** How often a script tracker runs unless the config says otherwise (keepalived's vrrp_script default). */
    public static final Duration DEFAULT_SCRIPT_INTERVAL = Duration.ofSeconds(2);

    public TrackConfig {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("track.target: empty (expected: e.g. upstream:app)");
        }
        if (weight < -254 || weight > 0) {
            throw new IllegalArgumentException("track[" + target + "].weight: " + weight + " (expected: -254..0)");
        }
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("track[" + target + "].interval: " + interval + " (expected: > 0)");
        }
    }

    /** A tracker with the default script interval. */
    public TrackConfig(String target, int weight) {
        this(target, weight, DEFAULT_SCRIPT_INTERVAL);
    }

    /** A tracker that fails only on a critical state. */
    public TrackConfig(String target, int weight, Duration interval) {
        this(target, weight, interval, false);
    }

    /** {@code listener}, {@code upstream}, {@code check}, {@code script}, or whatever precedes the first colon. */
    public String kind() {
        int colon = target.indexOf(':');
        return colon < 0 ? target : target.substring(0, colon);
    }

    /** The listener, upstream or check name, or the script's command line. */
    public String subject() {
        int colon = target.indexOf(':');
        return colon < 0 ? "" : target.substring(colon + 1);
    }

    /** A script tracker's program and arguments, split as a shell would (no shell runs it). */
    public List<String> scriptCommand() {
        return Commands.split(subject());
    }
}
