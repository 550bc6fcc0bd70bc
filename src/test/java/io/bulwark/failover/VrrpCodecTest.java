package io.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class VrrpCodecTest {
    static final Inet4Address SRC = Ipv4.address(192, 168, 1, 1);
    static final Inet4Address VIP = Ipv4.address(192, 168, 1, 100);
    static final HexFormat HEX = HexFormat.of();

    /*
     * VRRPv3, VRID 51, priority 100, one address 192.168.1.100, Max Adver Int 100 cs (1 s),
     * from 192.168.1.1 to 224.0.0.18. Checksum by hand (RFC 1071, 16-bit words):
     *   pseudo-header  c0a8 + 0101 + e000 + 0012 + 0070 (0, proto 112) + 000c (length 12) = 1a237
     *   message        3133 + 6401 + 0064 + c0a8 + 0164 (checksum field as 0)             = 157a4
     *   1a237 + 157a4 = 2f9db -> fold f9db + 2 = f9dd -> complement 0622
     */
    static final String V3_HAND = "3133640100640622c0a80164";

    @Test
    void encodesV3AdvertToHandComputedBytes() {
        VrrpPacket p = new VrrpPacket(VrrpVersion.V3, 51, 100, 100, List.of(VIP), null);
        assertThat(HEX.formatHex(VrrpEncoder.encode(p, SRC, VrrpEncoder.MULTICAST_GROUP))).isEqualTo(V3_HAND);
    }

    @Test
    void v3ChecksumCoversPseudoHeaderSoUnicastDestinationChangesIt() {
        VrrpPacket p = new VrrpPacket(VrrpVersion.V3, 51, 100, 100, List.of(VIP), null);
        byte[] multicast = VrrpEncoder.encode(p, SRC, VrrpEncoder.MULTICAST_GROUP);
        byte[] unicast = VrrpEncoder.encode(p, SRC, Ipv4.address(192, 168, 1, 2));
        assertThat(unicast).isNotEqualTo(multicast);
        // Same message with only the checksum differing.
        assertThat(HEX.formatHex(unicast, 8, 12)).isEqualTo(HEX.formatHex(multicast, 8, 12));
    }

    /*
     * VRRPv2, no auth, Adver Int 1 s: 2133 + 6401 + 0001 + c0a8 + 0164 = 14741 -> 4742 -> b8bd.
     * No pseudo-header in v2, and 8 zero bytes of auth data follow the address.
     */
    @Test
    void encodesV2AdvertWithoutAuthToHandComputedBytes() {
        VrrpPacket p = new VrrpPacket(VrrpVersion.V2, 51, 100, 100, List.of(VIP), null);
        assertThat(HEX.formatHex(VrrpEncoder.encode(p, SRC, VrrpEncoder.MULTICAST_GROUP)))
                .isEqualTo("21336401" + "0001b8bd" + "c0a80164" + "0000000000000000");
    }

    @Test
    void encodesV2SimpleTextPasswordZeroPaddedInAuthData() {
        VrrpPacket p = new VrrpPacket(VrrpVersion.V2, 51, 100, 100, List.of(VIP), "secret");
        assertThat(HEX.formatHex(VrrpEncoder.encode(p, SRC, VrrpEncoder.MULTICAST_GROUP)))
                .isEqualTo("21336401" + "01017b71" + "c0a80164" + "7365637265740000");
    }

    @Test
    void v3RoundTripsThroughAnIpv4Datagram() {
        VrrpPacket p = new VrrpPacket(VrrpVersion.V3, 7, 254, 4095,
                List.of(VIP, Ipv4.address(10, 0, 0, 1), Ipv4.address(255, 255, 255, 254)), null);
        byte[] d = VrrpEncoder.datagram(p, SRC, VrrpEncoder.MULTICAST_GROUP);
        DecodeResult r = VrrpDecoder.decode(d, d.length,
                new VrrpDecoder.Expected(VrrpVersion.V3, 7, null, p.addresses(), 10, false));
        assertThat(r).isEqualTo(new DecodeResult.Accepted(p, SRC, VrrpEncoder.MULTICAST_GROUP, false));
    }

    @Test
    void v2RoundTripsWithPassword() {
        VrrpPacket p = new VrrpPacket(VrrpVersion.V2, 255, 1, 25_500, List.of(VIP), "12345678");
        byte[] d = VrrpEncoder.datagram(p, SRC, VrrpEncoder.MULTICAST_GROUP);
        DecodeResult r = VrrpDecoder.decode(d, d.length,
                new VrrpDecoder.Expected(VrrpVersion.V2, 255, "12345678", List.of(VIP), 25_500, false));
        assertThat(r).isEqualTo(new DecodeResult.Accepted(p, SRC, VrrpEncoder.MULTICAST_GROUP, false));
    }

    @Test
    void decodesHandWrittenV3DatagramWithUnicastDestination() {
        // The same advert sent unicast to 192.168.1.2: only the pseudo-header's destination differs,
        // c0a8 0102 instead of e000 0012 -> 1a237 - e000 - 0012 + c0a8 + 0102 = 183cf
        // -> 183cf + 157a4 = 2db73 -> db75 -> checksum 248a.
        String ip = "45c00020" + "00000000" + "ff70" + "0000" + "c0a80101" + "c0a80102";
        byte[] d = HEX.parseHex(ip + "313364010064248ac0a80164");
        DecodeResult r = VrrpDecoder.decode(d, d.length,
                new VrrpDecoder.Expected(VrrpVersion.V3, 51, null, List.of(VIP), 100, false));
        assertThat(r).isInstanceOf(DecodeResult.Accepted.class);
        assertThat(((DecodeResult.Accepted) r).packet().priority()).isEqualTo(100);
    }

    @Test
    void ipHeaderChecksumOfBuiltDatagramVerifies() {
        byte[] d = VrrpEncoder.datagram(new VrrpPacket(VrrpVersion.V3, 1, 100, 100, List.of(VIP), null),
                SRC, VrrpEncoder.MULTICAST_GROUP);
        assertThat(InternetChecksum.finish(InternetChecksum.add(0, d, 0, 20))).isZero();
        assertThat(d[8] & 0xff).isEqualTo(255);
        assertThat(d[9] & 0xff).isEqualTo(112);
    }
}
