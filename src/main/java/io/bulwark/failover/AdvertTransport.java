package io.bulwark.failover;

import java.net.Inet4Address;
import java.util.function.Consumer;

/**
 * Sends an instance's adverts and hands it what arrives. Sending encodes per destination, because a v3
 * checksum covers the destination address (multicast group or each unicast peer).
 */
public interface AdvertTransport extends AutoCloseable {
    /** The primary address adverts are sent from; RFC 5798 §6.4.3 breaks priority ties with it. */
    Inet4Address sourceAddress();

    /** Starts delivering received IPv4 datagrams (header included) to {@code receiver}, on any thread. */
    void start(Consumer<byte[]> receiver);

    /** Sends the advert to the group or to every unicast peer; never blocks for long. */
    void send(VrrpPacket packet);

    @Override
    void close();
}
