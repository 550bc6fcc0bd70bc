package io.bulwark.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The event journal: how many events the gateway keeps in memory, and the optional JSON-lines file that keeps
 * the history across restarts.
 *
 * @param ring events kept in memory, the newest
 * @param file where every event is appended, one JSON object a line; empty keeps them in memory only
 * @param maxFileSize the file is rotated (to {@code file.1}, {@code file.2} ...) once it grows past this
 * @param maxFiles rotated files kept besides the current one
 */
public record EventsConfig(int ring, Optional<Path> file, long maxFileSize, int maxFiles) {
    /** 10,000 events in memory, no file. */
    public static final EventsConfig DEFAULT = new EventsConfig(10_000, Optional.empty(), 10L << 20, 5);
}
