package io.bulwark.core;

/**
 * An event read back from the journal file after a restart: the fields every event has, as they were
 * written, without the type that published it.
 *
 * @param describe the log line it had
 */
public record RecordedEvent(long timestampMillis, String source, String previous, String current, Severity severity,
        String reason, String describe) implements Event {}
