package io.bulwark.health;

/** Where a server's check loop runs its timers; an event loop in production, virtual time in tests. */
interface Scheduler {
    /** Runs {@code task} after {@code delayNanos}; the handle cancels it. */
    Cancellable schedule(Runnable task, long delayNanos);

    /** Runs {@code task} soon on this scheduler's thread, so results from other threads are applied there. */
    void execute(Runnable task);

    /** A pending timer. */
    interface Cancellable {
        void cancel();
    }
}
