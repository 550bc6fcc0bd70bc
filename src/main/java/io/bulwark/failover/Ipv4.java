package io.bulwark.failover;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Small IPv4 helpers: literal addresses without DNS, unsigned comparison, and a minimal header. */
public final class Ipv4 {
    /** Length of an IPv4 header without options. */
    static final int HEADER_LENGTH = 20;

    private Ipv4() {}

    /** The address a.b.c.d; never resolves anything. */
    public static Inet4Address address(int a, int b, int c, int d) {
        return fromBytes(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    }

    /** Parses a dotted-quad literal; never touches DNS. */
    public static Inet4Address parse(String literal) {
        String[] parts = literal.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException(literal + " (expected: an IPv4 literal a.b.c.d)");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v;
            try {
                v = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(literal + " (expected: an IPv4 literal a.b.c.d)", e);
            }
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException(literal + " (expected: each part 0..255)");
            }
            b[i] = (byte) v;
        }
        return fromBytes(b);
    }

    static Inet4Address fromBytes(byte[] four) {
        try {
            return (Inet4Address) InetAddress.getByAddress(four);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an address", e);
        }
    }

    /** The address as an unsigned 32-bit value, for RFC 5798 §6.4.3's "higher primary IP address". */
    public static long toUnsigned(Inet4Address a) {
        byte[] b = a.getAddress();
        return ((long) (b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    /** Prepends a 20-byte IPv4 header with a correct header checksum. */
    static byte[] wrap(byte[] payload, Inet4Address src, Inet4Address dst, int ttl) {
        byte[] d = new byte[HEADER_LENGTH + payload.length];
        d[0] = 0x45; // version 4, IHL 5
        d[1] = (byte) 0xc0; // DSCP CS6 (network control), as keepalived sends
        d[2] = (byte) (d.length >>> 8);
        d[3] = (byte) d.length;
        d[8] = (byte) ttl;
        d[9] = (byte) VrrpPacket.IP_PROTOCOL;
        System.arraycopy(src.getAddress(), 0, d, 12, 4);
        System.arraycopy(dst.getAddress(), 0, d, 16, 4);
        int sum = InternetChecksum.finish(InternetChecksum.add(0, d, 0, HEADER_LENGTH));
        d[10] = (byte) (sum >>> 8);
        d[11] = (byte) sum;
        System.arraycopy(payload, 0, d, HEADER_LENGTH, payload.length);
        return d;
    }
}
