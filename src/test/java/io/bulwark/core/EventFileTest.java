package io.bulwark.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal on disk: one JSON object a line, rotated by size, read back after a restart. */
class EventFileTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private static List<String> lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void everyRecordedEventBecomesOneJsonLine() throws Exception {
        Path file = dir.resolve("events.jsonl");
        EventJournal journal = new EventJournal(100);
        try (EventFile events = EventFile.open(file, 1 << 20, 2, journal)) {
            journal.record(new TestEvent(1));
            journal.record(new TestEvent(2, Severity.OK));
            events.wake();
            await().atMost(Duration.ofSeconds(5)).until(() -> lines(file).size() == 2);
        }
        JsonNode first = MAPPER.readTree(lines(file).getFirst());
        assertThat(first.get("seq").asLong()).isEqualTo(1);
        assertThat(first.get("time").asText()).isEqualTo("2023-11-14T22:13:20.001Z");
        assertThat(first.get("kind").asText()).isEqualTo("TestEvent");
        assertThat(first.get("source").asText()).isEqualTo("test/1");
        assertThat(first.get("previous").asText()).isEqualTo("UP");
        assertThat(first.get("current").asText()).isEqualTo("DOWN");
        assertThat(first.get("severity").asText()).isEqualTo("warning");
        assertThat(first.get("reason").asText()).isEqualTo("number 1 \"quoted\"\tand tabbed");
        assertThat(first.get("text").asText()).isEqualTo("(test/1) UP -> DOWN: number 1 \"quoted\"\tand tabbed");
        assertThat(MAPPER.readTree(lines(file).get(1)).get("severity").asText()).isEqualTo("ok");
    }

    @Test
    void whatItWroteIsReadBackAfterARestartAndAppendedTo() throws Exception {
        Path file = dir.resolve("events.jsonl");
        EventJournal before = new EventJournal(100);
        try (EventFile events = EventFile.open(file, 1 << 20, 2, before)) {
            for (long n = 1; n <= 5; n++) {
                before.record(new TestEvent(n));
            }
            events.wake();
        } // closing writes what is left
        assertThat(lines(file)).hasSize(5);

        EventJournal after = new EventJournal(3); // smaller than the history: the newest are kept
        try (EventFile events = EventFile.open(file, 1 << 20, 2, after)) {
            assertThat(after.since(0, 10)).extracting(e -> e.event().source())
                    .containsExactly("test/3", "test/4", "test/5");
            Event back = after.recent(1).getFirst().event();
            assertThat(back.describe()).isEqualTo(new TestEvent(5).describe());
            assertThat(back.timestampMillis()).isEqualTo(new TestEvent(5).timestampMillis());
            assertThat(back.severity()).isEqualTo(Severity.WARNING);
            after.record(new TestEvent(6));
            events.wake();
            await().atMost(Duration.ofSeconds(5)).until(() -> lines(file).size() == 6);
        }
        assertThat(lines(file)).as("what was read back is not written again").hasSize(6);
    }

    @Test
    void theFileIsRotatedPastItsSizeAndOnlyTheConfiguredNumberKept() throws Exception {
        Path file = dir.resolve("events.jsonl");
        EventJournal journal = new EventJournal(1000);
        int lineLength = EventFile.line(new EventJournal.Entry(10, new TestEvent(10))).length();
        try (EventFile events = EventFile.open(file, 10L * lineLength, 2, journal)) {
            for (long n = 10; n < 45; n++) {
                journal.record(new TestEvent(n));
                events.wake();
            }
        }
        Path one = dir.resolve("events.jsonl.1");
        Path two = dir.resolve("events.jsonl.2");
        assertThat(dir.resolve("events.jsonl.3")).doesNotExist();
        assertThat(lines(one)).hasSizeBetween(10, 11);
        assertThat(lines(two)).hasSizeBetween(10, 11);
        // Nothing lost between the kept files: the newest 25 or so events, in order, end to end.
        List<Long> seqs = java.util.stream.Stream.of(two, one, file).flatMap(p -> {
            try {
                return lines(p).stream();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).map(l -> {
            try {
                return MAPPER.readTree(l).get("seq").asLong();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(seqs.getLast()).isEqualTo(35);
        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
        }
    }

    @Test
    void linesThatAreNotEventsAreSkippedWhenReadBack() throws Exception {
        Path file = dir.resolve("events.jsonl");
        String good = EventFile.line(new EventJournal.Entry(1, new TestEvent(1)));
        Files.writeString(file, "not json\n" + good + "{\"seq\":2}\n{\"time\":\"yesterday\",\"source\":\"x\"}\n");
        EventJournal journal = new EventJournal(10);
        try (EventFile events = EventFile.open(file, 1 << 20, 2, journal)) {
            assertThat(journal.since(0, 10)).singleElement()
                    .satisfies(e -> assertThat(e.event().source()).isEqualTo("test/1"));
        }
    }
}
