package io.bulwark.failover;

import io.bulwark.core.Clock;
import java.util.PriorityQueue;

/** A {@link VrrpScheduler} in virtual time: tasks run, in due order, only when the test advances the clock. */
final class VirtualScheduler implements VrrpScheduler {
    private final ManualClock clock = new ManualClock();
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long seq;

    private static final class Task implements Comparable<Task>, ScheduledTask {
        final long due;
        final long order;
        final Runnable body;
        boolean cancelled;

        Task(long due, long order, Runnable body) {
            this.due = due;
            this.order = order;
            this.body = body;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public ScheduledTask schedule(long delayNanos, Runnable task) {
        Task t = new Task(clock.nanoTime() + Math.max(0, delayNanos), seq++, task);
        queue.add(t);
        return t;
    }

    @Override
    public void execute(Runnable task) {
        schedule(0, task);
    }

    long now() {
        return clock.nanoTime();
    }

    /** Runs every task due up to {@code now + nanos}, each at its own instant, then sets the clock there. */
    void advanceNanos(long nanos) {
        long end = clock.nanoTime() + nanos;
        while (!queue.isEmpty() && queue.peek().due <= end) {
            Task t = queue.poll();
            if (!t.cancelled) {
                clock.set(t.due);
                t.body.run();
            }
        }
        clock.set(end);
    }

    void advanceMillis(double millis) {
        advanceNanos(Math.round(millis * 1_000_000));
    }

    /** Advances to the absolute virtual time {@code atNanos}. */
    void advanceTo(long atNanos) {
        advanceNanos(atNanos - clock.nanoTime());
    }
}
