package io.bulwark.failover;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One VRRP advertisement (type 1), version-neutral. The checksum is not a field: the encoder computes it,
 * the decoder verifies it.
 *
 * @param vrid virtual router id, 1..255
 * @param priority 0 (master is leaving) .. 255 (address owner)
 * @param advertIntervalCentis v3 Max Adver Int (12 bits, centiseconds); v2 Adver Int seconds × 100
 * @param addresses the virtual addresses, at most 255
 * @param authPassword v2 auth type 1 (simple text, up to 8 ASCII bytes); {@code null} = auth type 0 / v3
 */
public record VrrpPacket(
        VrrpVersion version, int vrid, int priority, int advertIntervalCentis, List<Inet4Address> addresses,
        String authPassword) {

    /** VRRP's only message type (RFC 5798 §5.2.2). */
    public static final int TYPE_ADVERTISEMENT = 1;
    /** IP protocol number of VRRP. */
    public static final int IP_PROTOCOL = 112;
    /** RFC 3768 §5.3.6 auth type 1, from RFC 2338; what keepalived calls {@code auth_type PASS}. */
    public static final int AUTH_SIMPLE_TEXT = 1;

    public VrrpPacket {
        addresses = List.copyOf(addresses);
        if (vrid < 1 || vrid > 255) {
            throw new IllegalArgumentException("vrid: " + vrid + " (expected: 1..255)");
        }
        if (priority < 0 || priority > 255) {
            throw new IllegalArgumentException("priority: " + priority + " (expected: 0..255)");
        }
        if (addresses.size() > 255) {
            throw new IllegalArgumentException("addresses: " + addresses.size() + " (expected: at most 255)");
        }
        if (version == VrrpVersion.V3) {
            if (advertIntervalCentis < 1 || advertIntervalCentis > 4095) {
                throw new IllegalArgumentException("advertIntervalCentis: " + advertIntervalCentis + " (expected: 1..4095)");
            }
            if (authPassword != null) {
                throw new IllegalArgumentException("authPassword: set (expected: none in VRRPv3)");
            }
        } else {
            if (advertIntervalCentis % 100 != 0 || advertIntervalCentis < 100 || advertIntervalCentis > 25_500) {
                throw new IllegalArgumentException("advertIntervalCentis: " + advertIntervalCentis
                        + " (expected: whole seconds 1..255 for VRRPv2)");
            }
            if (authPassword != null && authPassword.getBytes(StandardCharsets.US_ASCII).length > 8) {
                throw new IllegalArgumentException("authPassword: longer than 8 bytes");
            }
        }
    }

    /** Auth type field of a v2 packet: 0 none, 1 simple text. */
    public int authType() {
        return authPassword == null ? 0 : AUTH_SIMPLE_TEXT;
    }

    /** Length of the VRRP message on the wire: 8-byte header, addresses, and for v2 8 bytes of auth data. */
    public int wireLength() {
        return 8 + 4 * addresses.size() + (version == VrrpVersion.V2 ? 8 : 0);
    }
}
