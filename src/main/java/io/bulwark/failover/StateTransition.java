package io.bulwark.failover;

/**
 * Every legal state change of a VRRP instance, in one place; anything else is a bug and throws. Self
 * transitions are never legal: a state machine that "moves" to where it is would log, count and notify
 * a change that did not happen.
 */
public enum StateTransition {
    /** §6.4.1 startup, not the owner. */
    INITIALIZE_TO_BACKUP(VrrpState.INITIALIZE, VrrpState.BACKUP),
    /** §6.4.1 startup as address owner (priority 255). */
    INITIALIZE_TO_MASTER(VrrpState.INITIALIZE, VrrpState.MASTER),
    /** Startup with a weight-0 tracker already failing. */
    INITIALIZE_TO_FAULT(VrrpState.INITIALIZE, VrrpState.FAULT),
    /** §6.4.2 Master_Down_Timer fired. */
    BACKUP_TO_MASTER(VrrpState.BACKUP, VrrpState.MASTER),
    BACKUP_TO_FAULT(VrrpState.BACKUP, VrrpState.FAULT),
    /** §6.4.2 shutdown. */
    BACKUP_TO_INITIALIZE(VrrpState.BACKUP, VrrpState.INITIALIZE),
    /** §6.4.3 heard a better master. */
    MASTER_TO_BACKUP(VrrpState.MASTER, VrrpState.BACKUP),
    MASTER_TO_FAULT(VrrpState.MASTER, VrrpState.FAULT),
    /** §6.4.3 shutdown (after a priority-0 advert). */
    MASTER_TO_INITIALIZE(VrrpState.MASTER, VrrpState.INITIALIZE),
    /** Trackers recovered: start over as in §6.4.1. */
    FAULT_TO_BACKUP(VrrpState.FAULT, VrrpState.BACKUP),
    /** Trackers recovered on the address owner. */
    FAULT_TO_MASTER(VrrpState.FAULT, VrrpState.MASTER),
    FAULT_TO_INITIALIZE(VrrpState.FAULT, VrrpState.INITIALIZE);

    private final VrrpState from;
    private final VrrpState to;

    StateTransition(VrrpState from, VrrpState to) {
        this.from = from;
        this.to = to;
    }

    public VrrpState from() {
        return from;
    }

    public VrrpState to() {
        return to;
    }

    /** The legal transition between the two states; throws {@link IllegalStateException} if there is none. */
    public static StateTransition of(VrrpState from, VrrpState to) {
        for (StateTransition t : values()) {
            if (t.from == from && t.to == to) {
                return t;
            }
        }
        throw new IllegalStateException("illegal VRRP transition " + from + " -> " + to);
    }
}
