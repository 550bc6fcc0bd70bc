/**
 * VRRP v2/v3 for IPv4, interoperable with keepalived: the packet codec, the per-instance state machine of
 * RFC 5798 §6.4, the advert transport (an in-memory bus for tests; raw IP socket later), the virtual-IP
 * actuator, trackers and notify hooks. Everything timer-driven runs on a {@link
 * io.bulwark.failover.VrrpScheduler} so tests drive it in virtual time.
 */
package io.bulwark.failover;
