package io.bulwark.alert;

import io.bulwark.core.Event;
import io.bulwark.core.Severity;

/**
 * A channel's delivery queue was full and began dropping alerts: published once per burst, at its first drop;
 * the drops after it are only counted until the queue has room again.
 *
 * @param waiting how many alerts were queued, the queue's capacity
 * @param droppedInAll alerts this queue has dropped since it started, this one included
 */
public record AlertDropped(String channel, String alertId, int waiting, long droppedInAll, long timestampMillis)
        implements Event {
    /** {@code alert/ops-mail}. */
    @Override
    public String source() {
        return "alert/" + channel;
    }

    @Override
    public String previous() {
        return "";
    }

    @Override
    public String current() {
        return "DROPPED";
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    /** A loss that already happened: nothing later ends it, so it is told once and never reminded of. */
    @Override
    public boolean lasting() {
        return false;
    }

    @Override
    public String reason() {
        return "queue full: " + waiting + " alerts waiting, alert " + alertId + " dropped (" + droppedInAll
                + " dropped since start)";
    }

    /** {@code (alert/ops-mail) dropping alerts: queue full: 100 alerts waiting, ...}, the log line. */
    @Override
    public String describe() {
        return "(" + source() + ") dropping alerts: " + reason();
    }
}
