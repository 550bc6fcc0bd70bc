package io.bulwark.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Binds {@code events:}, the journal's size and its file. */
final class EventsBinder {
    private EventsBinder() {}

    static EventsConfig bind(Value events) {
        EventsConfig d = EventsConfig.DEFAULT;
        return events.section("a mapping with ring, file, max_file_size and max_files").map(s -> {
            EventsConfig config = new EventsConfig(
                    s.integer("ring", 100, 1_000_000, d.ring()),
                    s.optional("file").flatMap(EventsBinder::file),
                    s.size("max_file_size", 64 * 1024, 1 << 30, (int) d.maxFileSize()),
                    s.integer("max_files", 0, 100, d.maxFiles()));
            s.finish();
            return config;
        }).orElse(d);
    }

    /** A file whose directory exists: found when the config is checked, not when the first event comes. */
    private static Optional<Path> file(Value v) {
        return v.text("a file path, e.g. /var/lib/bulwark/events.jsonl").flatMap(text -> {
            Path p = Path.of(text).toAbsolutePath();
            if (Files.isDirectory(p)) {
                v.problem(text + " is a directory (expected: a file path, e.g. /var/lib/bulwark/events.jsonl)");
                return Optional.empty();
            }
            if (!Files.isDirectory(p.getParent())) {
                v.problem(text + ": directory " + p.getParent() + " does not exist (expected: a file in an existing "
                        + "directory)");
                return Optional.empty();
            }
            return Optional.of(p);
        });
    }
}
