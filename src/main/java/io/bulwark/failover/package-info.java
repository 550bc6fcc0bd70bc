/**
 * VRRP v2/v3 for IPv4, interoperable with keepalived: the packet codec, the per-instance state machine of
 * RFC 5798 §6.4, the advert transport (a raw IP socket; an in-memory bus for tests), the virtual-IP
 * actuator (rtnetlink and gratuitous ARP), trackers and notify hooks. Everything timer-driven runs on a {@link
 * io.bulwark.failover.VrrpScheduler} so tests drive it in virtual time.
 */
package io.bulwark.failover;
