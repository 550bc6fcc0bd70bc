package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.EventLoops;
import io.bulwark.testing.LeakDetection;
import io.bulwark.testing.RawClient;
import io.bulwark.testing.TestBackend;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9112 framing and syntax rules, each sent as raw bytes, in requests and in upstream responses. */
@ExtendWith(LeakDetection.class)
class FramingTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(2);
    TestBackend backend;
    Gateway gateway;
    /** Bodies the backend read completely. */
    final ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();


    @AfterEach
    void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    private void start(TestBackend.Handler handler) throws Exception {
        backend = TestBackend.start(handler);
        gateway = Gateway.start(loops.group(), Gateway.Options.defaults().limits(200, 1024), List.of(backend.address()));
    }

    /** A server that records every body it gets whole; the tests expect it to get none. */
    private void startRecordingBodies() throws Exception {
        start(ex -> {
            bodies.add(ex.bodyText());
            ex.respond(200, "should not get here");
        });
    }

    private void rejected(String request, int status) throws Exception {
        startRecordingBodies();
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response r = c.exchange(request);
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(backend.requests()).isEmpty();
        assertThat(backend.connections()).isZero();
    }

    private static final String POST = "POST /p HTTP/1.1\r\nHost: a\r\n";

    @Test
    void contentLengthWithTransferEncodingIs400() throws Exception {
        rejected(POST + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400);
    }

    @Test
    void differingContentLengthsAre400() throws Exception {
        rejected(POST + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400);
    }

    @Test
    void differingContentLengthsOnTheRawPathAre400() throws Exception {
        // A bodyless HTTP/1.1 request otherwise takes the raw path (WholeRequest), which must refuse it too.
        rejected("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nContent-Length: 1\r\n\r\nx", 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "3x", "-3", "+3", "3, 4", "0x3"})
    void invalidContentLengthIs400(String value) throws Exception {
        rejected(POST + "Content-Length: " + value + "\r\n\r\nabc", 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "chunked, gzip", "gzip, chunked", "identity"})
    void transferEncodingOtherThanChunkedIs400(String value) throws Exception {
        rejected(POST + "Transfer-Encoding: " + value + "\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Foo : bar", "Foo\t: bar", "F\u0001oo: bar", "Fo(o: bar", ": empty"})
    void badHeaderNameIs400(String line) throws Exception {
        rejected("GET / HTTP/1.1\r\nHost: a\r\n" + line + "\r\n\r\n", 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "\t"})
    void obsFoldIs400(String lead) throws Exception {
        rejected("GET / HTTP/1.1\r\nHost: a\r\nFoo: bar\r\n" + lead + "baz\r\n\r\n", 400);
    }

    @Test
    void transferEncodingInHttp10Is400() throws Exception {
        rejected("POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400);
    }

    @Test
    void missingHostIs400() throws Exception {
        rejected("GET / HTTP/1.1\r\n\r\n", 400);
    }

    @Test
    void requestLineOverTheLimitIs414() throws Exception {
        rejected("GET /" + "a".repeat(300) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414);
    }

    @Test
    void headerBlockOverTheLimitIs431() throws Exception {
        rejected("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(2000) + "\r\n\r\n", 431);
    }

    @Test
    void invalidChunkSizeIs400AndTheServerNeverGetsAWholeRequest() throws Exception {
        startRecordingBodies();
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response r = c.exchange(POST + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
            assertThat(r.status()).isEqualTo(400);
            assertThat(c.closedByPeer()).isTrue();
        }
        // The head streamed ahead of the bad chunk, but the server's connection was cut mid-request.
        org.awaitility.Awaitility.await().until(() -> backend.openConnections() == 0);
        assertThat(bodies).isEmpty();
    }

    @Test
    void aTrailerThatWouldFrameTheRequestIs400AndTheServerNeverGetsAWholeRequest() throws Exception {
        startRecordingBodies();
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response r = c.exchange(POST + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n"
                    + "Content-Length: 40\r\n\r\n");
            assertThat(r.status()).isEqualTo(400);
            assertThat(c.closedByPeer()).isTrue();
        }
        org.awaitility.Awaitility.await().until(() -> backend.openConnections() == 0);
        assertThat(bodies).isEmpty();
    }

    @Test
    void invalidChunkSizeInALaterReadIs400AndTheServerNeverGetsAWholeRequest() throws Exception {
        startRecordingBodies();
        try (RawClient c = new RawClient(gateway.address())) {
            // The head and a good chunk go ahead as the client's bytes; the bad size follows later.
            c.send(POST + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
            // Once the server has the head, the bad size is certainly a later read of the gateway's.
            org.awaitility.Awaitility.await().until(() -> backend.requests().size() == 1);
            RawClient.Response r = c.send("zz\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(c.closedByPeer()).isTrue();
        }
        org.awaitility.Awaitility.await().until(() -> backend.openConnections() == 0);
        assertThat(bodies).isEmpty();
        assertThat(backend.requests()).extracting(io.bulwark.testing.HttpHead::uri).doesNotContain("/smuggled");
    }

    // --- the same faults from the server: 502, and that connection is not used again

    /** A server that sends {@code response} as given for {@code path}, and "good" for anything else. */
    private void startAnswering(String path, String response) throws Exception {
        start(ex -> {
            if (ex.request().uri().equals(path)) {
                ex.rawKeepOpen(response);
            } else {
                ex.respond(200, "good");
            }
        });
    }

    private void badResponse(String response) throws Exception {
        startAnswering("/bad", response);
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response r = c.exchange("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.header("x-bulwark-error")).isEqualTo("bad_response");
            assertThat(c.exchange("GET /good HTTP/1.1\r\nHost: a\r\n\r\n").text()).isEqualTo("good");
        }
        assertThat(backend.connections()).isEqualTo(2);
    }

    @Test
    void aResetContentResponseReachesTheClientWithoutTheBodyItShouldNotHave() throws Exception {
        startAnswering("/reset", "HTTP/1.1 205 Reset Content\r\nContent-Length: 5\r\n\r\nhello");
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response r = c.exchange("GET /reset HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(r.status()).isEqualTo(205);
            assertThat(r.header("content-length")).isEqualTo("0");
            // The five bytes were the server's framing, not the next response: the connection goes on.
            assertThat(c.exchange("GET /good HTTP/1.1\r\nHost: a\r\n\r\n").text()).isEqualTo("good");
        }
        assertThat(backend.connections()).isEqualTo(1);
    }

    @Test
    void responseWithLengthAndChunkedIs502() throws Exception {
        badResponse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
    }

    @Test
    void responseWithDifferingLengthsIs502() throws Exception {
        badResponse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd");
    }

    @Test
    void responseWithInvalidLengthIs502() throws Exception {
        badResponse("HTTP/1.1 200 OK\r\nContent-Length: 3x\r\n\r\nabc");
    }

    @Test
    void responseWithFinalCodingNotChunkedIs502() throws Exception {
        badResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc");
    }

    @Test
    void responseWithWhitespaceBeforeColonIs502() throws Exception {
        badResponse("HTTP/1.1 200 OK\r\nFoo : bar\r\nContent-Length: 0\r\n\r\n");
    }

    @Test
    void responseWithObsFoldIs502() throws Exception {
        badResponse("HTTP/1.1 200 OK\r\nFoo: bar\r\n baz\r\nContent-Length: 0\r\n\r\n");
    }

    @Test
    void responseWithATrailerThatWouldFrameItIs502() throws Exception {
        badResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nTransfer-Encoding: gzip\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"44", "0200", "2000", "-20", "099"})
    void responseWithAStatusThatIsNotThreeDigitsIs502(String code) throws Exception {
        badResponse("HTTP/1.1 " + code + " Odd\r\nContent-Length: 2\r\n\r\nok");
    }

    @Test
    void aStatusAbove599PassesAsNginxPassesIt() throws Exception {
        start(ex -> ex.rawKeepOpen("HTTP/1.1 999 Request denied\r\nContent-Length: 2\r\n\r\nno"));
        try (RawClient c = new RawClient(gateway.address())) {
            RawClient.Response r = c.exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(r.status()).isEqualTo(999);
            assertThat(r.text()).isEqualTo("no");
        }
    }

    @Test
    void garbageResponseIs502() throws Exception {
        badResponse("HELLO\r\n\r\n");
    }

    @Test
    void invalidChunkSizeInALaterReadClosesTheClientAndTheServerConnection() throws Exception {
        java.util.concurrent.CountDownLatch headRelayed = new java.util.concurrent.CountDownLatch(1);
        start(ex -> {
            ex.rawKeepOpen("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
            // The rest only once the client has the head: a later read of the gateway's, whatever the load.
            try {
                headRelayed.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            // Not a size: from here the gateway cannot know where this response, or the next, begins.
            ex.rawKeepOpen("zz\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        });
        try (RawClient c = new RawClient(gateway.address())) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readHead().status()).isEqualTo(200);
            headRelayed.countDown();
            String rest = new String(c.in().readAllBytes());
            assertThat(rest).isEqualTo("3\r\nabc\r\n");
        }
        org.awaitility.Awaitility.await().until(() -> backend.openConnections() == 0);
    }

    @Test
    void invalidChunkSizeInTheHeadsOwnReadIs502() throws Exception {
        // Nothing went to the client yet, so the broken body gets an answer of its own, not a cut 200.
        badResponse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n");
    }
}
