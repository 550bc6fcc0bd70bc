package io.bulwark.failover;

import io.bulwark.core.Clock;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link VrrpScheduler} on one daemon thread; timers use {@link System#nanoTime()}, as {@link Clock#system()} does. */
final class ThreadVrrpScheduler implements VrrpScheduler {
    private static final Logger log = LoggerFactory.getLogger(ThreadVrrpScheduler.class);
    private final ScheduledThreadPoolExecutor executor;

    ThreadVrrpScheduler(String name) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        // Cancelled master-down timers are reset at every advert; don't let them pile up in the queue.
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Clock clock() {
        return Clock.system();
    }

    @Override
    public ScheduledTask schedule(long delayNanos, Runnable task) {
        try {
            var f = executor.schedule(guarded(task), delayNanos, TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException closed) {
            // After close() there is nobody left to run timers for; a late advert or timer is moot.
            return () -> {};
        }
    }

    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(guarded(task));
        } catch (RejectedExecutionException closed) {
            log.debug("VRRP scheduler closed; task dropped");
        }
    }

    /** A failing task must not kill the thread that every later timer needs. */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("VRRP task failed", e);
            }
        };
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
