package io.bulwark.failover;

import static io.bulwark.failover.VrrpTestNet.MS;
import static io.bulwark.failover.VrrpTestNet.config;
import static io.bulwark.failover.VrrpTestNet.v3;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A higher-priority node joins while a lower one is master. */
class VrrpPreemptTest {
    final VrrpTestNet net = new VrrpTestNet();
    final VrrpTestNet.Node low = net.node(1, v3(100));

    @Test
    void withPreemptTheHigherBackupTakesOverAfterItsMasterDownInterval() {
        var high = net.node(2, v3(200));
        low.instance.start();
        net.scheduler.advanceMillis(1_000);
        high.instance.start();
        net.scheduler.advanceMillis(2_000);

        assertThat(high.state()).isEqualTo(VrrpState.MASTER);
        assertThat(low.state()).isEqualTo(VrrpState.BACKUP);
        // The lower master's adverts are discarded, so the timer set at start-up runs out: 321.875 ms.
        assertThat(high.lastNanosInto(VrrpState.MASTER)).isEqualTo(1_321_875_000L);
        assertThat(high.transitions.getLast().reason())
                .isEqualTo("preempting lower-priority master 10.0.0.1 (priority 100 < 200) (RFC 5798 §6.4.2)");
    }

    @Test
    void withoutPreemptTheHigherBackupLeavesALiveMasterAlone() {
        var high = net.node(2, config(3, 200, Duration.ofMillis(100), false, Duration.ZERO, null));
        low.instance.start();
        net.scheduler.advanceMillis(1_000);
        high.instance.start();
        net.scheduler.advanceMillis(10_000);

        assertThat(high.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(low.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void withoutPreemptTheHigherBackupStillTakesOverWhenTheMasterDies() {
        var high = net.node(2, config(3, 200, Duration.ofMillis(100), false, Duration.ZERO, null));
        low.instance.start();
        net.scheduler.advanceMillis(1_000);
        high.instance.start();
        net.scheduler.advanceMillis(1_000);
        low.instance.stop();
        net.scheduler.advanceMillis(1_000);

        assertThat(high.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void preemptDelayDefersTakeoverFromTheFirstLowerAdvertHeard() {
        var high = net.node(2, config(3, 200, Duration.ofMillis(100), true, Duration.ofSeconds(1), null));
        low.instance.start();
        net.scheduler.advanceMillis(1_000);
        high.instance.start();
        net.scheduler.advanceMillis(5_000);

        assertThat(high.state()).isEqualTo(VrrpState.MASTER);
        // low adverts at 360.9375 + k × 100 ms; the first heard is at 1060.9375 ms. Adverts less than 1 s
        // after it still count as the master's (last at 1960.9375 ms); from 2060.9375 ms they are ignored,
        // so the master-down timer set at 1960.9375 ms fires 321.875 ms later.
        long firstHeard = 1_060_937_500L;
        assertThat(high.lastNanosInto(VrrpState.MASTER))
                .isGreaterThanOrEqualTo(firstHeard + 1_000 * MS)
                .isEqualTo(1_960_937_500L + 321_875_000L);
    }
}
