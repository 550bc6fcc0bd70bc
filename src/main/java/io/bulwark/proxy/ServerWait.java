package io.bulwark.proxy;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A request's wait on its server: whether a write to it or a read from it is outstanding, when it last
 * made progress, and the per-try read timeout over that. Only time spent waiting on the server counts; a
 * client slow to take the response (back-pressure) is not the server's fault. The timer stays scheduled
 * across requests and re-checks when it fires, which is cheaper than a cancel and a schedule per request.
 */
final class ServerWait {
    /** What the wait needs from its exchange; called on the connection's event loop. */
    interface Owner {
        /** Whether a request is with a server (not between requests, connecting, or answered). */
        boolean forwarding();

        /** The server made no progress for a whole read timeout while the exchange waited on it. */
        void serverTimedOut();
    }

    private final EventExecutor executor;
    private final Owner owner;
    private final Runnable fire = this::fire;
    private ScheduledFuture<?> timer;
    // When the timer fires, in System.nanoTime(); meaningful only while it is scheduled.
    private long timerDue;
    private long timeoutNanos;
    private long lastProgressNanos;
    private boolean writing;
    private boolean reading;

    ServerWait(EventExecutor executor, Owner owner) {
        this.executor = executor;
        this.owner = owner;
    }

    /** The request's head goes to a server, whose answer is read next: the clock starts at {@code nowNanos}. */
    void begin(long timeoutNanos, long nowNanos) {
        this.timeoutNanos = timeoutNanos;
        lastProgressNanos = nowNanos;
        writing = true;
        reading = true;
        long due = nowNanos + timeoutNanos;
        if (timer != null) {
            if (timerDue - due <= 0) {
                return; // fires sooner, then re-arms for what is left
            }
            timer.cancel(false);
        }
        timerDue = due;
        timer = executor.schedule(fire, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** More of the request is being written to the server. */
    void writing() {
        writing = true;
    }

    /** The server took what was written. */
    void written(long nowNanos) {
        writing = false;
        lastProgressNanos = nowNanos;
    }

    /** The server is read again. */
    void reading() {
        reading = true;
    }

    /** A message from the server arrived. */
    void arrived(long nowNanos) {
        reading = false;
        lastProgressNanos = nowNanos;
    }

    /** When the server last took or sent something, in System.nanoTime(). */
    long lastProgressNanos() {
        return lastProgressNanos;
    }

    /** The request is over: nothing is outstanding. The timer is left to fire and find nothing to do. */
    void end() {
        writing = false;
        reading = false;
    }

    /** The server side is gone (dropped, switched to a tunnel, or the client left): stops the timer. */
    void cancel() {
        Attempts.cancel(timer);
        timer = null;
    }

    private void fire() {
        timer = null;
        if (!owner.forwarding()) {
            return; // between requests; the next begin() arms it again
        }
        long idle = System.nanoTime() - lastProgressNanos;
        boolean waiting = reading || writing;
        if (waiting && idle >= timeoutNanos) {
            owner.serverTimedOut();
            return;
        }
        long next = waiting ? timeoutNanos - idle : timeoutNanos;
        timerDue = System.nanoTime() + next;
        timer = executor.schedule(fire, next, TimeUnit.NANOSECONDS);
    }
}
