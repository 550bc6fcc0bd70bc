package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.EventLoops;
import io.bulwark.testing.LeakDetection;
import io.bulwark.testing.RawClient;
import io.bulwark.testing.TestBackend;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(LeakDetection.class)
class ClientTimeoutTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(2);
    TestBackend backend;
    Gateway gateway;


    @AfterEach
    void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    private void start(Duration header, Duration idle) throws Exception {
        backend = TestBackend.ok();
        gateway = Gateway.start(loops.group(), Gateway.Options.defaults().clientTimeouts(header, idle),
                List.of(backend.address()));
    }

    @Test
    void slowRequestHeadGets408ThenClose() throws Exception {
        start(Duration.ofMillis(300), Duration.ofSeconds(10));
        try (RawClient c = new RawClient(gateway.address())) {
            long t0 = System.nanoTime();
            c.send("GET / HTTP/1.1\r\nHost: a\r\n"); // no blank line
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.header("x-bulwark-error")).isEqualTo("request_timeout");
            assertThat(c.closedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(2));
        }
        assertThat(backend.requests()).isEmpty();
    }

    @Test
    void headerDeadlineRestartsAfterEachResponse() throws Exception {
        start(Duration.ofMillis(300), Duration.ofSeconds(10));
        try (RawClient c = new RawClient(gateway.address())) {
            assertThat(c.exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
            long t0 = System.nanoTime();
            assertThat(c.closedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(2));
        }
    }

    @Test
    void aShortIdleTimeoutDoesNotCutAHeadThatIsStillWithinHeaderTimeout() throws Exception {
        start(Duration.ofMillis(800), Duration.ofMillis(200));
        try (RawClient c = new RawClient(gateway.address())) {
            long t0 = System.nanoTime();
            c.send("GET / HTTP/1.1\r\nHost: a\r\n");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(750), Duration.ofSeconds(2));
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedSilently() throws Exception {
        start(Duration.ofSeconds(10), Duration.ofMillis(300));
        try (RawClient c = new RawClient(gateway.address())) {
            assertThat(c.exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
            long t0 = System.nanoTime();
            assertThat(c.closedByPeer()).isTrue(); // EOF, no 408 bytes first
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(2));
        }
    }

    @Test
    void eachRequestRestartsTheIdleClockEvenWhenATimerFromAnEarlierWaitFiresFirst() throws Exception {
        start(Duration.ofSeconds(10), Duration.ofMillis(400));
        try (RawClient c = new RawClient(gateway.address())) {
            // Requests every 150 ms for ~1.2 s: the first wait's timer fires at 400 ms mid-stream, and so
            // on; each must see the connection busy or only briefly idle and leave it open.
            for (int i = 0; i < 8; i++) {
                assertThat(c.exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n").status()).as("request %d", i).isEqualTo(200);
                Thread.sleep(150); // the client's think time is the thing under test, not a wait for a result
            }
            long t0 = System.nanoTime();
            assertThat(c.closedByPeer()).isTrue();
            // Closed a full idle timeout after the last answer, not earlier from a stale timer.
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(2));
        }
    }
}
