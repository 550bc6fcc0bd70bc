package io.bulwark.monitor;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntPredicate;

/**
 * A GET of a URL, judged on its status code and then on the time the whole response took, in milliseconds; a
 * refused status, a failed connect or a timeout is CRITICAL.
 */
public final class HttpProbe implements Probe {
    private static final String NAME = "HTTP";

    private final Levels levels;
    private final URI url;
    private final IntPredicate expectedStatus;
    private final String expectedDescription;

    /**
     * @param expectedDescription the accepted statuses in words, for the text, as {@code 200-399}
     * @throws IllegalArgumentException when {@code url} is not an http or https URL
     */
    public HttpProbe(Levels levels, URI url, IntPredicate expectedStatus, String expectedDescription) {
        // Throws for a URL HttpClient cannot fetch (not http or https), so a bad config fails when it is loaded.
        HttpRequest.newBuilder(url);
        this.levels = levels;
        this.url = url;
        this.expectedStatus = expectedStatus;
        this.expectedDescription = expectedDescription;
    }

    @Override
    public CheckResult run(Duration timeout) throws InterruptedException {
        Duration limit = timeout.isPositive() ? timeout : Duration.ofMillis(1);
        HttpRequest request = HttpRequest.newBuilder(url).timeout(limit).GET().build();
        // A client per run: a pooled connection would leave the connect out of the time measured, and a dead
        // server would first show as a failed reuse.
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(limit)
                .build();
        CompletableFuture<HttpResponse<Long>> response = null;
        try {
            long start = System.nanoTime();
            response = client.sendAsync(request, info -> BodySubscribers.fromSubscriber(new ByteCounter(),
                    ByteCounter::count));
            // The request's timeout ends when the headers arrive; this bounds a body that trickles in too.
            HttpResponse<Long> r = response.get(limit.toNanos(), TimeUnit.NANOSECONDS);
            double ms = ProbeText.rounded((System.nanoTime() - start) / 1e6, 2);
            return judge(r.statusCode(), ms, r.body());
        } catch (TimeoutException e) {
            return timedOut(limit);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return timedOut(limit);
            }
            return critical(url + ": " + ProbeText.reason(cause));
        } finally {
            if (response != null) {
                response.cancel(true);
            }
            client.shutdownNow();
        }
    }

    private CheckResult judge(int code, double ms, long size) {
        PerfDatum time = ProbeText.datum("time", ms, "ms", levels, 0.0, null);
        PerfDatum bytes = new PerfDatum("size", size, "B", null, null, 0.0, null);
        if (!expectedStatus.test(code)) {
            return ProbeText.result(NAME, Status.CRITICAL, code + " from " + url + ": expected " + expectedDescription,
                    time, bytes);
        }
        Status status = levels.judge(ms);
        return ProbeText.result(NAME, status, code + " in " + ProbeText.decimal(ms, 2) + " ms, " + size + " bytes",
                time, bytes);
    }

    private CheckResult timedOut(Duration limit) {
        return critical(url + ": timed out after " + limit.toMillis() + " ms");
    }

    private static CheckResult critical(String details) {
        return ProbeText.result(NAME, Status.CRITICAL, details);
    }

    /** Counts the body's bytes and drops them, so a large response costs no memory. */
    private static final class ByteCounter implements Flow.Subscriber<List<ByteBuffer>> {
        private volatile long count;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                count += b.remaining();
            }
        }

        @Override
        public void onError(Throwable throwable) {
            // The response future fails with it; nothing to keep.
        }

        @Override
        public void onComplete() {
            // The finisher reads the count once the body ended.
        }

        long count() {
            return count;
        }
    }
}
