package io.bulwark.alert;

import io.bulwark.core.Event;
import io.bulwark.core.Severity;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One source's problem as the alarms see it: the aspects of the source that are unwell (a server can be DOWN
 * and EJECTED at once: one incident, told once), since when, whether it flaps or was acknowledged, and what each
 * rule has told about it. Owned by the alarms' thread; pure, so it runs in virtual time.
 */
final class Incident {
    /** What an event did to the incident, as far as telling people goes. */
    enum Change {
        NONE,
        /** The source became unwell. */
        STARTED,
        /** It is still unwell, but worse or better than before. */
        CHANGED,
        /** It is well again. */
        ENDED,
        /** A notice complete in itself: told once, no problem lasts (see {@link Event#lasting()}). */
        NOTICE,
        FLAPPING_STARTED,
        FLAPPING_STOPPED
    }

    /** What one rule has told about the current problem. */
    static final class Told {
        int count;
        long lastMillis;
    }

    final String source;
    // Aspect -> the event that made it unwell; lasting WARNING and CRITICAL events only.
    private final Map<String, Event> unwell = new LinkedHashMap<>();
    private final Map<Integer, Told> told = new HashMap<>();
    private Event last;
    private long sinceMillis;
    private boolean flapping;
    private boolean acknowledged;

    Incident(String source) {
        this.source = source;
    }

    /** Takes the source's next event. */
    Change on(Event e) {
        if (Event.FLAPPING.equals(e.aspect())) {
            boolean now = "FLAPPING".equals(e.current());
            if (now == flapping) {
                return Change.NONE;
            }
            flapping = now;
            return now ? Change.FLAPPING_STARTED : Change.FLAPPING_STOPPED;
        }
        last = e; // the state the source is in; a flapping event says how it moves, not where it is
        if (!e.lasting()) {
            return e.severity().compareTo(Severity.WARNING) >= 0 ? Change.NOTICE : Change.NONE;
        }
        Severity before = severity();
        switch (e.severity()) {
            case WARNING, CRITICAL -> unwell.put(e.aspect(), e);
            case OK -> unwell.remove(e.aspect());
            case INFO -> { } // a change of no consequence leaves the problem as it is (a server HELD is still out)
        }
        Severity after = severity();
        if (before == null && after != null) {
            sinceMillis = e.timestampMillis();
            acknowledged = false;
            return Change.STARTED;
        }
        if (before != null && after == null) {
            acknowledged = false;
            sinceMillis = e.timestampMillis();
            return Change.ENDED;
        }
        return before != after ? Change.CHANGED : Change.NONE;
    }

    /** The worst severity among the unwell aspects, or {@code null} when the source is well. */
    Severity severity() {
        Severity worst = null;
        for (Event e : unwell.values()) {
            if (worst == null || e.severity().compareTo(worst) > 0) {
                worst = e.severity();
            }
        }
        return worst;
    }

    boolean problem() {
        return !unwell.isEmpty();
    }

    boolean flapping() {
        return flapping;
    }

    boolean acknowledged() {
        return acknowledged;
    }

    /** Silences reminders until the problem ends; returns false when there is no problem to acknowledge. */
    boolean acknowledge() {
        if (!problem() || acknowledged) {
            return false;
        }
        acknowledged = true;
        return true;
    }

    long sinceMillis() {
        return sinceMillis;
    }

    /** What rule {@code rule} has told about the current problem. */
    Told told(int rule) {
        return told.computeIfAbsent(rule, r -> new Told());
    }

    /** Whether rule {@code rule} has told anything about the current problem. */
    boolean toldBy(int rule) {
        Told t = told.get(rule);
        return t != null && t.count > 0;
    }

    /** Forgets what was told, once the problem ended and that was told. */
    void forgetTold() {
        told.clear();
    }

    /** The source as an alert shows it: its worst unwell aspect since the problem began, else its last event. */
    Alert.Item item() {
        Event worst = null;
        for (Event e : unwell.values()) {
            if (worst == null || e.severity().compareTo(worst.severity()) > 0) {
                worst = e;
            }
        }
        return worst != null ? item(worst, sinceMillis) : item(last, last.timestampMillis());
    }

    /** The source as one event of it shows it, for a notice or a flapping alert. */
    static Alert.Item item(Event e, long sinceMillis) {
        return new Alert.Item(e.source(), e.previous(), e.current(), e.severity(), sinceMillis, e.reason());
    }
}
