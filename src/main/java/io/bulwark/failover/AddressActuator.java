package io.bulwark.failover;

import java.util.List;

/**
 * Puts the virtual addresses on an interface and takes them off. Called on the state machine's thread,
 * so implementations that do I/O must queue it (in order) rather than block.
 */
public interface AddressActuator {
    /** Adds the addresses (becoming MASTER). */
    void add(String interfaceName, List<VirtualAddress> addresses);

    /** Removes the addresses (leaving MASTER). */
    void remove(String interfaceName, List<VirtualAddress> addresses);

    /** Sends gratuitous ARP for the addresses so neighbours update their caches (RFC 5798 §6.4.1/§6.4.2). */
    void announce(String interfaceName, List<VirtualAddress> addresses);
}
