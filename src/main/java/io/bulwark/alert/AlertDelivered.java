package io.bulwark.alert;

import io.bulwark.core.Event;
import io.bulwark.core.Severity;
import java.util.Locale;

/**
 * A channel delivered an alert: one per alert, so the journal shows what reached whom and after how many tries.
 *
 * @param what the alert in brief, e.g. {@code PROBLEM CRITICAL upstream/app/10.0.0.5:8080 DOWN}
 * @param attempt the attempt that succeeded, 1 unless the channel failed before
 */
public record AlertDelivered(String channel, String alertId, String what, int attempt, long timestampMillis)
        implements Event {

    /** The event for {@code alert}, delivered through {@code channel} at {@code attempt}. */
    public static AlertDelivered of(String channel, Alert alert, int attempt, long timestampMillis) {
        Alert.Item first = alert.items().getFirst();
        String what = alert.kind() + " " + alert.severity().label().toUpperCase(Locale.ROOT) + " " + first.source()
                + " " + first.current() + (alert.items().size() > 1 ? " (+" + (alert.items().size() - 1)
                + " more)" : "");
        return new AlertDelivered(channel, alert.id(), what, attempt, timestampMillis);
    }

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
        return "DELIVERED";
    }

    @Override
    public Severity severity() {
        return Severity.INFO;
    }

    /** {@code PROBLEM CRITICAL upstream/app/10.0.0.5:8080 DOWN delivered (attempt 3)}. */
    @Override
    public String reason() {
        return what + " delivered (attempt " + attempt + ")";
    }

    /** {@code (alert/ops-mail) alert a-17: PROBLEM CRITICAL ... delivered (attempt 1)}, the log line. */
    @Override
    public String describe() {
        return "(" + source() + ") alert " + alertId + ": " + reason();
    }
}
