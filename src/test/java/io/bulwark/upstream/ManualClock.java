package io.bulwark.upstream;

import io.bulwark.core.Clock;
import java.time.Duration;

/** Virtual time for tests: moves only when told to. */
public final class ManualClock implements Clock {
    /** Arbitrary and large, so code that treats 0 or negative values specially is caught. */
    private volatile long nanos = 1_000_000_000_000L;

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long currentTimeMillis() {
        return 1_700_000_000_000L + nanos / 1_000_000;
    }

    public void advance(Duration d) {
        nanos += d.toNanos();
    }
}
