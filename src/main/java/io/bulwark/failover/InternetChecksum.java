package io.bulwark.failover;

/** The RFC 1071 ones'-complement sum used by IPv4 headers and by VRRP. */
final class InternetChecksum {
    private InternetChecksum() {}

    /** Adds big-endian 16-bit words of {@code b[off, off+len)} to {@code sum}; an odd last byte is padded with zero. */
    static long add(long sum, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        for (; i + 1 < end; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (b[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds the carries and complements: the value that goes in the checksum field. */
    static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** Sum of the IPv4 pseudo-header RFC 5798 §5.2.8 puts in front of a v3 message (RFC 8200 §8.1 shape for v4). */
    static long pseudoHeader(byte[] src, byte[] dst, int vrrpLength) {
        long sum = add(0, src, 0, 4);
        sum = add(sum, dst, 0, 4);
        sum += VrrpPacket.IP_PROTOCOL; // zero byte, then protocol
        sum += vrrpLength;
        return sum;
    }
}
