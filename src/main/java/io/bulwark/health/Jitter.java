package io.bulwark.health;

import java.util.random.RandomGenerator;

/** Spreads check delays so servers checked together at startup do not stay in lock-step forever. */
final class Jitter {
    private Jitter() {}

    /** {@code nanos} moved by a uniform amount within ±{@code percent} %, never below 1 ns. */
    static long spread(long nanos, int percent, RandomGenerator random) {
        long span = nanos / 100 * percent;
        if (span <= 0) {
            return Math.max(1, nanos);
        }
        return Math.max(1, nanos + random.nextLong(-span, span + 1));
    }

    /** A first delay uniform in {@code [0, interval)}, so checks of many servers start spread out. */
    static long firstDelay(long intervalNanos, RandomGenerator random) {
        return intervalNanos <= 1 ? 0 : random.nextLong(intervalNanos);
    }
}
