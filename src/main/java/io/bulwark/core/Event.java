package io.bulwark.core;

/**
 * Something that changed in the gateway: one typed record per kind (a server's state, a VRRP instance's
 * state or priority, a check's state, an alert's delivery), with the fields every subscriber reads alike.
 * The journal keeps them, the log prints {@link #describe()}, alarms route them by source and severity.
 */
public interface Event {
    /**
     * The aspect of events that say whether their source is flapping (changing state too often to tell each
     * change): {@link #current()} is {@code FLAPPING} or {@code STEADY}. Alarms hold a flapping source's
     * problems and recoveries back, and tell the start and the end of the flapping instead.
     */
    String FLAPPING = "flapping";

    /** When it happened, in epoch milliseconds. */
    long timestampMillis();

    /**
     * What changed, as a path: {@code upstream/app/127.0.0.1:9002}, {@code vrrp/VI_1}, {@code monitor/cpu_load},
     * {@code alert/ops-mail}.
     */
    String source();

    /** The state before, e.g. {@code UP}; empty for an event that is no transition. */
    String previous();

    /** The state after, e.g. {@code DOWN}. */
    String current();

    /** How much it matters. */
    Severity severity();

    /** Why, with the counts and numbers that decided it, e.g. {@code L7 bad status 503 (3/3)}. */
    String reason();

    /** A one-line human description, exactly as it appears in the log. */
    String describe();

    /**
     * Which of its source's states this event moves, when a source has several (a server's health, admin
     * state and ejection); a problem of the source lasts until each of them is well again. Empty by default.
     */
    default String aspect() {
        return "";
    }

    /**
     * Whether a WARNING or CRITICAL event starts a problem that lasts until an OK event of the same source and
     * aspect ends it (a server DOWN until UP), or is a notice complete in itself (a failover that happened):
     * told once, never reminded of, with no recovery.
     */
    default boolean lasting() {
        return true;
    }
}
