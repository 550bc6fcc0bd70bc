package io.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.config.TrackConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VrrpConfigValidationTest {
    @Test
    void namesTheFieldAndTheExpectedRange() {
        assertThatThrownBy(() -> VrrpTestNet.config(3, 0, Duration.ofMillis(100), true, Duration.ZERO, null))
                .hasMessage("vrrp.instances[VI_1].priority: 0 (expected: 1..255)");
        assertThatThrownBy(() -> VrrpTestNet.config(3, 100, Duration.ofMillis(105), true, Duration.ZERO, null))
                .hasMessageStartingWith("vrrp.instances[VI_1].advert_interval: PT0.105S");
        assertThatThrownBy(() -> VrrpTestNet.config(2, 100, Duration.ofMillis(1500), true, Duration.ZERO, null))
                .hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> VrrpTestNet.config(3, 100, Duration.ofMillis(100), true, Duration.ZERO, "pw"))
                .hasMessageContaining("only with version 2");
        assertThatThrownBy(() -> new io.bulwark.config.VrrpInstanceConfig("VI_1", 3, "eth0", 51, 100,
                Duration.ofMillis(100), true, Duration.ZERO, null, java.util.List.of(), java.util.List.of("10.0.0.1/33"),
                null, java.util.List.of(), java.util.List.of()))
                .hasMessage("vrrp.instances[VI_1].virtual_addresses: 10.0.0.1/33 "
                        + "(expected: a.b.c.d or a.b.c.d/len, parts 0..255, len 0..32)");
        assertThatThrownBy(() -> new TrackConfig("upstream:app", 10))
                .hasMessage("track[upstream:app].weight: 10 (expected: -254..0)");
    }
}
