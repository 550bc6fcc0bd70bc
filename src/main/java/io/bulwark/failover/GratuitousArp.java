package io.bulwark.failover;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * The gratuitous ARP request keepalived sends for a virtual address (its vrrp_arp.c): "who-has VIP tell VIP"
 * from the interface's MAC, target MAC broadcast, to the Ethernet broadcast address, so that neighbours
 * holding the old master's MAC for the address replace it.
 */
final class GratuitousArp {
    static final int ETH_P_ARP = 0x0806;
    static final int ETH_P_IP = 0x0800;
    static final int ARPHRD_ETHER = 1;
    static final int ARPOP_REQUEST = 1;
    static final int LENGTH = 28;
    static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    private GratuitousArp() {}

    /** The ARP message (the kernel puts the Ethernet header in front) for {@code address} at {@code mac}. */
    static byte[] request(byte[] mac, Inet4Address address) {
        if (mac.length != 6) {
            throw new IllegalArgumentException("MAC address of " + mac.length + " bytes (expected: 6)");
        }
        byte[] ip = address.getAddress();
        return ByteBuffer.allocate(LENGTH) // network byte order
                .putShort((short) ARPHRD_ETHER).putShort((short) ETH_P_IP).put((byte) 6).put((byte) 4)
                .putShort((short) ARPOP_REQUEST)
                .put(mac).put(ip) // sender: us
                .put(BROADCAST).put(ip) // target: the same address, asked of everyone
                .array();
    }

    /** {@code aa:bb:cc:dd:ee:ff}, for log lines. */
    static String format(byte[] mac) {
        StringBuilder b = new StringBuilder(17);
        for (byte x : mac) {
            if (!b.isEmpty()) {
                b.append(':');
            }
            b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return b.toString();
    }
}
