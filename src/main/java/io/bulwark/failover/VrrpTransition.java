package io.bulwark.failover;

import io.bulwark.core.Event;
import io.bulwark.core.Severity;

/**
 * Published on the event bus at every state change of a VRRP instance.
 *
 * @param effectivePriority the instance's priority after tracker weights, at the moment of the change
 */
public record VrrpTransition(
        String instance, VrrpState from, VrrpState to, String reason, int effectivePriority, long timestampMillis)
        implements Event {
    /** {@code vrrp/VI_1}. */
    @Override
    public String source() {
        return "vrrp/" + instance;
    }

    @Override
    public String previous() {
        return from.name();
    }

    @Override
    public String current() {
        return to.name();
    }

    /**
     * FAULT is critical (this node cannot hold the address); leaving MASTER, or taking the address over from
     * another node, is a warning, since a failover happened; the rest (start, stop, settling as backup) is
     * information, and leaving FAULT a recovery.
     */
    @Override
    public Severity severity() {
        if (to == VrrpState.FAULT) {
            return Severity.CRITICAL;
        }
        if (from == VrrpState.FAULT) {
            return Severity.OK;
        }
        if (from == VrrpState.MASTER && to == VrrpState.BACKUP || from == VrrpState.BACKUP && to == VrrpState.MASTER) {
            return Severity.WARNING;
        }
        return Severity.INFO;
    }

    /** {@code state}: apart from the instance's priority (see {@link VrrpPriorityChanged}). */
    @Override
    public String aspect() {
        return "state";
    }

    /** FAULT lasts until the instance leaves it; a failover between MASTER and BACKUP is told once. */
    @Override
    public boolean lasting() {
        return to == VrrpState.FAULT || from == VrrpState.FAULT;
    }

    @Override
    public String describe() {
        return "(" + instance + ") " + from + " -> " + to + ": " + reason;
    }
}
