package io.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bulwark.config.VrrpInstanceConfig;
import io.bulwark.core.EventBus;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Real raw sockets on the loopback interface, unicast between 127.0.0.1 and 127.0.0.2 (no interface is
 * changed). Skipped where the process lacks CAP_NET_RAW.
 */
class RawSocketAdvertTransportTest {
    static final Inet4Address A = Ipv4.address(127, 0, 0, 1);
    static final Inet4Address B = Ipv4.address(127, 0, 0, 2);
    static final int VRID = 213; // unlikely to meet anyone else's on lo

    static RawSocketAdvertTransport openOrSkip(Inet4Address source, Inet4Address peer) {
        try {
            return RawSocketAdvertTransport.open("lo", source, List.of(peer));
        } catch (IllegalStateException e) {
            Assumptions.abort("no raw socket here: " + e.getMessage());
            throw e;
        }
    }

    @Test
    void unicastAdvertArrivesWithTtl255AndAValidV3Checksum() {
        try (var a = openOrSkip(A, B); var b = openOrSkip(B, A)) {
            List<byte[]> atB = new CopyOnWriteArrayList<>();
            List<byte[]> atA = new CopyOnWriteArrayList<>();
            b.start(atB::add);
            a.start(atA::add);
            VrrpPacket p = new VrrpPacket(VrrpVersion.V3, VRID, 100, 100, List.of(Ipv4.address(10, 9, 9, 9)), null);
            a.send(p);

            await().atMost(Duration.ofSeconds(5)).until(() -> !atB.isEmpty());
            byte[] d = atB.getFirst();
            DecodeResult r = VrrpDecoder.decode(d, d.length,
                    new VrrpDecoder.Expected(VrrpVersion.V3, VRID, null, p.addresses(), 100, false));
            assertThat(r).isEqualTo(new DecodeResult.Accepted(p, A, B, false));
            assertThat(atA).as("own packets are not handed back").isEmpty();
        }
    }

    @Test
    void twoInstancesElectOverRealSockets() {
        try (var ta = openOrSkip(A, B); var tb = openOrSkip(B, A)) {
            var scheduler = VrrpScheduler.singleThread("vrrp-test");
            var actA = new RecordingActuator();
            var actB = new RecordingActuator();
            var a = new VrrpInstance(config(100), ta, new VrrpContext(scheduler, actA, new EventBus(), c -> NotifyHook.none()));
            var b = new VrrpInstance(config(200), tb, new VrrpContext(scheduler, actB, new EventBus(), c -> NotifyHook.none()));
            a.start();
            b.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> b.state() == VrrpState.MASTER && a.state() == VrrpState.BACKUP);
            await().atMost(Duration.ofSeconds(5)).until(() -> a.counters().advertsReceived() >= 5);
            assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
            b.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> a.state() == VrrpState.MASTER);
            a.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> a.state() == VrrpState.INITIALIZE);
            scheduler.close();
        }
    }

    @Test
    void unknownInterfaceIsNamed() {
        assertThatThrownBy(() -> RawSocketAdvertTransport.open("bulwark-none0", A, List.of(B)))
                .hasMessage("VRRP interface bulwark-none0: no such interface");
    }

    static VrrpInstanceConfig config(int priority) {
        return new VrrpInstanceConfig("VI_lo", 3, "lo", VRID, priority, Duration.ofMillis(100), true, Duration.ZERO,
                null, List.of(), List.of("10.9.9.9/32"), null, List.of(), List.of());
    }
}
