package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code events:}: the journal's ring and its file, checked when the config is. */
class EventsConfigTest {
    private static final String BASE = """
            listeners: [{ name: web, bind: ":0" }]
            routes: [{ upstream: app }]
            upstreams: { app: { servers: [{ address: "127.0.0.1:9001" }] } }
            """;

    @TempDir
    Path dir;

    @Test
    void withoutTheSectionTenThousandEventsStayInMemory() throws Exception {
        Config c = ConfigLoader.parse("app.yaml", BASE);
        assertThat(c.events()).isEqualTo(EventsConfig.DEFAULT);
        assertThat(c.events().ring()).isEqualTo(10_000);
        assertThat(c.events().file()).isEmpty();
    }

    @Test
    void everyKeyIsRead() throws Exception {
        Path file = dir.resolve("events.jsonl");
        Config c = ConfigLoader.parse("app.yaml", BASE + "events:\n  ring: 500\n  file: " + file
                + "\n  max_file_size: 1m\n  max_files: 3\n");
        assertThat(c.events()).isEqualTo(new EventsConfig(500, Optional.of(file), 1 << 20, 3));
    }

    @Test
    void aFileInADirectoryThatDoesNotExistIsRefusedAtItsLine() {
        Path file = dir.resolve("missing/events.jsonl");
        assertThat(problems(BASE + "events:\n  file: " + file + "\n")).containsExactly("app.yaml:5:9: events.file: "
                + file + ": directory " + file.getParent() + " does not exist (expected: a file in an existing directory)");
        assertThat(problems(BASE + "events:\n  file: " + dir + "\n")).singleElement().asString()
                .contains("is a directory");
    }

    @Test
    void theRingHasBounds() {
        assertThat(problems(BASE + "events:\n  ring: 5\n")).singleElement().asString()
                .startsWith("app.yaml:5:9: events.ring: 5");
    }

    private static List<String> problems(String yaml) {
        return ConfigProblems.of(yaml);
    }
}
