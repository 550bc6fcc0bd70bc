package io.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RtnetlinkTest {
    static final int SEQ = 0x6b069b8f;
    static final VirtualAddress VIP = VirtualAddress.parse("10.9.9.9/24");

    @BeforeEach
    void littleEndian() {
        // The expected bytes are what iproute2 sent on x86_64; aarch64 Linux is little-endian too.
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "netlink headers are in host byte order");
    }

    @Test
    void addsAnAddressWithTheBytesIpAddrAddSends() {
        // strace -e sendmsg ip -4 addr add 10.9.9.9/24 dev d0 (index 3), iproute2 6.1
        assertThat(HexFormat.of().formatHex(Rtnetlink.newAddress(SEQ, 3, VIP))).isEqualTo(
                "28000000" + "1400" + "0506" + "8f9b066b" + "00000000"
                        + "02180000" + "03000000"
                        + "08000200" + "0a090909"
                        + "08000100" + "0a090909");
    }

    @Test
    void deletesAnAddressWithTheBytesIpAddrDelSends() {
        assertThat(HexFormat.of().formatHex(Rtnetlink.deleteAddress(SEQ, 3, VIP))).isEqualTo(
                "28000000" + "1500" + "0500" + "8f9b066b" + "00000000"
                        + "02180000" + "03000000"
                        + "08000200" + "0a090909"
                        + "08000100" + "0a090909");
    }

    @Test
    void readsAnAcknowledgementWhoseRequestIsCapped() {
        ByteBuffer b = message(36, Rtnetlink.NLM_F_CAPPED, SEQ).putInt(0);
        echoedHeader(b);
        assertThat(Rtnetlink.ack(b.flip(), SEQ)).isEqualTo(new Rtnetlink.Ack(0, null));
    }

    @Test
    void readsTheKernelsReasonAfterTheEchoedRequest() {
        byte[] reason = "ipv4: Address not found\0".getBytes(StandardCharsets.US_ASCII);
        // Not capped: the whole 40-byte request comes back before the reason, as iproute2 saw it.
        ByteBuffer b = message(16 + 4 + 40 + 4 + reason.length, Rtnetlink.NLM_F_ACK_TLVS, SEQ).putInt(-99);
        b.put(Rtnetlink.deleteAddress(SEQ, 3, VIP));
        b.putShort((short) (4 + reason.length)).putShort((short) Rtnetlink.NLMSGERR_ATTR_MSG).put(reason);
        assertThat(Rtnetlink.ack(b.flip(), SEQ)).isEqualTo(new Rtnetlink.Ack(-99, "ipv4: Address not found"));

        ByteBuffer capped = message(16 + 4 + 16 + 4 + reason.length, Rtnetlink.NLM_F_ACK_TLVS | Rtnetlink.NLM_F_CAPPED,
                SEQ).putInt(-17);
        echoedHeader(capped);
        capped.putShort((short) (4 + reason.length)).putShort((short) Rtnetlink.NLMSGERR_ATTR_MSG).put(reason);
        assertThat(Rtnetlink.ack(capped.flip(), SEQ)).isEqualTo(new Rtnetlink.Ack(-17, "ipv4: Address not found"));
    }

    @Test
    void skipsTheLateAnswerToAnEarlierRequest() {
        ByteBuffer b = ByteBuffer.allocate(72).order(ByteOrder.nativeOrder());
        b.put(message(36, Rtnetlink.NLM_F_CAPPED, SEQ - 1).putInt(-17).flip());
        echoedHeader(b);
        b.put(message(36, Rtnetlink.NLM_F_CAPPED, SEQ).putInt(0).flip());
        echoedHeader(b);
        assertThat(Rtnetlink.ack(b.flip(), SEQ)).isEqualTo(new Rtnetlink.Ack(0, null));
        assertThat(Rtnetlink.ack(b.rewind(), SEQ + 1)).isNull();
    }

    @Test
    void aTruncatedOrGarbledDatagramAnswersNothing() {
        ByteBuffer b = message(36, Rtnetlink.NLM_F_CAPPED, SEQ).putInt(0);
        assertThat(Rtnetlink.ack(b.flip(), SEQ)).as("length says 36, 20 bytes came").isNull();
        ByteBuffer zero = message(0, 0, SEQ).putInt(0);
        assertThat(Rtnetlink.ack(zero.flip(), SEQ)).isNull();
        ByteBuffer badEcho = message(16 + 4 + 16 + 8, Rtnetlink.NLM_F_ACK_TLVS, SEQ).putInt(-1).putInt(1000);
        badEcho.put(new byte[20]);
        assertThat(Rtnetlink.ack(badEcho.flip(), SEQ)).isEqualTo(new Rtnetlink.Ack(-1, null));
    }

    static ByteBuffer message(int length, int flags, int seq) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(length, 20)).order(ByteOrder.nativeOrder());
        return b.putInt(length).putShort((short) Rtnetlink.NLMSG_ERROR).putShort((short) flags).putInt(seq).putInt(4242);
    }

    static void echoedHeader(ByteBuffer b) {
        b.put(Rtnetlink.deleteAddress(SEQ, 3, VIP), 0, 16);
    }
}
