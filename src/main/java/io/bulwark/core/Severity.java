package io.bulwark.core;

/**
 * How much an event matters to the people running the gateway, in rising order: what alarm rules route on.
 * A recovery is {@link #OK}, a change of no consequence (an operator's drain, a backup that became backup)
 * {@link #INFO}.
 */
public enum Severity {
    INFO,
    OK,
    WARNING,
    CRITICAL;

    /** The lower-case name used in config files, the journal file and the API. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
