package io.bulwark.failover;

import static io.bulwark.failover.VrrpTestNet.MS;
import static io.bulwark.failover.VrrpTestNet.v3;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.VrrpInstanceConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class VrrpElectionTest {
    final VrrpTestNet net = new VrrpTestNet();

    @Test
    void higherPriorityIsElectedAfterItsOwnMasterDownInterval() {
        var a = net.node(1, v3(100));
        var b = net.node(2, v3(200));
        a.instance.start();
        b.instance.start();
        net.scheduler.advanceMillis(5_000);

        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(b.actuator.holdsVip()).isTrue();
        assertThat(a.actuator.holdsVip()).isFalse();
        // 3 × 100 ms + (256 − 200) × 100 ms / 256 = 321.875 ms
        assertThat(b.lastNanosInto(VrrpState.MASTER)).isEqualTo(321_875_000L);
        assertThat(a.transitions).hasSize(1);
    }

    @Test
    void backupTakesOverExactlyMasterDownIntervalAfterTheLastAdvert() {
        net.sniff();
        var a = net.node(1, v3(100));
        var b = net.node(2, v3(200));
        a.instance.start();
        b.instance.start();
        net.scheduler.advanceMillis(1_000);
        net.bus.dropWhen((from, to) -> from.equals(b.address)); // b dies without a word
        long last = net.lastFrom(b.address, net.scheduler.now()).atNanos();
        net.scheduler.advanceMillis(2_000);

        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        // 3 × 100 ms + (256 − 100) × 100 ms / 256 = 360.9375 ms
        assertThat(a.lastNanosInto(VrrpState.MASTER) - last).isEqualTo(360_937_500L);
        assertThat(a.transitions.getLast().reason())
                .isEqualTo("master down timer expired (no advertisement for 360.9 ms) (RFC 5798 §6.4.2)");
    }

    @Test
    void priorityZeroOnShutdownHandsOverAfterSkewTime() {
        var a = net.node(1, v3(100));
        var b = net.node(2, v3(200));
        a.instance.start();
        b.instance.start();
        net.scheduler.advanceMillis(1_000);
        long stopAt = net.scheduler.now();
        b.instance.stop();
        net.scheduler.advanceMillis(1_000);

        assertThat(b.state()).isEqualTo(VrrpState.INITIALIZE);
        assertThat(b.actuator.holdsVip()).isFalse();
        assertThat(b.instance.counters().priorityZeroSent()).isEqualTo(1);
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        // Skew_Time = (256 − 100) × 100 ms / 256 = 60.9375 ms
        assertThat(a.lastNanosInto(VrrpState.MASTER) - stopAt).isEqualTo(60_937_500L);
        assertThat(b.notified).containsExactly("VI_1 BACKUP 200", "VI_1 MASTER 200", "VI_1 STOP 200");
    }

    @Test
    void addressOwnerIsMasterAtOnceAndIgnoresOthers() {
        var owner = net.node(1, v3(255));
        var other = net.node(2, v3(254));
        owner.instance.start();
        other.instance.start();
        net.scheduler.advanceMillis(2_000);

        assertThat(owner.lastNanosInto(VrrpState.MASTER)).isZero();
        assertThat(owner.transitions.getFirst().from()).isEqualTo(VrrpState.INITIALIZE);
        assertThat(other.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(owner.instance.counters().advertsSent()).isEqualTo(21); // t = 0, 100, …, 2000 ms
    }

    @Test
    void equalPrioritiesAreBrokenByTheHigherPrimaryAddress() {
        var a = net.node(1, v3(150));
        var b = net.node(2, v3(150));
        a.instance.start();
        b.instance.start();
        net.scheduler.advanceMillis(3_000);

        // Both timers expire at the same instant, both become master, and 10.0.0.1 yields on hearing 10.0.0.2.
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(a.transitions.getLast().reason())
                .isEqualTo("equal priority 150 from higher address 10.0.0.2 (RFC 5798 §6.4.3)");
    }

    @Test
    void splitBrainResolvesWithinOneAdvertIntervalOfHealing() {
        var a = net.node(1, v3(100));
        var b = net.node(2, v3(200));
        a.instance.start();
        b.instance.start();
        net.scheduler.advanceMillis(1_000);
        net.bus.dropWhen((from, to) -> true);
        net.scheduler.advanceMillis(1_000);
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(a.actuator.holdsVip()).isTrue();
        assertThat(b.actuator.holdsVip()).isTrue();

        long healedAt = net.scheduler.now();
        net.bus.heal();
        net.scheduler.advanceMillis(1_000);

        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(a.actuator.holdsVip()).isFalse();
        assertThat(a.lastNanosInto(VrrpState.BACKUP) - healedAt).isLessThanOrEqualTo(100 * MS);
        assertThat(a.transitions.getLast().describe())
                .isEqualTo("(VI_1) MASTER -> BACKUP: higher priority 200 > 100 from 10.0.0.2 (RFC 5798 §6.4.3)");
    }

    @Test
    void v3BackupAdoptsTheMastersAdvertInterval() {
        net.sniff();
        var a = net.node(1, v3(100)); // 100 ms itself
        VrrpInstanceConfig slow = VrrpTestNet.config(3, 200, Duration.ofSeconds(1), true, Duration.ZERO, null);
        var b = net.node(2, slow);
        a.instance.start();
        b.instance.start();
        net.scheduler.advanceMillis(10_000);
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        net.bus.dropWhen((from, to) -> from.equals(b.address));
        long last = net.lastFrom(b.address, net.scheduler.now()).atNanos();
        net.scheduler.advanceMillis(10_000);

        // Master_Adver_Interval is b's 1 s: 3 s + 156 × 1 s / 256 = 3.609375 s, not a's 360.9375 ms.
        assertThat(a.lastNanosInto(VrrpState.MASTER) - last).isEqualTo(3_609_375_000L);
    }

    @Test
    void everyTransitionIsOneEventOneCountAndOneNotify() {
        var a = net.node(1, v3(100));
        var b = net.node(2, v3(200));
        a.instance.start();
        b.instance.start();
        net.scheduler.advanceMillis(1_000);
        b.instance.stop();
        net.scheduler.advanceMillis(1_000);

        assertThat(a.transitions).extracting(VrrpTransition::to).containsExactly(VrrpState.BACKUP, VrrpState.MASTER);
        assertThat(a.notified).containsExactly("VI_1 BACKUP 100", "VI_1 MASTER 100");
        assertThat(a.instance.counters().transitionsTo(VrrpState.MASTER)).isEqualTo(1);
        assertThat(a.instance.counters().transitionsTo(VrrpState.BACKUP)).isEqualTo(1);
        VrrpTransition t = a.transitions.getLast();
        assertThat(t.timestampMillis()).isEqualTo(ManualClock.EPOCH_MILLIS + 1_060);
        assertThat(t.describe()).startsWith("(VI_1) BACKUP -> MASTER: master 10.0.0.2 sent priority 0");
        assertThat(a.actuator.calls).containsExactly("add eth0 [10.0.0.100/24]", "garp eth0 [10.0.0.100/24]");
        assertThat(List.of(b.instance.counters().advertsSent(), a.instance.counters().advertsReceived()))
                .allSatisfy(n -> assertThat(n).isGreaterThan(5));
    }
}
