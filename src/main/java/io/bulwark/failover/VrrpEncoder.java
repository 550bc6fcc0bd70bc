package io.bulwark.failover;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;

/** Writes VRRP messages, and (for the in-memory bus and tests) the IPv4 datagrams a raw socket would carry. */
public final class VrrpEncoder {
    /** 224.0.0.18, the VRRP multicast group (RFC 5798 §5.1.1.2). */
    public static final Inet4Address MULTICAST_GROUP = Ipv4.address(224, 0, 0, 18);
    /** TTL every advert must carry, so a receiver knows it was not routed (RFC 5798 §5.1.1.3). */
    public static final int TTL = 255;

    private VrrpEncoder() {}

    /**
     * The VRRP message with its checksum. v3 sums the IPv4 pseudo-header of {@code src} and {@code dst}
     * (the multicast group or the unicast peer) with the message; v2 sums the message alone, so {@code src}
     * and {@code dst} are not used.
     */
    public static byte[] encode(VrrpPacket p, Inet4Address src, Inet4Address dst) {
        byte[] b = new byte[p.wireLength()];
        b[0] = (byte) (p.version().number() << 4 | VrrpPacket.TYPE_ADVERTISEMENT);
        b[1] = (byte) p.vrid();
        b[2] = (byte) p.priority();
        b[3] = (byte) p.addresses().size();
        if (p.version() == VrrpVersion.V3) {
            // 4 reserved bits (zero) and the 12-bit Max Adver Int (RFC 5798 §5.2.6, §5.2.7).
            b[4] = (byte) ((p.advertIntervalCentis() >>> 8) & 0x0f);
            b[5] = (byte) p.advertIntervalCentis();
        } else {
            b[4] = (byte) p.authType();
            b[5] = (byte) (p.advertIntervalCentis() / 100);
        }
        int off = 8;
        for (Inet4Address a : p.addresses()) {
            System.arraycopy(a.getAddress(), 0, b, off, 4);
            off += 4;
        }
        if (p.authPassword() != null) {
            // Zero-padded to 8 bytes (RFC 2338 §5.3.10), as keepalived does.
            byte[] pw = p.authPassword().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(pw, 0, b, off, pw.length);
        }
        int sum = p.version() == VrrpVersion.V3
                ? checksumV3(b, src.getAddress(), dst.getAddress())
                : InternetChecksum.finish(InternetChecksum.add(0, b, 0, b.length));
        b[6] = (byte) (sum >>> 8);
        b[7] = (byte) sum;
        return b;
    }

    /** The v3 checksum of {@code message} with its checksum field taken as zero. */
    static int checksumV3(byte[] message, byte[] src, byte[] dst) {
        long sum = InternetChecksum.pseudoHeader(src, dst, message.length);
        sum = InternetChecksum.add(sum, message, 0, 6);
        sum = InternetChecksum.add(sum, message, 8, message.length - 8);
        return InternetChecksum.finish(sum);
    }

    /** An IPv4 datagram (20-byte header, TTL 255, protocol 112) around the encoded message, as a raw socket delivers it. */
    public static byte[] datagram(VrrpPacket p, Inet4Address src, Inet4Address dst) {
        return Ipv4.wrap(encode(p, src, dst), src, dst, TTL);
    }
}
