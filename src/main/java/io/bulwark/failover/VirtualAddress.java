package io.bulwark.failover;

import java.net.Inet4Address;

/** A virtual IPv4 address with the prefix length it is added with ({@code ip addr add 10.0.0.10/24}). */
public record VirtualAddress(Inet4Address address, int prefixLength) {
    public VirtualAddress {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length: " + prefixLength + " (expected: 0..32)");
        }
    }

    /** Parses {@code a.b.c.d} or {@code a.b.c.d/len}; no prefix means /32, as in keepalived. */
    public static VirtualAddress parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return new VirtualAddress(Ipv4.parse(cidr), 32);
        }
        return new VirtualAddress(Ipv4.parse(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
