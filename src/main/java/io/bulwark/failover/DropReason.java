package io.bulwark.failover;

/** Why a received datagram was not taken as an advertisement for this instance; each has a counter. */
public enum DropReason {
    /** Shorter than its headers or than the lengths it declares. */
    TRUNCATED,
    /** Longer than the VRRP message its address count implies. */
    LENGTH_MISMATCH,
    /** Not IPv4 protocol 112, or an IPv4 header we cannot parse. */
    NOT_VRRP,
    /** IP TTL other than 255: it crossed a router (RFC 5798 §7.1). */
    BAD_TTL,
    /** VRRP version other than the instance's. */
    BAD_VERSION,
    /** Type other than 1 (advertisement). */
    BAD_TYPE,
    /** Checksum does not verify (v3 with the IPv4 pseudo-header, v2 over the message). */
    BAD_CHECKSUM,
    /** Another virtual router's advert (normal on a shared segment, still counted). */
    WRONG_VRID,
    /** v2 auth type or password differs from ours (RFC 3768 §7.1 / RFC 2338). */
    AUTH_MISMATCH,
    /** v2 advert interval differs from ours (RFC 3768 §7.1 MUST), or a v3 interval of zero. */
    BAD_INTERVAL,
    /**
     * Address count or list differs from ours. v2 drops it unless it comes from the owner (RFC 3768 §7.1);
     * v3 only counts and logs it and still uses the advert (RFC 5798 §7.1 "MAY verify … SHOULD log").
     */
    ADDRESS_MISMATCH,
    /** We own the addresses (priority 255), so we discard others' adverts (RFC 5798 §7.1). */
    LOCAL_IS_OWNER
}
