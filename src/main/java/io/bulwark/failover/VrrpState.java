package io.bulwark.failover;

/** States of a VRRP instance: RFC 5798 §6.4's three, plus keepalived's FAULT. */
public enum VrrpState {
    /** Not running: before start and after shutdown (RFC 5798 §6.4.1). */
    INITIALIZE,
    /** Watching the master; does not hold the addresses (§6.4.2). */
    BACKUP,
    /** Holds the addresses and advertises (§6.4.3). */
    MASTER,
    /** A weight-0 tracker is failing: no addresses, no adverts, adverts ignored (keepalived). */
    FAULT;

    /** The state word a keepalived notify script expects as its third argument. */
    public String notifyName() {
        return this == INITIALIZE ? "STOP" : name();
    }
}
