package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bulwark.testing.EventLoops;
import io.bulwark.testing.LeakDetection;
import io.bulwark.testing.RawClient;
import io.bulwark.testing.SegmentCapture;
import io.bulwark.testing.SegmentCapture.Segment;
import io.bulwark.testing.TestBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A response that ends its connection leaves in the same segment as the FIN (one packet less each way per
 * connection), while a response on a kept-alive connection is never held back waiting for one.
 */
@ExtendWith(LeakDetection.class)
class FinWithResponseTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(2);
    private static final int LARGE = 1 << 20;
    private TestBackend backend;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        backend = TestBackend.start(ex -> {
            if (ex.request().uri().equals("/large")) {
                ex.stream(LARGE, 7);
            } else {
                ex.respond(200, "ok");
            }
        });
        gateway = Gateway.start(loops.group(), Gateway.Options.defaults(), List.of(backend.address()));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    @Test
    void theAnswerToConnectionCloseCarriesTheFin() throws Exception {
        List<Segment> sent = sendAndCapture("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", "HTTP/1.1 200 ");
        assertThat(dataSegments(sent)).as("data segments: %s", sent).hasSize(1)
                .allSatisfy(s -> assertThat(s.flags()).as(s.line()).contains("F"));
    }

    @Test
    void anErrorThatEndsTheConnectionCarriesTheFin() throws Exception {
        // A head the gateway refuses: 400, and the connection ends by rule.
        List<Segment> sent = sendAndCapture("GET / HTTP/1.1\r\nHost: a\r\nno colon here\r\n\r\n", "HTTP/1.1 400 ");
        assertThat(dataSegments(sent)).as("data segments: %s", sent).hasSize(1)
                .allSatisfy(s -> assertThat(s.flags()).as(s.line()).contains("F"));
    }

    @Test
    void aLargeAnswerThatEndsTheConnectionArrivesWhole() throws Exception {
        // Only the last partial segment waits for the close; the megabyte before it must all come through.
        byte[] got;
        try (RawClient c = new RawClient(gateway.address())) {
            c.send("GET /large HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            got = c.in().readAllBytes();
        }
        String text = new String(got, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("HTTP/1.1 200 ");
        assertThat(got.length - (text.indexOf("\r\n\r\n") + 4)).isEqualTo(LARGE);
    }

    @Test
    void keptAliveAnswersAreNotHeldBack() throws Exception {
        // A corked socket holds a short answer for 200 ms: 20 of them would take 4 s.
        long began = System.nanoTime();
        try (RawClient c = new RawClient(gateway.address())) {
            for (int i = 0; i < 20; i++) {
                assertThat(c.exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n").text()).isEqualTo("ok");
            }
        }
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofMillis(2000));
    }

    /** Sends a request on a new connection, reads the answer to the end, and returns what the gateway sent. */
    private List<Segment> sendAndCapture(String request, String expectedStart) throws Exception {
        Optional<String> why = SegmentCapture.unavailable();
        assumeTrue(why.isEmpty(), () -> "segment test skipped: " + why.orElse(""));
        try (SegmentCapture capture = SegmentCapture.from(gateway.address().getPort())) {
            byte[] got;
            try (RawClient c = new RawClient(gateway.address())) {
                c.send(request);
                got = c.in().readAllBytes();
            }
            assertThat(new String(got, StandardCharsets.ISO_8859_1)).startsWith(expectedStart);
            return capture.awaitSegment(Segment::fin, Duration.ofSeconds(5));
        }
    }

    private static List<Segment> dataSegments(List<Segment> sent) {
        return sent.stream().filter(s -> s.length() > 0).toList();
    }
}
