package io.bulwark.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Proves the leak hook sees leaks: leaks a buffer on purpose and waits for the detector to report it. */
class LeakDetectionTest {
    @Test
    void reportsABufferThatWasNeverReleased() {
        RecordingLeakDetector.clear();
        leak();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            LeakDetection.flush();
            return !RecordingLeakDetector.reports().isEmpty();
        });
        assertThat(RecordingLeakDetector.reports().get(0)).contains("LEAK").contains("ByteBuf");
        // Forget it, so that other classes in this JVM do not fail for this deliberate leak.
        RecordingLeakDetector.clear();
    }

    private static void leak() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(1);
        // dropped without release()
    }
}
