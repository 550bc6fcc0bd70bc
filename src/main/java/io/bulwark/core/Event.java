package io.bulwark.core;

/** Something that happened in the gateway that alerting, metrics and the dashboard may care about. */
public interface Event {
    /** When it happened, in epoch milliseconds. */
    long timestampMillis();

    /** A one-line human description, as it appears in the log. */
    String describe();
}
