package io.bulwark.alert;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel's queued alerts on disk, a file each ({@code 0000000000000000042-<id>.json}, the alert's JSON),
 * so what was accepted survives a stop or a crash: written before the queue accepts the alert, deleted once
 * delivered, read back in acceptance order at the next start.
 */
final class Spool {
    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    /** The sequence number in front of a name; from 9 on, 19 digits would not fit a long. */
    private static final Pattern NUMBERED = Pattern.compile("^([0-8]\\d{18})-");
    private static final String JSON = ".json";
    private static final String TEMP = ".tmp";
    private static final String BAD = ".bad";

    /** An alert in the queue and its file; the file is null when the alert is held in memory only. */
    record Stored(Alert alert, Path file) {}

    private final Path dir;
    private final AtomicLong next;
    private volatile boolean failing;

    private Spool(Path dir, long next) {
        this.dir = dir;
        this.next = new AtomicLong(next);
    }

    /**
     * The spool of {@code channel} under {@code root} (a subdirectory per channel, so channels can share a
     * root), created if missing; half-written files a crash left behind are removed, as they were never accepted.
     */
    static Spool open(Path root, String channel) throws IOException {
        Path dir = root.resolve(safe(channel));
        Files.createDirectories(dir);
        long max = 0;
        for (Path f : list(dir)) {
            String name = f.getFileName().toString();
            if (name.endsWith(TEMP)) {
                Files.deleteIfExists(f);
                continue;
            }
            Matcher m = NUMBERED.matcher(name);
            if (m.find()) {
                max = Math.max(max, Long.parseLong(m.group(1)));
            }
        }
        // Numbers go on after the highest, the set-aside files' too, so nothing new sorts before what is left.
        return new Spool(dir, max + 1);
    }

    /** Where the files are. */
    Path dir() {
        return dir;
    }

    /**
     * The alerts left in the directory, oldest first. A file that cannot be read back as an alert is renamed
     * to {@code .bad} and logged: retrying it at every start would help nobody.
     */
    List<Stored> load() throws IOException {
        List<Stored> left = new ArrayList<>();
        for (Path f : list(dir)) {
            if (!f.getFileName().toString().endsWith(JSON)) {
                continue;
            }
            try {
                left.add(new Stored(Alert.fromJson(Files.readString(f, StandardCharsets.UTF_8)), f));
            } catch (IOException | IllegalArgumentException e) {
                Path aside = f.resolveSibling(f.getFileName() + BAD);
                log.warn("alert spool {}: {} is no alert ({}); moved aside to {}", dir, f.getFileName(),
                        e.getMessage(), aside.getFileName());
                try {
                    Files.move(f, aside, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException stuck) {
                    log.warn("alert spool {}: cannot move {} aside: {}", dir, f.getFileName(), stuck.getMessage());
                }
            }
        }
        if (!left.isEmpty()) {
            log.info("alert spool {}: {} alerts left from before, delivered first", dir, left.size());
        }
        return left;
    }

    /**
     * Writes the alert as the next file and returns it, once it is complete on disk: written under a temporary
     * name, forced, then renamed, so a crash leaves either the whole file or none.
     */
    Path write(Alert alert) throws IOException {
        String name = String.format(Locale.ROOT, "%019d-%s%s", next.getAndIncrement(), safe(alert.id()), JSON);
        Path file = dir.resolve(name);
        Path temp = dir.resolve(name + TEMP);
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(alert.toJson().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(false);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        forceDirectory();
        return file;
    }

    /**
     * The alert's file, as {@link #write}; null when the disk refuses, said once until it accepts again: the
     * alert is then kept in memory only, as refusing it would lose it for certain and a crash only perhaps.
     */
    Path keep(Alert alert) {
        try {
            Path file = write(alert);
            if (failing) {
                failing = false;
                log.info("alert spool {}: writable again", dir);
            }
            return file;
        } catch (IOException e) {
            if (!failing) {
                failing = true;
                log.warn("alert spool {}: not writable ({}); alerts are kept in memory only until it is", dir,
                        e.getMessage());
            }
            return null;
        }
    }

    /** Removes a delivered alert's file; one that will not go is logged, and redelivered after a restart. */
    void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("alert spool {}: cannot delete delivered {}: {}", dir, file.getFileName(), e.getMessage());
        }
    }

    /** Makes the rename itself durable; where a directory cannot be forced, the file system orders it anyway. */
    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException unsupported) {
            // Not every platform opens directories; the rename is still atomic there.
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    /** A name that stays one path element: channel names and alert ids come from config and peers. */
    static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        return s.isEmpty() || s.equals(".") || s.equals("..") ? "_" + s : s;
    }
}
