package io.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Datagrams captured with tcpdump from keepalived 2.2.7 (Debian 12 package) on a veth between two network
 * namespaces: our decoder accepts them, and our encoder produces the very same VRRP bytes.
 */
class KeepalivedCaptureTest {
    static final HexFormat HEX = HexFormat.of();
    static final Inet4Address KEEPALIVED = Ipv4.address(192, 168, 213, 1);
    static final Inet4Address VIP = Ipv4.address(192, 168, 213, 100);

    /** vrrp_version 3, VRID 51, priority 100, advert_int 1, VIP 192.168.213.100/24, multicast. */
    static final String V3_IP = "45c00020000100 00ff7044f0c0a8d501e0000012".replace(" ", "");
    static final String V3_VRRP = "3133640100645e20c0a8d564";

    /** vrrp_version 2, the same, with authentication { auth_type PASS auth_pass s3cret }. */
    static final String V2_IP = "45c00028000100 00ff7044e8c0a8d501e0000012".replace(" ", "");
    static final String V2_VRRP = "2133640101 01a7a2c0a8d5647333637265740000".replace(" ", "");

    @Test
    void acceptsKeepalivedV3Advert() {
        byte[] d = HEX.parseHex(V3_IP + V3_VRRP);
        DecodeResult r = VrrpDecoder.decode(d, d.length,
                new VrrpDecoder.Expected(VrrpVersion.V3, 51, null, List.of(VIP), 100, false));
        VrrpPacket expected = new VrrpPacket(VrrpVersion.V3, 51, 100, 100, List.of(VIP), null);
        assertThat(r).isEqualTo(new DecodeResult.Accepted(expected, KEEPALIVED, VrrpEncoder.MULTICAST_GROUP, false));
        assertThat(HEX.formatHex(VrrpEncoder.encode(expected, KEEPALIVED, VrrpEncoder.MULTICAST_GROUP))).isEqualTo(V3_VRRP);
    }

    @Test
    void acceptsKeepalivedV2AdvertWithSimplePassword() {
        byte[] d = HEX.parseHex(V2_IP + V2_VRRP);
        DecodeResult r = VrrpDecoder.decode(d, d.length,
                new VrrpDecoder.Expected(VrrpVersion.V2, 51, "s3cret", List.of(VIP), 100, false));
        VrrpPacket expected = new VrrpPacket(VrrpVersion.V2, 51, 100, 100, List.of(VIP), "s3cret");
        assertThat(r).isEqualTo(new DecodeResult.Accepted(expected, KEEPALIVED, VrrpEncoder.MULTICAST_GROUP, false));
        assertThat(HEX.formatHex(VrrpEncoder.encode(expected, KEEPALIVED, VrrpEncoder.MULTICAST_GROUP))).isEqualTo(V2_VRRP);
    }

    @Test
    void ourIpv4HeaderMatchesKeepalivedsApartFromIdentification() {
        VrrpPacket p = new VrrpPacket(VrrpVersion.V3, 51, 100, 100, List.of(VIP), null);
        byte[] ours = VrrpEncoder.datagram(p, KEEPALIVED, VrrpEncoder.MULTICAST_GROUP);
        byte[] theirs = HEX.parseHex(V3_IP + V3_VRRP);
        // Fields 4..5 (id) and 10..11 (header checksum, which covers the id) differ; the rest is identical.
        for (int i : new int[] {4, 5, 10, 11}) {
            ours[i] = 0;
            theirs[i] = 0;
        }
        assertThat(Arrays.equals(ours, theirs)).isTrue();
    }
}
