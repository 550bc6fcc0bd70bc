package io.bulwark.monitor;

import io.bulwark.core.Event;
import io.bulwark.core.Severity;

/**
 * A monitor check started or stopped flapping: while it flaps, its problems and recoveries are not notified one
 * by one; these two events are (Nagios's FLAPPINGSTART and FLAPPINGSTOP).
 *
 * @param percentStateChange the weighted percent state change that crossed the threshold
 * @param threshold the threshold it crossed: the high one when starting, the low one when stopping
 */
public record CheckFlapping(String check, boolean started, double percentStateChange, double threshold,
        long timestampMillis) implements Event {

    /** {@code monitor/cpu_load}. */
    @Override
    public String source() {
        return "monitor/" + check;
    }

    @Override
    public String previous() {
        return started ? "STEADY" : "FLAPPING";
    }

    @Override
    public String current() {
        return started ? "FLAPPING" : "STEADY";
    }

    @Override
    public String aspect() {
        return FLAPPING;
    }

    /** Starting to flap is a warning; settling is a recovery. */
    @Override
    public Severity severity() {
        return started ? Severity.WARNING : Severity.OK;
    }

    @Override
    public String reason() {
        return String.format(java.util.Locale.ROOT, "%.1f%% state change %s %.1f%% threshold", percentStateChange,
                started ? ">=" : "<=", threshold);
    }

    /** {@code (monitor/cpu_load) started flapping: 53.4% state change >= 50.0% threshold}, the log line. */
    @Override
    public String describe() {
        return "(" + source() + ") " + (started ? "started" : "stopped") + " flapping: " + reason();
    }
}
