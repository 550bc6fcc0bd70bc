package io.bulwark.upstream;

/** What the operator wants of a server, independent of its health (HAProxy's ready/drain/maint). */
public enum AdminState implements ServerState {
    /** Takes traffic when healthy. */
    READY,
    /** Finishes what it has but takes no new requests. */
    DRAIN,
    /** Out for maintenance: no new requests; checks keep running so its health is known on return. */
    MAINT
}
