package io.bulwark.alert;

import io.bulwark.core.Event;
import io.bulwark.core.Severity;

/**
 * A maintenance window began or ended: while it lasts, the alarms tell nothing about the sources it covers.
 * Kept in the journal, so what was not told, and why, can be read afterwards.
 */
public record AlertSilenced(String sources, boolean started, long untilMillis, String why, String by,
        long timestampMillis) implements Event {
    @Override
    public String source() {
        return "alert/silence";
    }

    @Override
    public String previous() {
        return started ? "TOLD" : "SILENCED";
    }

    @Override
    public String current() {
        return started ? "SILENCED" : "TOLD";
    }

    @Override
    public Severity severity() {
        return Severity.INFO;
    }

    @Override
    public String reason() {
        return (started ? "silenced until " + java.time.Instant.ofEpochMilli(untilMillis) : "silence over") + " by "
                + by + ": " + why;
    }

    /** {@code (alert/silence) upstream/app/*: silenced until 2026-12-08T03:00:00Z by config: kernel upgrade}. */
    @Override
    public String describe() {
        return "(alert/silence) " + sources + ": " + reason();
    }
}
