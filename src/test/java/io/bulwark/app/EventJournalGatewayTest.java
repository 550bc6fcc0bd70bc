package io.bulwark.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bulwark.config.ConfigLoader;
import io.bulwark.core.EventJournal;
import io.bulwark.core.Severity;
import io.bulwark.testing.RefusedPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole gateway's transitions in its journal and its journal file, and the history after a restart. */
class EventJournalGatewayTest {
    @TempDir
    Path dir;
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private Gateway start(int port) throws Exception {
        Path f = dir.resolve("bulwark.yaml");
        Files.writeString(f, """
                listeners: [{ name: web, bind: "127.0.0.1:0" }]
                routes: [{ upstream: app }]
                upstreams:
                  app:
                    health_check: { type: tcp, interval: 100ms, timeout: 80ms, fall: 1, rise: 1, jitter: 0%% }
                    servers: [{ address: "127.0.0.1:%d" }]
                admin: { bind: "127.0.0.1:0" }
                access_log: { format: "off" }
                events: { file: %s }
                """.formatted(port, dir.resolve("events.jsonl")));
        return Gateway.start(ConfigLoader.load(f));
    }

    private static List<String> lines(EventJournal journal) {
        return journal.since(0, 100).stream().map(e -> e.event().describe()).toList();
    }

    @Test
    void aServerGoingDownIsOneCriticalEventInTheJournalAndItsFileAndIsStillThereAfterARestart() throws Exception {
        try (RefusedPort refused = new RefusedPort()) {
            gateway = start(refused.port());
            await().atMost(Duration.ofSeconds(5)).until(() -> !lines(gateway.journal()).isEmpty());
            EventJournal.Entry down = gateway.journal().since(0, 1).getFirst();
            assertThat(down.sequence()).isEqualTo(1);
            assertThat(down.event().source()).isEqualTo("upstream/app/127.0.0.1:" + refused.port());
            assertThat(down.event().previous()).isEqualTo("UP");
            assertThat(down.event().current()).isEqualTo("DOWN");
            assertThat(down.event().severity()).isEqualTo(Severity.CRITICAL);
            assertThat(down.event().reason()).isEqualTo("L4 refused (1/1)");
            Path file = dir.resolve("events.jsonl");
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file) && !Files.readAllLines(file).isEmpty());
            assertThat(Files.readAllLines(file).getFirst())
                    .contains("\"source\":\"upstream/app/127.0.0.1:" + refused.port() + "\"")
                    .contains("\"severity\":\"critical\"");
            String logged = down.event().describe();
            gateway.close();

            gateway = start(refused.port());
            assertThat(lines(gateway.journal())).as("read back before anything new happened").first().isEqualTo(logged);
        }
    }
}
