package io.bulwark.health;

import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/** A {@link Scheduler} on one Netty event loop: every timer and result of one server's checks run there. */
record EventLoopScheduler(EventLoop loop) implements Scheduler {
    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        var future = loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }
}
