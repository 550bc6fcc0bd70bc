package io.bulwark.failover;

import io.bulwark.core.Clock;

/** A clock that moves only when told; starts at nanoTime 0 and a fixed wall-clock instant. */
final class ManualClock implements Clock {
    static final long EPOCH_MILLIS = 1_790_000_000_000L;
    private long nanos;

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long currentTimeMillis() {
        return EPOCH_MILLIS + nanos / 1_000_000;
    }

    void set(long nanos) {
        if (nanos < this.nanos) {
            throw new IllegalArgumentException("time runs forward: " + nanos + " < " + this.nanos);
        }
        this.nanos = nanos;
    }
}
