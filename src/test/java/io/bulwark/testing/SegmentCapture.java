package io.bulwark.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TCP segments a loopback port sends, as tcpdump sees them: for tests of what goes on the wire (which
 * segment carries the FIN), which no socket API shows. Needs root and tcpdump (.ci/run installs it).
 */
public final class SegmentCapture implements AutoCloseable {
    /** One segment: its TCP flags as tcpdump prints them (e.g. {@code FP.}) and its payload length. */
    public record Segment(String flags, int length, String line) {
        public boolean fin() {
            return flags.contains("F");
        }
    }

    private static final Pattern SEGMENT = Pattern.compile("Flags \\[([^\\]]*)\\].* length (\\d+)");

    private final Process tcpdump;
    private final List<Segment> segments = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private SegmentCapture(Process tcpdump) {
        this.tcpdump = tcpdump;
        this.reader = Thread.ofVirtual().start(this::read);
    }

    /** Why a capture cannot run here, or empty when it can. */
    public static Optional<String> unavailable() {
        Optional<String> notRoot = HostTools.notRoot();
        if (notRoot.isPresent()) {
            return Optional.of(notRoot.get() + ": capturing packets needs root");
        }
        if (HostTools.find("tcpdump").isEmpty()) {
            return Optional.of("tcpdump not installed (.ci/run installs it)");
        }
        return Optional.empty();
    }

    /** Starts capturing what loopback port {@code port} sends; returns once tcpdump listens. */
    public static SegmentCapture from(int port) throws IOException {
        Process p = new ProcessBuilder(HostTools.find("tcpdump").orElseThrow(), "-i", "lo", "-nn", "-l", "--immediate-mode",
                "tcp src port " + port).start();
        // tcpdump says it listens on stderr once the capture is open; what is sent before that is missed.
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String line = err.readLine();
        for (int i = 0; i < 5 && line != null && !line.contains("listening on"); i++) {
            line = err.readLine(); // "verbose output suppressed ..." comes first
        }
        if (line == null || !line.contains("listening on")) {
            p.destroyForcibly();
            throw new IOException("tcpdump did not start: " + line);
        }
        Thread.ofVirtual().start(() -> drain(err));
        return new SegmentCapture(p);
    }

    /** Waits up to {@code timeout} for a segment that matches (failing, with what came, if none does); returns all. */
    public List<Segment> awaitSegment(Predicate<Segment> match, Duration timeout) {
        await().atMost(timeout).untilAsserted(() -> assertThat(segments).anyMatch(match));
        return List.copyOf(segments);
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(tcpdump.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                Matcher m = SEGMENT.matcher(line);
                if (m.find()) {
                    segments.add(new Segment(m.group(1), Integer.parseInt(m.group(2)), line));
                }
            }
        } catch (IOException e) {
            // tcpdump ended
        }
    }

    private static void drain(BufferedReader err) {
        try (err) {
            while (err.readLine() != null) {
                // tcpdump's closing counts
            }
        } catch (IOException e) {
            // tcpdump ended
        }
    }

    @Override
    public void close() throws InterruptedException {
        tcpdump.destroy();
        if (!tcpdump.waitFor(5, TimeUnit.SECONDS)) {
            tcpdump.destroyForcibly();
        }
        reader.join(5_000);
    }
}
