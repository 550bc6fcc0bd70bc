package io.bulwark.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.EventLoops;
import io.bulwark.testing.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(LeakDetection.class)
class DataPlaneWarmupTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(2);

    @Test
    void everyWarmUpRequestGoesThroughTheRealProxyPath() {
        assertThat(DataPlaneWarmup.run(loops.group(), 50)).isEqualTo(50);
    }
}
