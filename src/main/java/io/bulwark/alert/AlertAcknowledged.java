package io.bulwark.alert;

import io.bulwark.core.Event;
import io.bulwark.core.Severity;

/** An operator acknowledged a source's problem: no reminders about it until it ends. Kept in the journal. */
public record AlertAcknowledged(String problem, String by, String comment, long timestampMillis) implements Event {
    @Override
    public String source() {
        return "alert/ack";
    }

    @Override
    public String previous() {
        return "UNACKNOWLEDGED";
    }

    @Override
    public String current() {
        return "ACKNOWLEDGED";
    }

    @Override
    public Severity severity() {
        return Severity.INFO;
    }

    @Override
    public String reason() {
        return problem + " acknowledged by " + by + (comment.isEmpty() ? "" : ": " + comment);
    }

    /** {@code (alert/ack) upstream/app/10.0.0.5:8080 acknowledged by admin API from 127.0.0.1: on it}. */
    @Override
    public String describe() {
        return "(alert/ack) " + reason();
    }
}
