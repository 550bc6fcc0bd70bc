package io.bulwark.failover;

import static io.bulwark.failover.VrrpTestNet.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class VrrpV2InstanceTest {
    final VrrpTestNet net = new VrrpTestNet();

    @Test
    void v2ElectsWithSkewInSecondsIndependentOfTheInterval() {
        var a = net.node(1, config(2, 100, Duration.ofSeconds(1), true, Duration.ZERO, "s3cret"));
        var b = net.node(2, config(2, 200, Duration.ofSeconds(1), true, Duration.ZERO, "s3cret"));
        a.instance.start();
        b.instance.start();
        net.scheduler.advanceMillis(10_000);

        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
        // 3 × 1 s + (256 − 200) / 256 s = 3.21875 s
        assertThat(b.lastNanosInto(VrrpState.MASTER)).isEqualTo(3_218_750_000L);
    }

    @Test
    void wrongPasswordIsCountedAndBothEndUpMaster() {
        var a = net.node(1, config(2, 100, Duration.ofSeconds(1), true, Duration.ZERO, "wrong"));
        var b = net.node(2, config(2, 200, Duration.ofSeconds(1), true, Duration.ZERO, "s3cret"));
        a.instance.start();
        b.instance.start();
        net.scheduler.advanceMillis(10_000);

        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(a.instance.counters().drops(DropReason.AUTH_MISMATCH)).isGreaterThan(5);
        assertThat(a.instance.counters().advertsReceived()).isZero();
    }
}
