package io.bulwark.failover;

import static io.bulwark.failover.VrrpTestNet.config;
import static io.bulwark.failover.VrrpTestNet.v3;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Manual fail-back: an operator tells the master to hand the address over. */
class VrrpReleaseTest {
    final VrrpTestNet net = new VrrpTestNet();
    // The usual manual fail-back pair: the primary came back without preempting, the backup still serves.
    final VrrpTestNet.Node primary = net.node(2, config(3, 200, Duration.ofMillis(100), false, Duration.ZERO, null));
    final VrrpTestNet.Node standby = net.node(1, v3(100));

    @Test
    void aReleasedMasterHandsTheAddressToTheWaitingBackupAfterItsSkewTime() {
        standby.instance.start();
        net.scheduler.advanceMillis(1_000);
        primary.instance.start();
        net.scheduler.advanceMillis(1_000);
        assertThat(standby.state()).isEqualTo(VrrpState.MASTER);
        assertThat(primary.state()).isEqualTo(VrrpState.BACKUP);

        CompletableFuture<Boolean> released = standby.instance.release("by test");
        long at = net.scheduler.clock().nanoTime();
        net.scheduler.advanceMillis(1);
        assertThat(released).isCompletedWithValue(true);
        assertThat(standby.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(standby.actuator.holdsVip()).isFalse();
        assertThat(standby.instance.counters().priorityZeroSent()).isEqualTo(1);
        assertThat(standby.transitions.getLast().reason()).isEqualTo("released by test: priority 0 sent (RFC 5798 §6.4.3)");

        net.scheduler.advanceMillis(2_000);
        assertThat(primary.state()).isEqualTo(VrrpState.MASTER);
        assertThat(primary.actuator.holdsVip()).isTrue();
        // Skew_Time at priority 200 and 100 ms adverts: (256 - 200) x 100 ms / 256 = 21.875 ms.
        assertThat(primary.lastNanosInto(VrrpState.MASTER) - at).isEqualTo(21_875_000L);
        assertThat(standby.state()).as("the lower node stays backup behind the higher master").isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void releasingANodeThatIsNotMasterChangesNothing() {
        standby.instance.start();
        net.scheduler.advanceMillis(1_000);
        primary.instance.start();
        net.scheduler.advanceMillis(1_000);
        int before = primary.transitions.size();

        CompletableFuture<Boolean> released = primary.instance.release("by test");
        net.scheduler.advanceMillis(1_000);

        assertThat(released).isCompletedWithValue(false);
        assertThat(primary.transitions).hasSize(before);
        assertThat(standby.state()).isEqualTo(VrrpState.MASTER);
        assertThat(primary.instance.counters().priorityZeroSent()).isZero();
    }
}
