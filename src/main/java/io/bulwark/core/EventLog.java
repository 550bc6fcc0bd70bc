package io.bulwark.core;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each event's line to the log, a warning for WARNING and CRITICAL ones, under a logger named for the
 * kind of event ({@code ServerStateChanged}, {@code VrrpTransition} ...): one subscriber among the others.
 */
public final class EventLog implements Consumer<Event> {
    private static final ClassValue<Logger> LOGGERS = new ClassValue<>() {
        @Override
        protected Logger computeValue(Class<?> type) {
            return LoggerFactory.getLogger(type);
        }
    };

    @Override
    public void accept(Event event) {
        Logger log = LOGGERS.get(event.getClass());
        if (event.severity().compareTo(Severity.WARNING) >= 0) {
            log.warn(event.describe());
        } else {
            log.info(event.describe());
        }
    }
}
