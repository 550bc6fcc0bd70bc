package io.bulwark.failover;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates and parses a received IPv4 datagram (header included, as a raw socket delivers it) in the order
 * of RFC 5798 §7.1 / RFC 3768 §7.1. Never throws on malformed input: every problem is a {@link DropReason}.
 */
public final class VrrpDecoder {
    private VrrpDecoder() {}

    /**
     * What the instance expects of an advert.
     *
     * @param authPassword v2 simple text password, {@code null} = auth type 0
     * @param advertIntervalCentis our configured interval; v2 requires adverts to match it
     * @param localOwner we have priority 255, so others' adverts are discarded
     */
    public record Expected(
            VrrpVersion version, int vrid, String authPassword, List<Inet4Address> addresses,
            int advertIntervalCentis, boolean localOwner) {
        public Expected {
            addresses = List.copyOf(addresses);
        }
    }

    /** Decodes {@code datagram[0, length)}. */
    public static DecodeResult decode(byte[] d, int length, Expected exp) {
        if (length > d.length || length < Ipv4.HEADER_LENGTH) {
            return drop(DropReason.TRUNCATED, length + " bytes (expected: at least an IPv4 header)");
        }
        int ihl = (d[0] & 0x0f) * 4;
        if ((d[0] & 0xf0) != 0x40 || ihl < Ipv4.HEADER_LENGTH) {
            return drop(DropReason.NOT_VRRP, "IP version/IHL byte 0x" + Integer.toHexString(d[0] & 0xff));
        }
        if ((d[9] & 0xff) != VrrpPacket.IP_PROTOCOL) {
            return drop(DropReason.NOT_VRRP, "IP protocol " + (d[9] & 0xff) + " (expected: 112)");
        }
        int total = ((d[2] & 0xff) << 8) | (d[3] & 0xff);
        if (total > length || ihl > total) {
            return drop(DropReason.TRUNCATED, "IP total length " + total + ", header " + ihl + ", received " + length);
        }
        if (total < length) {
            // Linux delivers exactly the datagram; extra bytes mean a mangled header.
            return drop(DropReason.LENGTH_MISMATCH, "IP total length " + total + ", received " + length);
        }
        int ttl = d[8] & 0xff;
        if (ttl != VrrpEncoder.TTL) {
            return drop(DropReason.BAD_TTL, "TTL " + ttl + " (expected: 255)");
        }
        int off = ihl;
        int len = total - ihl;
        if (len < 8) {
            return drop(DropReason.TRUNCATED, "VRRP message of " + len + " bytes (expected: at least 8)");
        }
        int version = (d[off] & 0xf0) >>> 4;
        if (version != exp.version().number()) {
            return drop(DropReason.BAD_VERSION, "version " + version + " (expected: " + exp.version().number() + ")");
        }
        int type = d[off] & 0x0f;
        if (type != VrrpPacket.TYPE_ADVERTISEMENT) {
            return drop(DropReason.BAD_TYPE, "type " + type + " (expected: 1)");
        }
        int count = d[off + 3] & 0xff;
        int expectedLen = 8 + 4 * count + (exp.version() == VrrpVersion.V2 ? 8 : 0);
        if (len < expectedLen) {
            return drop(DropReason.TRUNCATED, "VRRP message of " + len + " bytes for " + count
                    + " addresses (expected: " + expectedLen + ")");
        }
        if (len > expectedLen) {
            return drop(DropReason.LENGTH_MISMATCH, "VRRP message of " + len + " bytes for " + count
                    + " addresses (expected: " + expectedLen + ")");
        }
        byte[] src = {d[12], d[13], d[14], d[15]};
        byte[] dst = {d[16], d[17], d[18], d[19]};
        int received = ((d[off + 6] & 0xff) << 8) | (d[off + 7] & 0xff);
        int computed = checksum(d, off, len, exp.version(), src, dst);
        if (received != computed) {
            return drop(DropReason.BAD_CHECKSUM, String.format("checksum 0x%04x (expected: 0x%04x)", received, computed));
        }
        int vrid = d[off + 1] & 0xff;
        if (vrid != exp.vrid()) {
            return drop(DropReason.WRONG_VRID, "VRID " + vrid + " (expected: " + exp.vrid() + ")");
        }
        if (exp.localOwner()) {
            return drop(DropReason.LOCAL_IS_OWNER, "we own the addresses (priority 255)");
        }
        int priority = d[off + 2] & 0xff;
        String password = null;
        int interval;
        if (exp.version() == VrrpVersion.V2) {
            int authType = d[off + 4] & 0xff;
            password = authType == VrrpPacket.AUTH_SIMPLE_TEXT ? authData(d, off + len - 8) : null;
            int wantType = exp.authPassword() == null ? 0 : VrrpPacket.AUTH_SIMPLE_TEXT;
            if (authType != wantType || (password != null && !password.equals(exp.authPassword()))) {
                // Never log the password itself.
                return drop(DropReason.AUTH_MISMATCH, authType == wantType
                        ? "simple text password differs from ours"
                        : "auth type " + authType + " (expected: " + wantType + ")");
            }
            interval = (d[off + 5] & 0xff) * 100;
            if (interval != exp.advertIntervalCentis()) {
                return drop(DropReason.BAD_INTERVAL, "advert interval " + interval / 100 + "s (expected: "
                        + exp.advertIntervalCentis() / 100 + "s)");
            }
        } else {
            interval = ((d[off + 4] & 0x0f) << 8) | (d[off + 5] & 0xff);
            if (interval == 0) {
                return drop(DropReason.BAD_INTERVAL, "max advert interval 0 (expected: 1..4095 centiseconds)");
            }
        }
        List<Inet4Address> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int a = off + 8 + 4 * i;
            addresses.add(Ipv4.fromBytes(new byte[] {d[a], d[a + 1], d[a + 2], d[a + 3]}));
        }
        boolean mismatch = !addresses.equals(exp.addresses());
        if (mismatch && exp.version() == VrrpVersion.V2 && priority != 255) {
            return drop(DropReason.ADDRESS_MISMATCH, "addresses " + addresses + " (expected: " + exp.addresses() + ")");
        }
        VrrpPacket p = new VrrpPacket(exp.version(), vrid, priority, interval, addresses, password);
        return new DecodeResult.Accepted(p, Ipv4.fromBytes(src), Ipv4.fromBytes(dst), mismatch);
    }

    private static int checksum(byte[] d, int off, int len, VrrpVersion v, byte[] src, byte[] dst) {
        long sum = v == VrrpVersion.V3 ? InternetChecksum.pseudoHeader(src, dst, len) : 0;
        sum = InternetChecksum.add(sum, d, off, 6);
        sum = InternetChecksum.add(sum, d, off + 8, len - 8);
        return InternetChecksum.finish(sum);
    }

    /** The 8-byte auth data up to its first NUL, as ASCII. */
    private static String authData(byte[] d, int at) {
        int n = 0;
        while (n < 8 && d[at + n] != 0) {
            n++;
        }
        return new String(d, at, n, StandardCharsets.US_ASCII);
    }

    private static DecodeResult drop(DropReason reason, String detail) {
        return new DecodeResult.Dropped(reason, detail);
    }
}
