package io.bulwark.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked buffer while it ran. Use with
 * {@code @ExtendWith(LeakDetection.class)}; the build runs tests at PARANOID, so every buffer is tracked.
 */
public final class LeakDetection implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakDetection.class);

    static {
        // In case the session listener was not picked up (IDE runs); too late only if Netty already loaded.
        RecordingLeakDetector.install();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        flush();
        context.getStore(NS).put("before", RecordingLeakDetector.reports().size());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        flush();
        int before = context.getStore(NS).get("before", Integer.class);
        List<String> reports = RecordingLeakDetector.reports();
        if (reports.size() > before) {
            throw new AssertionError(
                    (reports.size() - before) + " Netty leak report(s):\n" + String.join("\n\n", reports.subList(before, reports.size())));
        }
    }

    /**
     * Makes pending leak reports come out: leaked buffers are only noticed once collected and once a later
     * allocation polls the detector's reference queue.
     */
    public static void flush() {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new AssertionError("tests must run with -Dio.netty.leakDetection.level=paranoid, not "
                    + ResourceLeakDetector.getLevel());
        }
        for (int i = 0; i < 5; i++) {
            System.gc();
            for (int k = 0; k < 50; k++) {
                ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                a.release();
                ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
                b.release();
                ByteBuf c = PooledByteBufAllocator.DEFAULT.heapBuffer(16);
                c.release();
            }
            // The reference handler thread enqueues collected buffers asynchronously; give it a moment.
            LockSupport.parkNanos(10_000_000);
        }
    }
}
