package io.bulwark.alert;

import io.bulwark.core.Event;
import io.bulwark.core.Severity;

/**
 * A channel failed to deliver an alert, which stays queued and is retried: published at the first failure of
 * an outage, then at most once a minute while it lasts.
 *
 * @param message why, as the channel said it
 * @param attempt the failed attempt's number for this alert; the queue tries no other meanwhile, so it also
 *     counts the outage's failures
 */
public record AlertFailed(String channel, String alertId, String message, int attempt, long timestampMillis)
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
        return "FAILED";
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    /**
     * A notice: the delivery that ends the outage is information ({@link AlertDelivered}), not a recovery an
     * alarm could wait for.
     */
    @Override
    public boolean lasting() {
        return false;
    }

    /** {@code SMTP 554 relay refused (attempt 3)}. */
    @Override
    public String reason() {
        return message + " (attempt " + attempt + ")";
    }

    /** {@code (alert/ops-mail) delivery failed: SMTP 554 relay refused (attempt 1)}, the log line. */
    @Override
    public String describe() {
        return "(" + source() + ") delivery " + (attempt == 1 ? "failed" : "still failing") + " for alert "
                + alertId + ": " + reason();
    }
}
