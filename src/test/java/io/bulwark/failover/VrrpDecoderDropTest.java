package io.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VrrpDecoderDropTest {
    static final Inet4Address SRC = Ipv4.address(10, 0, 0, 1);
    static final Inet4Address VIP = Ipv4.address(10, 0, 0, 100);
    static final VrrpDecoder.Expected V3 = new VrrpDecoder.Expected(VrrpVersion.V3, 51, null, List.of(VIP), 100, false);
    static final VrrpDecoder.Expected V2 = new VrrpDecoder.Expected(VrrpVersion.V2, 51, "pw", List.of(VIP), 100, false);

    static byte[] v3(int vrid, int priority, List<Inet4Address> addrs) {
        return VrrpEncoder.datagram(new VrrpPacket(VrrpVersion.V3, vrid, priority, 100, addrs, null), SRC,
                VrrpEncoder.MULTICAST_GROUP);
    }

    static byte[] v2(int priority, int intervalCentis, List<Inet4Address> addrs, String password) {
        return VrrpEncoder.datagram(new VrrpPacket(VrrpVersion.V2, 51, priority, intervalCentis, addrs, password), SRC,
                VrrpEncoder.MULTICAST_GROUP);
    }

    static DropReason reason(byte[] d, VrrpDecoder.Expected e) {
        DecodeResult r = VrrpDecoder.decode(d, d.length, e);
        assertThat(r).isInstanceOf(DecodeResult.Dropped.class);
        return ((DecodeResult.Dropped) r).reason();
    }

    /** Rewrites the VRRP checksum so a test reaches the check after it. */
    static byte[] fixChecksum(byte[] d, VrrpVersion v) {
        byte[] msg = Arrays.copyOfRange(d, 20, d.length);
        int sum = v == VrrpVersion.V3
                ? VrrpEncoder.checksumV3(msg, SRC.getAddress(), VrrpEncoder.MULTICAST_GROUP.getAddress())
                : InternetChecksum.finish(InternetChecksum.add(InternetChecksum.add(0, msg, 0, 6), msg, 8, msg.length - 8));
        d[26] = (byte) (sum >>> 8);
        d[27] = (byte) sum;
        return d;
    }

    @Test
    void dropsTtlOtherThan255() {
        byte[] d = v3(51, 100, List.of(VIP));
        d[8] = (byte) 254;
        assertThat(reason(d, V3)).isEqualTo(DropReason.BAD_TTL);
    }

    @Test
    void dropsOtherVersion() {
        assertThat(reason(v3(51, 100, List.of(VIP)), V2)).isEqualTo(DropReason.BAD_VERSION);
        assertThat(reason(v2(100, 100, List.of(VIP), "pw"), V3)).isEqualTo(DropReason.BAD_VERSION);
    }

    @Test
    void dropsTypeOtherThanAdvertisement() {
        byte[] d = v3(51, 100, List.of(VIP));
        d[20] = 0x32;
        assertThat(reason(fixChecksum(d, VrrpVersion.V3), V3)).isEqualTo(DropReason.BAD_TYPE);
    }

    @Test
    void dropsBadChecksumInEitherVersion() {
        byte[] d = v3(51, 100, List.of(VIP));
        d[22] ^= 1; // priority changed in flight
        assertThat(reason(d, V3)).isEqualTo(DropReason.BAD_CHECKSUM);
        byte[] e = v2(100, 100, List.of(VIP), "pw");
        e[e.length - 1] ^= 1;
        assertThat(reason(e, V2)).isEqualTo(DropReason.BAD_CHECKSUM);
    }

    @Test
    void v3ChecksumComputedForAnotherDestinationIsBad() {
        // What keepalived <= 1.3.5 sent for unicast peers (multicast group in the pseudo-header).
        VrrpPacket p = new VrrpPacket(VrrpVersion.V3, 51, 100, 100, List.of(VIP), null);
        byte[] d = Ipv4.wrap(VrrpEncoder.encode(p, SRC, VrrpEncoder.MULTICAST_GROUP), SRC, Ipv4.address(10, 0, 0, 2), 255);
        assertThat(reason(d, V3)).isEqualTo(DropReason.BAD_CHECKSUM);
    }

    @Test
    void dropsOtherVirtualRouter() {
        assertThat(reason(v3(52, 100, List.of(VIP)), V3)).isEqualTo(DropReason.WRONG_VRID);
    }

    @Test
    void dropsWhenWeOwnTheAddresses() {
        var owner = new VrrpDecoder.Expected(VrrpVersion.V3, 51, null, List.of(VIP), 100, true);
        assertThat(reason(v3(51, 100, List.of(VIP)), owner)).isEqualTo(DropReason.LOCAL_IS_OWNER);
    }

    @Test
    void dropsWrongPasswordAndWrongAuthType() {
        assertThat(reason(v2(100, 100, List.of(VIP), "other"), V2)).isEqualTo(DropReason.AUTH_MISMATCH);
        assertThat(reason(v2(100, 100, List.of(VIP), null), V2)).isEqualTo(DropReason.AUTH_MISMATCH);
        var none = new VrrpDecoder.Expected(VrrpVersion.V2, 51, null, List.of(VIP), 100, false);
        assertThat(reason(v2(100, 100, List.of(VIP), "pw"), none)).isEqualTo(DropReason.AUTH_MISMATCH);
    }

    @Test
    void dropsV2IntervalMismatchAndV3ZeroInterval() {
        assertThat(reason(v2(100, 200, List.of(VIP), "pw"), V2)).isEqualTo(DropReason.BAD_INTERVAL);
        byte[] d = v3(51, 100, List.of(VIP));
        d[24] = 0;
        d[25] = 0;
        assertThat(reason(fixChecksum(d, VrrpVersion.V3), V3)).isEqualTo(DropReason.BAD_INTERVAL);
    }

    @Test
    void v2DropsAddressMismatchUnlessFromOwner() {
        List<Inet4Address> other = List.of(Ipv4.address(10, 0, 0, 101));
        assertThat(reason(v2(100, 100, other, "pw"), V2)).isEqualTo(DropReason.ADDRESS_MISMATCH);
        assertThat(reason(v2(100, 100, List.of(VIP, VIP), "pw"), V2)).isEqualTo(DropReason.ADDRESS_MISMATCH);
        byte[] owner = v2(255, 100, other, "pw");
        assertThat(VrrpDecoder.decode(owner, owner.length, V2)).isInstanceOf(DecodeResult.Accepted.class);
    }

    @Test
    void v3AcceptsAddressMismatchButFlagsIt() {
        byte[] d = v3(51, 100, List.of(Ipv4.address(10, 0, 0, 101)));
        DecodeResult r = VrrpDecoder.decode(d, d.length, V3);
        assertThat(r).isInstanceOfSatisfying(DecodeResult.Accepted.class, a -> assertThat(a.addressMismatch()).isTrue());
    }

    @Test
    void dropsTruncatedAtEveryLength() {
        byte[] d = v3(51, 100, List.of(VIP, Ipv4.address(10, 0, 0, 101)));
        for (int len = 0; len < d.length; len++) {
            assertThat(reason(Arrays.copyOf(d, len), V3)).as("length %d", len).isEqualTo(DropReason.TRUNCATED);
        }
    }

    @Test
    void dropsCountThatDisagreesWithLength() {
        byte[] d = v3(51, 100, List.of(VIP, Ipv4.address(10, 0, 0, 101)));
        d[23] = 1; // says one address, carries two
        assertThat(reason(d, V3)).isEqualTo(DropReason.LENGTH_MISMATCH);
        d[23] = 3; // says three, carries two
        assertThat(reason(d, V3)).isEqualTo(DropReason.TRUNCATED);
    }

    @Test
    void dropsBytesBeyondIpTotalLength() {
        byte[] d = v3(51, 100, List.of(VIP));
        assertThat(reason(Arrays.copyOf(d, d.length + 4), V3)).isEqualTo(DropReason.LENGTH_MISMATCH);
    }

    @Test
    void dropsNonVrrpIp() {
        byte[] d = v3(51, 100, List.of(VIP));
        d[9] = 17;
        assertThat(reason(d, V3)).isEqualTo(DropReason.NOT_VRRP);
        byte[] e = v3(51, 100, List.of(VIP));
        e[0] = 0x65;
        assertThat(reason(e, V3)).isEqualTo(DropReason.NOT_VRRP);
    }

    @Test
    void everyDropReasonIsReachable() {
        // Guards against a reason added to the enum without a test above.
        assertThat(DropReason.values()).hasSize(12);
    }
}
