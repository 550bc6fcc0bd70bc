package io.bulwark.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's history on disk, one JSON object a line, so it survives a restart: at start the newest lines
 * are read back into the {@link EventJournal}, and from then on a thread of its own appends what the journal
 * records, rotating the file ({@code events.jsonl.1}, {@code .2} ...) once it grows past its limit. Nobody
 * who publishes waits for the disk: the writer follows the journal, and events that fall out of the ring
 * before it wrote them (a disk stalled for that long) are counted and said once.
 */
public final class EventFile implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventFile.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int BATCH = 512;

    private final Path path;
    private final long maxBytes;
    private final int maxFiles;
    private final EventJournal journal;
    private final Thread writer;
    private volatile boolean closing;
    private long written;
    private long size;
    private volatile long lost;
    private Writer out;

    private EventFile(Path path, long maxBytes, int maxFiles, EventJournal journal) throws IOException {
        this.path = path;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.journal = journal;
        this.written = journal.lastSequence();
        openForAppend();
        this.writer = Thread.ofVirtual().name("bulwark-events-file").unstarted(this::run);
    }

    /**
     * Reads the newest events of {@code path} back into {@code journal} (as many as it holds), then appends
     * every event recorded after them; wake it with {@link #wake()} when one is recorded, or it looks every
     * 200 ms.
     */
    public static EventFile open(Path path, long maxBytes, int maxFiles, EventJournal journal) throws IOException {
        for (Event e : read(path, journal.capacity())) {
            journal.record(e);
        }
        EventFile file = new EventFile(path, maxBytes, maxFiles, journal);
        file.writer.start();
        return file;
    }

    /** Tells the writer that the journal has something new; cheap enough for any thread, the event loops too. */
    public void wake() {
        LockSupport.unpark(writer);
    }

    /** Events that fell out of the ring before they were written. */
    public long lost() {
        return lost;
    }

    private void run() {
        while (!closing) {
            if (!drain()) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
        }
        drain();
        try {
            out.close();
        } catch (IOException e) {
            log.warn("events file {}: {}", path, e.getMessage());
        }
    }

    /** Writes what the journal has beyond what was written; returns whether there was anything. */
    private boolean drain() {
        boolean any = false;
        List<EventJournal.Entry> batch;
        while (!(batch = journal.since(written, BATCH)).isEmpty()) {
            any = true;
            long gap = batch.getFirst().sequence() - written - 1;
            if (gap > 0) {
                if (lost == 0) {
                    log.warn("events file {}: {} events fell out of memory before they could be written "
                            + "(further losses are counted, not logged)", path, gap);
                }
                lost += gap;
            }
            try {
                for (EventJournal.Entry entry : batch) {
                    String line = line(entry);
                    if (size > 0 && size + line.length() > maxBytes) {
                        rotate();
                    }
                    out.write(line);
                    size += line.length();
                    written = entry.sequence();
                }
                out.flush();
            } catch (IOException e) {
                // The disk refused: what was not written falls behind and is counted when the ring drops it.
                written = batch.getLast().sequence();
                log.warn("events file {}: {}", path, e.getMessage());
            }
        }
        return any;
    }

    /** One event as a JSON line. */
    static String line(EventJournal.Entry entry) {
        Event e = entry.event();
        StringWriter text = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            g.writeNumberField("seq", entry.sequence());
            g.writeStringField("time", Instant.ofEpochMilli(e.timestampMillis()).toString());
            g.writeStringField("kind", e.getClass().getSimpleName());
            g.writeStringField("source", e.source());
            g.writeStringField("previous", e.previous());
            g.writeStringField("current", e.current());
            g.writeStringField("severity", e.severity().label());
            g.writeStringField("reason", e.reason());
            g.writeStringField("text", e.describe());
            g.writeEndObject();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return text.append('\n').toString();
    }

    /**
     * Moves the file to {@code .1}, the older ones one up, the oldest away, and starts a new one, before a line
     * that would take it past its limit. (The limit counts characters: close to bytes for these lines.)
     */
    private void rotate() throws IOException {
        out.close();
        if (maxFiles == 0) {
            Files.delete(path);
        } else {
            Files.deleteIfExists(numbered(maxFiles));
            for (int n = maxFiles - 1; n >= 1; n--) {
                if (Files.exists(numbered(n))) {
                    Files.move(numbered(n), numbered(n + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(path, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        }
        openForAppend();
    }

    private Path numbered(int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    private void openForAppend() throws IOException {
        out = new BufferedWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE));
        size = Files.size(path);
    }

    /** The newest {@code max} events of the file, oldest first; lines that do not parse are skipped. */
    static List<Event> read(Path path, int max) throws IOException {
        ArrayDeque<Event> newest = new ArrayDeque<>();
        if (!Files.exists(path)) {
            return List.of();
        }
        int bad = 0;
        try (var lines = Files.lines(path, StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) lines::iterator) {
                Event e = parse(line);
                if (e == null) {
                    bad++;
                    continue;
                }
                newest.addLast(e);
                if (newest.size() > max) {
                    newest.removeFirst();
                }
            }
        }
        if (bad > 0) {
            log.warn("events file {}: {} lines could not be read back and were skipped", path, bad);
        }
        return List.copyOf(newest);
    }

    /** A line written by {@link #line}, or {@code null} when it is not one. */
    static Event parse(String line) {
        long time = -1;
        String source = null;
        String previous = "";
        String current = "";
        Severity severity = null;
        String reason = "";
        String text = "";
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "time" -> time = Instant.parse(p.getText()).toEpochMilli();
                    case "source" -> source = p.getText();
                    case "previous" -> previous = p.getText();
                    case "current" -> current = p.getText();
                    case "severity" -> severity = Severity.valueOf(p.getText().toUpperCase(java.util.Locale.ROOT));
                    case "reason" -> reason = p.getText();
                    case "text" -> text = p.getText();
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (time < 0 || source == null || severity == null) {
            return null;
        }
        return new RecordedEvent(time, source, previous, current, severity, reason, text);
    }

    /** Writes what is left and closes the file. */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
