package io.bulwark.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to subscribers synchronously on the publishing thread. Subscribers must not block:
 * anything slow (SMTP, webhooks) hands the event to its own virtual thread.
 */
public final class EventBus {
    private static final Logger log = LoggerFactory.getLogger(EventBus.class);
    private final List<Consumer<? super Event>> subscribers = new CopyOnWriteArrayList<>();

    /** Adds a subscriber; returns a handle that removes it again. */
    public AutoCloseable subscribe(Consumer<? super Event> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /** Hands the event to every subscriber; one failing subscriber does not stop the others. */
    public void publish(Event event) {
        for (Consumer<? super Event> s : subscribers) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                log.warn("event subscriber failed on {}", event.describe(), e);
            }
        }
    }
}
