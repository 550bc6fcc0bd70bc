package io.bulwark.failover;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The rtnetlink messages that put an IPv4 address on an interface and take it off, as bytes: what
 * {@code ip -4 addr add|del A/len dev IF} sends (IFA_LOCAL and IFA_ADDRESS, scope global, no broadcast, as
 * keepalived), and the kernel's acknowledgement. Headers are in host byte order, addresses in network order.
 */
final class Rtnetlink {
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int NLMSG_ERROR = 2;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    /** On an NLMSG_ERROR: our request is echoed by its header only (NETLINK_CAP_ACK). */
    static final int NLM_F_CAPPED = 0x100;
    /** On an NLMSG_ERROR: attributes follow the echoed request (NETLINK_EXT_ACK). */
    static final int NLM_F_ACK_TLVS = 0x200;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int NLMSGERR_ATTR_MSG = 1;
    static final int HEADER_LENGTH = 16;
    private static final int AF_INET = 2;
    private static final int ADDRESS_MESSAGE_LENGTH = HEADER_LENGTH + 8 + 2 * 8;

    private Rtnetlink() {}

    /** The kernel's answer to one request: 0 or a negative errno, with the kernel's reason when it gave one. */
    record Ack(int error, String reason) {}

    /** RTM_NEWADDR that fails with EEXIST rather than change an address already there. */
    static byte[] newAddress(int seq, int interfaceIndex, VirtualAddress address) {
        return addressMessage(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, seq, interfaceIndex,
                address);
    }

    /** RTM_DELADDR; the kernel answers EADDRNOTAVAIL when the address is not there. */
    static byte[] deleteAddress(int seq, int interfaceIndex, VirtualAddress address) {
        return addressMessage(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, seq, interfaceIndex, address);
    }

    private static byte[] addressMessage(int type, int flags, int seq, int interfaceIndex, VirtualAddress address) {
        ByteBuffer b = ByteBuffer.allocate(ADDRESS_MESSAGE_LENGTH).order(ByteOrder.nativeOrder());
        b.putInt(ADDRESS_MESSAGE_LENGTH).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        // struct ifaddrmsg { family, prefixlen, flags, scope (0: global), index }
        b.put((byte) AF_INET).put((byte) address.prefixLength()).put((byte) 0).put((byte) 0).putInt(interfaceIndex);
        byte[] ip = address.address().getAddress();
        // A point-to-point peer would go in IFA_ADDRESS; for an ordinary address both carry it, as iproute2 sends.
        b.putShort((short) 8).putShort((short) IFA_LOCAL).put(ip);
        b.putShort((short) 8).putShort((short) IFA_ADDRESS).put(ip);
        return b.array();
    }

    /**
     * The acknowledgement of request {@code seq} among the messages of one datagram, or {@code null} when
     * none answers it (a late answer to an earlier request that timed out is skipped this way).
     */
    static Ack ack(ByteBuffer datagram, int seq) {
        ByteBuffer d = datagram.duplicate().order(ByteOrder.nativeOrder());
        int at = d.position();
        while (d.limit() - at >= HEADER_LENGTH) {
            int length = d.getInt(at);
            if (length < HEADER_LENGTH || length > d.limit() - at) {
                return null; // truncated or garbled: nothing further can be trusted
            }
            int type = d.getShort(at + 4) & 0xffff;
            int flags = d.getShort(at + 6) & 0xffff;
            if (type == NLMSG_ERROR && d.getInt(at + 8) == seq && length >= HEADER_LENGTH + 4) {
                return new Ack(d.getInt(at + HEADER_LENGTH), reason(d, at, length, flags));
            }
            at += align(length);
        }
        return null;
    }

    /** NLMSGERR_ATTR_MSG, after the echoed request (its header only when capped). */
    private static String reason(ByteBuffer d, int at, int length, int flags) {
        if ((flags & NLM_F_ACK_TLVS) == 0 || length < HEADER_LENGTH + 4 + HEADER_LENGTH) {
            return null;
        }
        int echoed = at + HEADER_LENGTH + 4;
        int end = at + length;
        int echoedLength = (flags & NLM_F_CAPPED) != 0 ? HEADER_LENGTH : d.getInt(echoed);
        if (echoedLength < HEADER_LENGTH || echoedLength > end - echoed) {
            return null;
        }
        int attribute = echoed + align(echoedLength);
        while (end - attribute >= 4) {
            int attributeLength = d.getShort(attribute) & 0xffff;
            if (attributeLength < 4 || attributeLength > end - attribute) {
                return null;
            }
            if ((d.getShort(attribute + 2) & 0x3fff) == NLMSGERR_ATTR_MSG) {
                byte[] text = new byte[attributeLength - 4];
                d.get(attribute + 4, text);
                int nul = 0;
                while (nul < text.length && text[nul] != 0) {
                    nul++;
                }
                return new String(text, 0, nul, StandardCharsets.UTF_8);
            }
            attribute += align(attributeLength);
        }
        return null;
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }
}
