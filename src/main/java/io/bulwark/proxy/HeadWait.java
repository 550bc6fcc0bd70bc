package io.bulwark.proxy;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A client connection's wait for its next request head. Nothing of a head within the shorter of
 * header_timeout and idle_timeout: the connection goes away. Part of a head: it has until header_timeout,
 * then a 408. The timer stays scheduled across requests and re-checks its deadline when it fires, which is
 * cheaper than cancelling and re-arming it for every request.
 */
final class HeadWait {
    /** What the wait needs from its connection; called on the connection's event loop. */
    interface Owner {
        /** Whether the connection is between requests (not busy with one). */
        boolean waitingForHead();

        /** Whether part of a head has arrived. */
        boolean partialHead();

        /** Nothing of a head came in time: close quietly. */
        void idleTimedOut();

        /** A head started but did not finish in time: answer 408. */
        void headTimedOut();
    }

    private final EventExecutor executor;
    private final Owner owner;
    private final long headNanos;
    private final long idleNanos;
    private final Runnable fire = this::fire;
    private ScheduledFuture<?> timer;
    private long startNanos;

    HeadWait(EventExecutor executor, Owner owner, long headTimeoutNanos, long idleTimeoutNanos) {
        this.executor = executor;
        this.owner = owner;
        this.headNanos = headTimeoutNanos;
        this.idleNanos = Math.min(headTimeoutNanos, idleTimeoutNanos);
    }

    /** Starts a wait; a timer still scheduled from an earlier one fires sooner than this deadline and re-checks. */
    void start() {
        startNanos = System.nanoTime();
        if (timer == null) {
            timer = executor.schedule(fire, idleNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The connection closed. */
    void cancel() {
        Attempts.cancel(timer);
        timer = null;
    }

    private void fire() {
        timer = null;
        if (!owner.waitingForHead()) {
            // Busy with a request; the next wait arms it again.
            return;
        }
        long waited = System.nanoTime() - startNanos;
        long left = (owner.partialHead() ? headNanos : idleNanos) - waited;
        if (left > 0) {
            timer = executor.schedule(fire, left, TimeUnit.NANOSECONDS);
        } else if (owner.partialHead()) {
            owner.headTimedOut();
        } else {
            owner.idleTimedOut();
        }
    }
}
