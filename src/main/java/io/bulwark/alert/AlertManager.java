package io.bulwark.alert;

import io.bulwark.config.AlertChannelConfig;
import io.bulwark.config.AlertsConfig;
import io.bulwark.core.Clock;
import io.bulwark.core.EventBus;
import io.bulwark.core.EventJournal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarms, running: a thread of its own follows the event journal (so nobody who publishes waits for it),
 * hands each event to the {@link Notifications} that decide who is told what, ticks them for reminders and
 * silences once a second, and offers each alert that is due to the {@link Delivery} of every channel it goes
 * to. Operators' acknowledgements and silences reach that thread as tasks, so one thread owns the decisions.
 */
public final class AlertManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertManager.class);
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int BATCH = 512;

    /** No alarms configured. */
    public static final AlertManager NONE = new AlertManager();

    private final Notifications notifications;
    private final EventJournal journal;
    private final EventBus bus;
    private final Clock clock;
    private final Map<String, Delivery> deliveries;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closing;
    private long read;
    private long lost;

    private AlertManager() {
        this.notifications = null;
        this.journal = null;
        this.bus = null;
        this.clock = null;
        this.deliveries = Map.of();
        this.thread = null;
    }

    private AlertManager(AlertsConfig config, EventJournal journal, EventBus bus, Clock clock,
            Map<String, Delivery> deliveries) {
        this.notifications = Notifications.of(config);
        this.journal = journal;
        this.bus = bus;
        this.clock = clock;
        this.deliveries = deliveries;
        this.read = journal.lastSequence(); // what was read back from the journal file is history, not news
        this.thread = Thread.ofVirtual().name("bulwark-alerts").unstarted(this::run);
    }

    /**
     * Starts the alarms of the config: a delivery queue per channel (reloading what a previous run left in the
     * spool), then the thread that follows {@code journal} from its newest event on.
     */
    public static AlertManager start(AlertsConfig config, EventJournal journal, EventBus bus, Clock clock) {
        if (config.rules().isEmpty()) {
            return NONE;
        }
        Map<String, Delivery> deliveries = new LinkedHashMap<>();
        try {
            for (AlertChannelConfig c : config.channels().values()) {
                deliveries.put(c.name(), Delivery.start(Channels.of(c), config.queue(), config.retryInitial(),
                        config.retryMax(), config.spoolDir().orElse(null), bus, clock, new SplittableRandom()));
            }
        } catch (RuntimeException e) {
            deliveries.values().forEach(Delivery::close);
            throw e;
        }
        AlertManager m = new AlertManager(config, journal, bus, clock, deliveries);
        bus.subscribe(e -> LockSupport.unpark(m.thread));
        m.thread.start();
        log.info("alerts: {} rule(s), channels {}", config.rules().size(), String.join(", ", deliveries.keySet()));
        return m;
    }

    private void run() {
        long nextTick = System.nanoTime();
        while (!closing) {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
            boolean any = follow();
            if (System.nanoTime() - nextTick >= 0) {
                long now = clock.currentTimeMillis();
                notifications.tick(now);
                notifications.silenceChanges(now).forEach(bus::publish);
                nextTick = System.nanoTime() + TICK_NANOS;
                any = true;
            }
            if (any) {
                dispatch(false);
            } else {
                LockSupport.parkNanos(Math.max(1, Math.min(TICK_NANOS / 4, nextTick - System.nanoTime())));
            }
        }
        follow();
        dispatch(true); // what waits for its group goes now, into the spool if the channel cannot take it
    }

    /** Hands what the journal recorded since the last call to the decisions; returns whether there was any. */
    private boolean follow() {
        boolean any = false;
        List<EventJournal.Entry> batch;
        while (!(batch = journal.since(read, BATCH)).isEmpty()) {
            any = true;
            long gap = batch.getFirst().sequence() - read - 1;
            if (gap > 0) {
                if (lost == 0) {
                    log.warn("alerts: {} events fell out of the journal before they were read (further losses are"
                            + " counted, not logged)", gap);
                }
                lost += gap;
            }
            long now = clock.currentTimeMillis();
            for (EventJournal.Entry e : batch) {
                notifications.on(e.event(), now);
                read = e.sequence();
            }
        }
        return any;
    }

    private void dispatch(boolean all) {
        for (Notifications.Outgoing o : notifications.due(clock.currentTimeMillis(), all)) {
            for (String channel : o.channels()) {
                Delivery d = deliveries.get(channel);
                if (d != null) {
                    d.offer(o.alert());
                }
            }
        }
    }

    /** Runs {@code task} on the alarms' thread and returns its answer. */
    private <T> T onAlarmsThread(Supplier<T> task) {
        if (thread == null) {
            throw new IllegalStateException("no alarms are configured (expected: alerts.rules in the config)");
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                answer.complete(task.get());
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        LockSupport.unpark(thread);
        try {
            return answer.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the alarms", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the alarms did not answer: " + e.getMessage(), e);
        }
    }

    /**
     * Acknowledges a source's problem (no reminders until it ends), journaled with who did it; returns false when
     * the source has no problem to acknowledge.
     */
    public boolean acknowledge(String source, String by, String comment) {
        boolean done = onAlarmsThread(() -> notifications.acknowledge(source));
        if (done) {
            bus.publish(new AlertAcknowledged(source, by, comment == null ? "" : comment, clock.currentTimeMillis()));
        }
        return done;
    }

    /** Silences the sources the patterns cover for {@code duration} from now: a maintenance window. */
    public void silence(List<String> sources, Duration duration, String reason, String by) {
        long now = clock.currentTimeMillis();
        onAlarmsThread(() -> {
            notifications.silence(sources, now, now + duration.toMillis(), reason, by);
            notifications.silenceChanges(now).forEach(bus::publish);
            return null;
        });
    }

    /** The sources with a problem now. */
    public List<String> problems() {
        return thread == null ? List.of() : onAlarmsThread(notifications::problems);
    }

    /** Each channel's delivery queue, by channel name. */
    public Map<String, Delivery> deliveries() {
        return deliveries;
    }

    /** Sends what is due, then stops the thread and the deliveries; what they still hold stays in the spool. */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deliveries.values().forEach(Delivery::close);
    }
}
