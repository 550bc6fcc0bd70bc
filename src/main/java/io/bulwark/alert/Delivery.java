package io.bulwark.alert;

import io.bulwark.core.Clock;
import io.bulwark.core.EventBus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery queue of one channel: alerts are offered from any thread without waiting for the channel, and
 * a virtual thread of its own delivers them in order, one at a time, retrying the oldest with back-off until
 * it goes through. Bounded (what is offered beyond the bound is dropped, counted and told once a burst) and,
 * given a spool directory, kept on disk from acceptance to delivery, so a restart delivers what was left.
 */
public final class Delivery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Delivery.class);
    private static final long RETELL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final Channel channel;
    private final String name;
    private final int capacity;
    private final long retryInitialNanos;
    private final long retryMaxNanos;
    private final Spool spool;
    private final EventBus events;
    private final Clock clock;
    private final RandomGenerator random;
    private final Thread thread;

    /** Held across an offer's spool write, so the files' order is the queue's order. */
    private final Object accepting = new Object();
    /** Its own lock, held briefly, never across disk or channel; the head is being tried, removed when done. */
    private final ArrayDeque<Spool.Stored> queue = new ArrayDeque<>();
    private boolean dropping; // under queue's lock
    private long droppedInBurst; // under queue's lock

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closing;

    // The delivery thread's own: failed attempts at the head alert, which are also the outage's.
    private int failing;
    private long outageStartNanos;
    private long lastToldNanos;

    private Delivery(Channel channel, int capacity, Duration retryInitial, Duration retryMax, Spool spool,
            EventBus events, Clock clock, RandomGenerator random) {
        this.channel = channel;
        this.name = channel.name();
        this.capacity = capacity;
        this.retryInitialNanos = retryInitial.toNanos();
        this.retryMaxNanos = retryMax.toNanos();
        this.spool = spool;
        this.events = events;
        this.clock = clock;
        this.random = random;
        this.thread = Thread.ofVirtual().name("bulwark-alert-" + name).unstarted(this::run);
    }

    /**
     * Starts delivering through {@code channel}. With a {@code spoolRoot}, the alerts a previous run left in
     * its subdirectory for this channel are queued first, in the order they were accepted; null keeps the
     * queue in memory only.
     *
     * @param capacity alerts waiting at most, the one being tried included
     * @param retryInitial the first back-off's ceiling, doubled per failure up to {@code retryMax}
     * @param random draws each back-off between zero and its ceiling (full jitter)
     * @throws UncheckedIOException when the spool directory cannot be created or listed
     */
    public static Delivery start(Channel channel, int capacity, Duration retryInitial, Duration retryMax,
            Path spoolRoot, EventBus events, Clock clock, RandomGenerator random) {
        if (capacity < 1 || !retryInitial.isPositive() || retryMax.compareTo(retryInitial) < 0) {
            throw new IllegalArgumentException("alert queue " + channel.name() + ": capacity " + capacity + ", retry "
                    + retryInitial + " to " + retryMax + " (expected: capacity >= 1, 0 < initial <= maximum)");
        }
        Spool spool = null;
        List<Spool.Stored> left = List.of();
        if (spoolRoot != null) {
            try {
                spool = Spool.open(spoolRoot, channel.name());
                left = spool.load();
            } catch (IOException e) {
                throw new UncheckedIOException("alert spool of " + channel.name() + ": " + e.getMessage(), e);
            }
        }
        Delivery d = new Delivery(channel, capacity, retryInitial, retryMax, spool, events, clock, random);
        // All of them, even beyond the capacity: they were accepted once; new offers wait for room instead.
        d.queue.addAll(left);
        d.thread.start();
        return d;
    }

    /**
     * Queues the alert, spooled first when there is a spool, and returns whether it was accepted; false when
     * the queue is full (counted in {@link #dropped()}, an {@link AlertDropped} at the first drop of a burst)
     * or closed. Never waits for the channel.
     */
    public boolean offer(Alert alert) {
        if (closing) {
            log.warn("(alert/{}) closed: alert {} not queued", name, alert.id());
            return false;
        }
        AlertDropped burst = null;
        synchronized (accepting) {
            boolean full;
            synchronized (queue) {
                // Only the delivery thread removes meanwhile, so room seen here is still there below.
                full = queue.size() >= capacity;
                if (full) {
                    long all = dropped.incrementAndGet();
                    droppedInBurst++;
                    if (!dropping) {
                        dropping = true;
                        burst = new AlertDropped(name, alert.id(), queue.size(), all, clock.currentTimeMillis());
                    }
                }
            }
            if (!full) {
                Spool.Stored stored = new Spool.Stored(alert, spool == null ? null : spool.keep(alert));
                synchronized (queue) {
                    queue.addLast(stored);
                    queue.notifyAll();
                }
                return true;
            }
        }
        if (burst != null) {
            events.publish(burst); // its log line is the burst's one WARN (core.EventLog)
        }
        return false;
    }

    private void run() {
        try {
            while (!closing) {
                Spool.Stored head;
                synchronized (queue) {
                    while (queue.isEmpty()) {
                        queue.wait();
                    }
                    head = queue.peekFirst();
                }
                attempt(head);
            }
        } catch (InterruptedException e) {
            // close(): what is queued stays in the spool for the next start.
        }
    }

    /** One try at the head alert; after a failure, the back-off before the next. */
    private void attempt(Spool.Stored head) throws InterruptedException {
        String why = null;
        try {
            channel.deliver(head.alert());
        } catch (DeliveryException e) {
            why = String.valueOf(e.getMessage());
        } catch (InterruptedException e) {
            if (closing) {
                throw e;
            }
            why = "interrupted";
        } catch (RuntimeException e) {
            why = e.toString(); // a broken channel must not end the queue: its alert waits like any other
        }
        if (why == null) {
            succeeded(head); // outside the try: what follows a delivery must never look like its failure
            return;
        }
        failed(head, why);
        if (!closing) { // a channel that swallowed close()'s interrupt must not keep it waiting
            Thread.sleep(Duration.ofNanos(backoffNanos(failing, retryInitialNanos, retryMaxNanos, random)));
        }
    }

    private void succeeded(Spool.Stored head) {
        long burst = 0;
        synchronized (queue) {
            queue.removeFirst();
            if (dropping && queue.size() < capacity) {
                dropping = false;
                burst = droppedInBurst;
                droppedInBurst = 0;
            }
        }
        if (burst > 0) {
            log.info("(alert/{}) queue has room again after dropping {} alerts", name, burst);
        }
        if (head.file() != null) {
            spool.delete(head.file());
        }
        delivered.incrementAndGet();
        if (failing > 0) {
            log.info("(alert/{}) delivering again after {} failed attempts over {} s", name, failing,
                    TimeUnit.NANOSECONDS.toSeconds(clock.nanoTime() - outageStartNanos));
        }
        events.publish(AlertDelivered.of(name, head.alert(), failing + 1, clock.currentTimeMillis()));
        failing = 0;
    }

    /** Counts the failure; tells it (event and, through it, the log) at an outage's start, then once a minute. */
    private void failed(Spool.Stored head, String why) {
        failures.incrementAndGet();
        failing++;
        long now = clock.nanoTime();
        if (failing == 1) {
            outageStartNanos = now;
        } else if (now - lastToldNanos < RETELL_NANOS) {
            return;
        }
        lastToldNanos = now;
        events.publish(new AlertFailed(name, head.alert().id(), why, failing, clock.currentTimeMillis()));
    }

    /**
     * The wait after the {@code failures}th failure in a row: uniform between zero and {@code initial}
     * doubled per failure up to {@code max} (full jitter), so gateways that lost the same receiver do not
     * retry in step.
     */
    static long backoffNanos(int failures, long initial, long max, RandomGenerator random) {
        int shift = Math.min(Math.max(failures - 1, 0), 62);
        long ceiling = initial > (max >> shift) ? max : initial << shift;
        return random.nextLong(ceiling + 1);
    }

    /** Alerts waiting, the one being tried included. */
    public int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    /** Alerts delivered since the start. */
    public long delivered() {
        return delivered.get();
    }

    /** Failed attempts since the start. */
    public long failures() {
        return failures.get();
    }

    /** Alerts refused because the queue was full, since the start. */
    public long dropped() {
        return dropped.get();
    }

    /**
     * Stops the delivery thread, interrupting a delivery in progress, and waits a few seconds for it; what is
     * still queued stays in the spool and is delivered after the next start.
     */
    @Override
    public void close() {
        closing = true;
        thread.interrupt();
        try {
            if (!thread.join(CLOSE_WAIT)) {
                log.warn("(alert/{}) channel did not stop within {} s", name, CLOSE_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
