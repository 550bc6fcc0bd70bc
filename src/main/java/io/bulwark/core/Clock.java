package io.bulwark.core;

/** A source of time that timer-driven parts take so tests can run them in virtual time. */
public interface Clock {
    /** Monotonic nanoseconds, only meaningful as differences. */
    long nanoTime();

    /** Wall-clock milliseconds since the epoch, for logs and events. */
    long currentTimeMillis();

    /** The real clock. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
