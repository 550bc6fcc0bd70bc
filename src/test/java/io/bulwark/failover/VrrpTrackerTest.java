package io.bulwark.failover;

import static io.bulwark.failover.VrrpTestNet.MS;
import static io.bulwark.failover.VrrpTestNet.v3;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.TrackConfig;
import org.junit.jupiter.api.Test;

class VrrpTrackerTest {
    final VrrpTestNet net = new VrrpTestNet();

    @Test
    void failingWeightedTrackerLowersEffectivePriorityAndTheMasterYields() {
        net.sniff();
        var a = net.node(1, v3(100));
        var b = net.node(2, v3(200, new TrackConfig("upstream:app", -150)));
        a.instance.start();
        b.instance.start();
        net.scheduler.advanceMillis(2_000);
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);

        b.instance.trackerChanged("upstream:app", true);
        net.scheduler.advanceMillis(1_000);

        assertThat(b.instance.configuredPriority()).isEqualTo(200);
        assertThat(b.instance.effectivePriority()).isEqualTo(50);
        // The new priority goes out at once, not at the next Adver_Timer.
        assertThat(net.lastFrom(b.address, 2_000 * MS)).isEqualTo(new VrrpTestNet.Heard(2_000 * MS, b.address, 50));
        // a ignores the lower adverts and times out on the last 200 one (1921.875 ms) + 360.9375 ms.
        assertThat(a.lastNanosInto(VrrpState.MASTER)).isEqualTo(1_921_875_000L + 360_937_500L);
        assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(b.actuator.holdsVip()).isFalse();
        assertThat(a.actuator.holdsVip()).isTrue();

        b.instance.trackerChanged("upstream:app", false);
        net.scheduler.advanceMillis(2_000);
        assertThat(b.instance.effectivePriority()).isEqualTo(200);
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void weightZeroTrackerFaultsTheMasterWhichReleasesTheAddressWithPriorityZero() {
        var a = net.node(1, v3(100));
        var b = net.node(2, v3(200, new TrackConfig("listener:http", 0)));
        a.instance.start();
        b.instance.start();
        net.scheduler.advanceMillis(2_000);

        b.instance.trackerChanged("listener:http", true);
        net.scheduler.advanceMillis(2_000);
        assertThat(b.state()).isEqualTo(VrrpState.FAULT);
        assertThat(b.actuator.holdsVip()).isFalse();
        assertThat(b.instance.counters().priorityZeroSent()).isEqualTo(1);
        long sentAfterFault = b.instance.counters().advertsSent();
        assertThat(a.lastNanosInto(VrrpState.MASTER)).isEqualTo(2_000 * MS + 60_937_500L);
        assertThat(b.transitions.getLast().describe()).isEqualTo("(VI_1) MASTER -> FAULT: tracker listener:http failing (weight 0)");

        net.scheduler.advanceMillis(2_000);
        assertThat(b.instance.counters().advertsSent()).as("quiet in FAULT").isEqualTo(sentAfterFault);

        b.instance.trackerChanged("listener:http", false);
        net.scheduler.advanceMillis(2_000);
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(b.lastNanosInto(VrrpState.BACKUP)).isEqualTo(6_000 * MS);
        assertThat(b.lastNanosInto(VrrpState.MASTER)).isEqualTo(6_000 * MS + 321_875_000L);
        assertThat(b.notified).containsExactly("VI_1 BACKUP 200", "VI_1 MASTER 200", "VI_1 FAULT 200",
                "VI_1 BACKUP 200", "VI_1 MASTER 200");
    }

    @Test
    void trackerAlreadyFailingAtStartupStartsInFault() {
        var b = net.node(2, v3(200, new TrackConfig("listener:http", 0)));
        b.instance.trackerChanged("listener:http", true);
        b.instance.start();
        net.scheduler.advanceMillis(1_000);
        assertThat(b.state()).isEqualTo(VrrpState.FAULT);
        assertThat(b.instance.counters().advertsSent()).isZero();
    }

    @Test
    void effectivePriorityIsClampedAndTheOwnerIsNotAffected() {
        var t = new Trackers(java.util.List.of(new TrackConfig("a", -200), new TrackConfig("b", -100)));
        t.set("a", true);
        t.set("b", true);
        assertThat(t.effectivePriority(150)).isEqualTo(1);
        assertThat(t.effectivePriority(255)).isEqualTo(255);
        assertThat(t.set("unknown", true)).isFalse();
        assertThat(t.set("a", true)).as("unchanged").isFalse();
    }

    @Test
    void untrackedTargetsAreIgnored() {
        var b = net.node(2, v3(200, new TrackConfig("upstream:app", -50)));
        b.instance.start();
        b.instance.trackerChanged("upstream:other", true);
        net.scheduler.advanceMillis(10);
        assertThat(b.instance.effectivePriority()).isEqualTo(200);
    }
}
