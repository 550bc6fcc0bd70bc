package io.bulwark.failover;

import java.net.Inet4Address;

/** What the decoder made of one received datagram: an advert to act on, or a drop with its reason. */
public sealed interface DecodeResult {
    /**
     * A valid advertisement for the instance.
     *
     * @param source the sender's primary address, for the §6.4.3 tie-break
     * @param addressMismatch v3 only: the address list differs from ours (counted and logged, not dropped)
     */
    record Accepted(VrrpPacket packet, Inet4Address source, Inet4Address destination, boolean addressMismatch)
            implements DecodeResult {}

    /** Not used; {@code detail} says what was seen against what was expected. */
    record Dropped(DropReason reason, String detail) implements DecodeResult {}
}
