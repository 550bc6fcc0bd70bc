package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.Bytes;
import io.bulwark.testing.EventLoops;
import io.bulwark.testing.HttpHead;
import io.bulwark.testing.LeakDetection;
import io.bulwark.testing.RawClient;
import io.bulwark.testing.TestBackend;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The read timeout counts only time spent waiting on the server, and each request gets all of it. */
@ExtendWith(LeakDetection.class)
class ServerWaitTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(1);
    private static final Duration READ_TIMEOUT = Duration.ofMillis(300);
    TestBackend backend;
    Gateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private void start(TestBackend.Handler handler) throws Exception {
        backend = TestBackend.start(handler);
        gateway = Gateway.start(loops.group(), Gateway.Options.defaults().readTimeout(READ_TIMEOUT),
                List.of(backend.address()));
    }

    @Test
    void aClientThatStopsReadingLongerThanTheReadTimeoutStillGetsTheWholeResponse() throws Exception {
        long size = 32L << 20; // well past what the socket buffers on both sides hold
        start(ex -> ex.stream(size, 7));
        try (RawClient c = new RawClient(gateway.address())) {
            c.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpHead head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            InputStream body = head.body(c.in());
            byte[] first = body.readNBytes(1 << 20);
            // The gateway stops reading the server while the client does not read: that wait is the client's.
            Thread.sleep(READ_TIMEOUT.toMillis() * 3);
            Bytes.Digest got = Bytes.digest(new SequenceInputStream(new ByteArrayInputStream(first), body));
            assertThat(got).isEqualTo(Bytes.expected(size, 7));
        }
    }

    @Test
    void aRequestOnAKeptConnectionGetsAWholeReadTimeoutWhateverTheTimerLeftFromTheLastOne() throws Exception {
        start(ex -> {
            if (ex.request().uri().equals("/slow")) {
                sleep(READ_TIMEOUT.toMillis() * 2 / 3);
            }
            ex.respond(200, "ok " + ex.request().uri());
        });
        try (RawClient c = new RawClient(gateway.address())) {
            assertThat(c.exchange("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n").text()).isEqualTo("ok /fast");
            // The timer armed for /fast is due a third of the way into /slow; /slow is within its own timeout.
            Thread.sleep(READ_TIMEOUT.toMillis() * 2 / 3);
            RawClient.Response slow = c.exchange("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(slow.status()).isEqualTo(200);
            assertThat(slow.text()).isEqualTo("ok /slow");
        }
    }

    @Test
    void aServerThatHangsOnTheSecondRequestOfAKeptConnectionTimesOutOnTime() throws Exception {
        start(ex -> {
            if (ex.request().uri().equals("/hang")) {
                ex.hang();
            } else {
                ex.respond(200, "ok");
            }
        });
        try (RawClient c = new RawClient(gateway.address())) {
            assertThat(c.exchange("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
            Thread.sleep(READ_TIMEOUT.toMillis() / 2);
            long t0 = System.nanoTime();
            RawClient.Response r = c.exchange("GET /hang HTTP/1.1\r\nHost: a\r\n\r\n");
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(r.status()).isEqualTo(504);
            assertThat(r.header("x-bulwark-error")).isEqualTo("upstream_timeout");
            // Neither early (the timer left from /fast) nor late (re-armed for a whole timeout, not what is left).
            assertThat(took).isBetween(READ_TIMEOUT.minusMillis(10), READ_TIMEOUT.plusMillis(100));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
