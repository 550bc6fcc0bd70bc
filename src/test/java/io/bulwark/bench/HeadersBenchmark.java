package io.bulwark.bench;

import io.bulwark.proxy.HeadersAccess;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the header rewriting a proxied exchange pays: hop-by-hop removal and X-Forwarded-* / Via on
 * the request, hop-by-hop removal and Via on the response. Each invocation starts from a fresh copy of the
 * headers as the decoder would have built them (the copy is included; {@code copyOnly} measures it alone).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeadersBenchmark {
    /** wrk's request (Host only), or a browser-like one with a Connection list and an upstream XFF. */
    @Param({"minimal", "browser"})
    String request;

    private HttpHeaders requestTemplate;
    private HttpHeaders responseTemplate;

    @Setup
    public void setUp() {
        requestTemplate = headers();
        requestTemplate.add("Host", "example.com:8080");
        if (request.equals("browser")) {
            requestTemplate.add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
            requestTemplate.add("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
            requestTemplate.add("Accept-Language", "en-US,en;q=0.5");
            requestTemplate.add("Accept-Encoding", "gzip, deflate, br");
            requestTemplate.add("Connection", "keep-alive, X-Trace");
            requestTemplate.add("X-Trace", "abc");
            requestTemplate.add("Keep-Alive", "timeout=5");
            requestTemplate.add("X-Forwarded-For", "203.0.113.7");
            requestTemplate.add("Cookie", "session=0123456789abcdef0123456789abcdef");
        }
        responseTemplate = headers();
        responseTemplate.add("Server", "nginx/1.22.1");
        responseTemplate.add("Date", "Wed, 25 Nov 2026 00:00:00 GMT");
        responseTemplate.add("Content-Type", "text/plain");
        responseTemplate.add("Content-Length", "13");
        responseTemplate.add("Last-Modified", "Wed, 25 Nov 2026 00:00:00 GMT");
        responseTemplate.add("Connection", "keep-alive");
        responseTemplate.add("ETag", "\"6923f0c0-d\"");
        responseTemplate.add("Accept-Ranges", "bytes");
    }

    private static HttpHeaders headers() {
        // What HttpObjectDecoder builds by default (validating headers).
        return DefaultHttpHeadersFactory.headersFactory().newHeaders();
    }

    @Benchmark
    public HttpHeaders copyOnly() {
        return new DefaultHttpHeaders().set(requestTemplate);
    }

    @Benchmark
    public HttpHeaders rewriteRequest() {
        HttpHeaders h = new DefaultHttpHeaders().set(requestTemplate);
        HeadersAccess.rewriteRequest(h, "127.0.0.1");
        return h;
    }

    @Benchmark
    public HttpHeaders rewriteResponse() {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                new DefaultHttpHeaders().set(responseTemplate));
        HeadersAccess.rewriteResponse(r);
        return r.headers();
    }
}
