package io.bulwark.monitor;

import io.bulwark.core.Threshold;

/**
 * A check's warning and critical ranges, applied as a Nagios plugin applies {@code -w} and {@code -c}: CRITICAL
 * when the critical range alerts, else WARNING when the warning range does, else OK. Either may be absent.
 */
public record Levels(Threshold warning, Threshold critical) {
    /** No ranges: every value is OK. */
    public static final Levels NONE = new Levels(null, null);

    /** The status {@code value} gets. */
    public Status judge(double value) {
        if (critical != null && critical.alerts(value)) {
            return Status.CRITICAL;
        }
        if (warning != null && warning.alerts(value)) {
            return Status.WARNING;
        }
        return Status.OK;
    }

    /** The warning range as performance data writes it, or empty. */
    public String warningText() {
        return warning == null ? "" : warning.toString();
    }

    /** The critical range as performance data writes it, or empty. */
    public String criticalText() {
        return critical == null ? "" : critical.toString();
    }
}
