package io.bulwark.failover;

import io.bulwark.core.Clock;

/**
 * Runs an instance's work one task at a time, now or after a delay. All state-machine input (timers,
 * received adverts, tracker changes, shutdown) goes through it, so the state machine needs no locks and
 * tests can drive it in virtual time.
 */
public interface VrrpScheduler extends AutoCloseable {
    /** The clock whose {@link Clock#nanoTime()} the delays are measured against. */
    Clock clock();

    /** Runs {@code task} after {@code delayNanos}, unless cancelled first. */
    ScheduledTask schedule(long delayNanos, Runnable task);

    /** Runs {@code task} soon, after tasks already due; never on the caller's stack. */
    void execute(Runnable task);

    /** Stops running tasks, once every instance on it has stopped; the default does nothing. */
    @Override
    default void close() {}

    /** A pending task. */
    @FunctionalInterface
    interface ScheduledTask {
        /** Stops the task from running if it has not started. */
        void cancel();
    }

    /** One platform thread named {@code name} with the system clock: the production scheduler. */
    static VrrpScheduler singleThread(String name) {
        return new ThreadVrrpScheduler(name);
    }
}
