package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.RetryConfig;
import io.bulwark.config.RetryOn;
import io.bulwark.testing.EventLoops;
import io.bulwark.testing.LeakDetection;
import io.bulwark.testing.RawClient;
import io.bulwark.testing.RefusedPort;
import io.bulwark.testing.TestBackend;
import io.bulwark.upstream.FailureKind;
import io.bulwark.upstream.OutcomeListener;
import io.bulwark.upstream.Server;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(LeakDetection.class)
class RetryTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(2);
    final List<AutoCloseable> closing = new ArrayList<>();


    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private TestBackend backend(TestBackend.Handler h) throws IOException {
        TestBackend b = TestBackend.start(h);
        closing.add(b);
        return b;
    }

    private RetryGateway gateway(RetryConfig retry, Duration readTimeout, OutcomeListener outcomes,
            InetSocketAddress... servers) throws Exception {
        RetryGateway g = RetryGateway.start(loops.group(), retry, readTimeout, Optional.empty(), u -> outcomes,
                List.of(servers));
        closing.add(g);
        return g;
    }

    private RetryGateway gateway(RetryConfig retry, InetSocketAddress... servers) throws Exception {
        return gateway(retry, Duration.ofSeconds(5), OutcomeListener.NONE, servers);
    }

    private InetSocketAddress closedPort() {
        RefusedPort p = new RefusedPort();
        closing.add(p);
        return p.address();
    }

    private static String post(String method, String body, String... headers) {
        return method + " /x HTTP/1.1\r\nHost: a\r\n" + String.join("", headers) + "Content-Length: " + body.length()
                + "\r\n\r\n" + body;
    }

    private static RawClient.Response exchange(RetryGateway g, String raw) throws IOException {
        try (RawClient c = new RawClient(g.address())) {
            return c.exchange(raw);
        }
    }

    @Test
    void retriesAPostOnTheNextServerWhenTheConnectionWasRefused() throws Exception {
        TestBackend ok = backend(ex -> ex.respond(200, ex.request().method() + " " + ex.bodyText()));
        RetryGateway g = gateway(RetryGateway.retry(2, RetryOn.CONNECT_FAILURE), closedPort(), ok.address());

        RawClient.Response r = exchange(g, post("POST", "hello"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("POST hello");
        assertThat(g.stats().retries()).isEqualTo(1);
    }

    @Test
    void doesNotRetryAPostTheServerResetAfterReceivingItButDoesAGet() throws Exception {
        TestBackend resetter = backend(ex -> {
            ex.bodyText();
            ex.reset();
        });
        TestBackend ok = backend(ex -> ex.respond(200, "ok"));
        RetryGateway g = gateway(RetryGateway.retry(2, RetryOn.CONNECT_FAILURE, RetryOn.RESET),
                resetter.address(), ok.address());

        // Each fresh gateway connection lands on its loop's first pick, the resetter.
        RawClient.Response post = exchange(g, post("POST", "pay 10"));
        assertThat(post.status()).isEqualTo(502);
        assertThat(post.header("x-bulwark-error")).isEqualTo("upstream_reset");
        assertThat(g.stats().refused(Refusal.NON_IDEMPOTENT)).isEqualTo(1);
        assertThat(ok.requests()).isEmpty();

        RawClient.Response keyed = exchange(g, post("POST", "pay 10", "Idempotency-Key: k1\r\n"));
        RawClient.Response get = exchange(g, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(List.of(keyed.status(), get.status())).containsExactly(200, 200);
        // Whichever of the two met the resetter (the loops balance apart) went on to the other server.
        assertThat(g.stats().retries()).isEqualTo(resetter.requests().size() - 1).isPositive();
    }

    @Test
    void aStalePooledConnectionIsResentOnAFreshOneEvenForAPost() throws Exception {
        // The server closes a kept-alive connection when the next request arrives on it, unanswered: what
        // a server closing idle connections looks like when the close crosses our request.
        Map<Object, AtomicInteger> perConnection = new ConcurrentHashMap<>();
        TestBackend closer = backend(ex -> {
            if (perConnection.computeIfAbsent(ex.socket(), s -> new AtomicInteger()).incrementAndGet() > 1) {
                ex.closeAfter();
                return;
            }
            ex.respond(200, "ok " + ex.bodyText());
        });
        RetryGateway g = gateway(RetryGateway.retry(1), closer.address());

        try (RawClient c = new RawClient(g.address())) {
            for (int i = 0; i < 20; i++) {
                RawClient.Response r = c.exchange(post("POST", "n" + i));
                assertThat(r.status()).as("request %d", i).isEqualTo(200);
                assertThat(r.text()).isEqualTo("ok n" + i);
            }
        }
        assertThat(g.stats().staleRetries()).isGreaterThan(0);
        assertThat(g.stats().retries()).isZero();
    }

    @Test
    void aServerClosingRightAfterEachAnswerCostsNoClientAnError() throws Exception {
        TestBackend closer = backend(ex -> {
            ex.respond(200, "ok");
            ex.closeAfter();
        });
        RetryGateway g = gateway(RetryGateway.retry(1), closer.address());

        try (RawClient c = new RawClient(g.address())) {
            for (int i = 0; i < 200; i++) {
                assertThat(c.exchange(post("POST", "n" + i)).status()).as("request %d", i).isEqualTo(200);
            }
        }
    }

    @Test
    void aBodyLargerThanTheRetryBufferIsNotRetried() throws Exception {
        TestBackend resetter = backend(ex -> {
            ex.bodyText();
            ex.reset();
        });
        TestBackend ok = backend(ex -> ex.respond(200, "ok " + ex.bodyText().length()));
        RetryConfig small = new RetryConfig(Set.of(RetryOn.RESET), 2, Optional.empty(), Duration.ZERO,
                Duration.ZERO, 100, 1000, 1024);
        RetryGateway g = gateway(small, resetter.address(), ok.address());

        RawClient.Response big = exchange(g, post("PUT", "x".repeat(4096)));
        assertThat(big.status()).isEqualTo(502);
        assertThat(g.stats().refused(Refusal.BODY_TOO_LARGE)).isEqualTo(1);

        // A body under the cap, chunked this time, is held and sent again whole.
        String chunked = "PUT /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "200\r\n" + "y".repeat(512) + "\r\n" + "100\r\n" + "z".repeat(256) + "\r\n0\r\n\r\n";
        RawClient.Response small200 = exchange(g, chunked);
        assertThat(small200.status()).isEqualTo(200);
        assertThat(small200.text()).isEqualTo("ok 768");
        assertThat(g.stats().retries()).isEqualTo(1);

        // A chunked body over the cap that comes whole with its head counts against the cap as well. (A fresh
        // gateway, so the first pick is the resetter again.)
        RetryGateway fresh = gateway(small, resetter.address(), ok.address());
        String bigChunked = "PUT /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "800\r\n" + "w".repeat(2048) + "\r\n0\r\n\r\n";
        assertThat(exchange(fresh, bigChunked).status()).isEqualTo(502);
        assertThat(fresh.stats().refused(Refusal.BODY_TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void aBodyArrivingInPiecesIsSentAgainWholeOnTheRetry() throws Exception {
        // The head with the body's start, then the rest in two later reads: forwarded as the client's bytes,
        // held as they pass, and replayed in order to the next server after the first resets.
        TestBackend resetter = backend(ex -> {
            ex.bodyText();
            ex.reset();
        });
        TestBackend ok = backend(ex -> ex.respond(200, ex.request().method() + " " + ex.bodyText()));
        RetryGateway g = gateway(RetryGateway.retry(2, RetryOn.CONNECT_FAILURE, RetryOn.RESET),
                resetter.address(), ok.address());
        String body = "first-part|second-part|last";

        try (RawClient c = new RawClient(g.address())) {
            c.send(post("PUT", body).substring(0, post("PUT", body).length() - body.length() + 11));
            // Once the first server has the head, the rest is certainly a later read of the gateway's.
            org.awaitility.Awaitility.await().until(() -> resetter.requests().size() == 1);
            c.send("second-part");
            c.send("|last");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("PUT " + body);
            // The connection still frames requests: the next one is read as a request, not as body.
            assertThat(c.exchange(post("PUT", "again")).text()).isEqualTo("PUT again");
        }
        assertThat(resetter.requests()).isNotEmpty();
        assertThat(g.stats().retries()).isPositive();
    }

    @Test
    void aRetried503IsDiscardedAndTheClientSeesTheNextServersAnswer() throws Exception {
        TestBackend unavailable = backend(ex -> ex.respond(503, "first"));
        TestBackend ok = backend(ex -> ex.respond(200, "second"));
        RetryGateway g = gateway(RetryGateway.retry(2, RetryOn.HTTP_503), unavailable.address(), ok.address());

        RawClient.Response r = exchange(g, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("second");
        assertThat(g.stats().retries()).isEqualTo(1);
    }

    @Test
    void aMalformedResponseIsRetriedUnderResetLikeNginxInvalidHeader() throws Exception {
        // An obs-folded header line: the response is refused as bad_response and never reaches the client.
        TestBackend broken = backend(ex -> ex.raw("HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\nContent-Length: 2\r\n\r\nno"));
        TestBackend ok = backend(ex -> ex.respond(200, "fine"));
        RetryGateway g = gateway(RetryGateway.retry(2, RetryOn.RESET), broken.address(), ok.address());

        RawClient.Response r = exchange(g, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("fine");
        assertThat(g.stats().retries()).isEqualTo(1);
    }

    @Test
    void aLast503StreamsToTheClientAsItCame() throws Exception {
        TestBackend unavailable = backend(ex -> ex.respond(503, "busy", "Retry-After: 1"));
        RetryGateway g = gateway(RetryGateway.retry(3, RetryOn.HTTP_503), unavailable.address());

        RawClient.Response r = exchange(g, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.text()).isEqualTo("busy");
        assertThat(r.header("retry-after")).isEqualTo("1");
        assertThat(g.stats().refused(Refusal.NO_SERVER_LEFT)).isEqualTo(1);
    }

    @Test
    void theBudgetCapsRetriesWhenEveryServerFails() throws Exception {
        TestBackend a = backend(ex -> ex.respond(503, "a"));
        TestBackend b = backend(ex -> ex.respond(503, "b"));
        TestBackend c = backend(ex -> ex.respond(503, "c"));
        RetryConfig budgeted = new RetryConfig(Set.of(RetryOn.HTTP_503), 3, Optional.empty(), Duration.ZERO,
                Duration.ZERO, 20, 0, 64 * 1024);
        RetryGateway g = gateway(budgeted, a.address(), b.address(), c.address());

        int requests = 1000;
        List<Thread> clients = new ArrayList<>();
        AtomicInteger unavailable = new AtomicInteger();
        for (int t = 0; t < 4; t++) {
            clients.add(Thread.ofVirtual().start(() -> {
                try (RawClient client = new RawClient(g.address())) {
                    for (int i = 0; i < requests / 4; i++) {
                        if (client.exchange("GET /x HTTP/1.1\r\nHost: a\r\n\r\n").status() == 503) {
                            unavailable.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (Thread t : clients) {
            t.join();
        }

        long retries = g.stats().retries();
        System.out.printf("budget: %d requests, %d retries, %d refused by budget%n", requests, retries,
                g.stats().refused(Refusal.BUDGET_EXHAUSTED));
        assertThat(unavailable.get()).isEqualTo(requests);
        // 20 % per event loop; each loop may round up by one retry.
        assertThat(retries).isBetween(150L, 202L);
        assertThat(g.stats().refused(Refusal.BUDGET_EXHAUSTED)).isGreaterThan(700);
    }

    @Test
    void theOverallDeadlineEndsTheRequestWith504() throws Exception {
        TestBackend hang1 = backend(TestBackend.Exchange::hang);
        TestBackend hang2 = backend(TestBackend.Exchange::hang);
        RetryConfig timed = new RetryConfig(Set.of(RetryOn.TIMEOUT), 3, Optional.of(Duration.ofMillis(300)),
                Duration.ofMillis(450), Duration.ZERO, 100, 1000, 64 * 1024);
        RetryGateway g = gateway(timed, hang1.address(), hang2.address());

        long t0 = System.nanoTime();
        RawClient.Response r = exchange(g, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(r.status()).isEqualTo(504);
        assertThat(r.header("x-bulwark-error")).isEqualTo("deadline_exceeded");
        assertThat(millis).isBetween(440L, 700L);
        assertThat(g.stats().retries()).isEqualTo(1);
    }

    @Test
    void everyAttemptsOutcomeIsReported() throws Exception {
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        OutcomeListener recorder = new OutcomeListener() {
            @Override
            public void onSuccess(Server server, long latencyNanos) {
                seen.add(server.index() + " success");
            }

            @Override
            public void onResponse(Server server, int status, long latencyNanos) {
                seen.add(server.index() + " " + status);
            }

            @Override
            public void onFailure(Server server, FailureKind kind) {
                seen.add(server.index() + " " + kind);
            }
        };
        TestBackend hang = backend(TestBackend.Exchange::hang);
        TestBackend unavailable = backend(ex -> ex.respond(503, "no"));
        TestBackend ok = backend(ex -> ex.respond(200, "ok"));
        RetryConfig all = new RetryConfig(Set.of(RetryOn.values()), 4, Optional.of(Duration.ofMillis(200)),
                Duration.ZERO, Duration.ZERO, 100, 1000, 64 * 1024);
        RetryGateway g = gateway(all, Duration.ofSeconds(5), recorder, closedPort(), hang.address(),
                unavailable.address(), ok.address());

        RawClient.Response r = exchange(g, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(r.status()).isEqualTo(200);
        assertThat(seen).containsExactly("0 CONNECT_FAILURE", "1 TIMEOUT", "2 503", "3 200");
        assertThat(g.stats().retries()).isEqualTo(3);
    }
}
