package io.bulwark.health;

import io.bulwark.upstream.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/** A scheduler in virtual time: tasks run only inside {@link #advance}, in due order, with the clock moved to each. */
final class VirtualScheduler implements Scheduler {
    private record Task(long due, long seq, Runnable run, boolean[] cancelled) {}

    private final ManualClock clock;
    private final PriorityQueue<Task> queue = new PriorityQueue<>(
            (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private final List<Long> delays = new ArrayList<>();
    private long seq;

    VirtualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        delays.add(delayNanos);
        boolean[] cancelled = {false};
        queue.add(new Task(clock.nanoTime() + delayNanos, seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    /** Runs every task due within {@code d}, then leaves the clock at now + d. */
    void advance(Duration d) {
        long end = clock.nanoTime() + d.toNanos();
        while (!queue.isEmpty() && queue.peek().due <= end) {
            Task t = queue.poll();
            clock.advance(Duration.ofNanos(t.due - clock.nanoTime()));
            if (!t.cancelled[0]) {
                t.run.run();
            }
        }
        clock.advance(Duration.ofNanos(end - clock.nanoTime()));
    }

    /** Every delay asked for so far, in order. */
    List<Long> delays() {
        return delays;
    }

    int pending() {
        return (int) queue.stream().filter(t -> !t.cancelled[0]).count();
    }
}
