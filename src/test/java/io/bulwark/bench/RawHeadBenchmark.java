package io.bulwark.bench;

import io.bulwark.proxy.HeadersAccess;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the raw path for the same messages as {@link HeadersBenchmark}: parse a head in place and write
 * the rewritten bytes, from the bytes as read to the bytes to send (no header map at any point). Unlike
 * HeadersBenchmark this includes what decoding and encoding cost there.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RawHeadBenchmark {
    private static final byte[] CLIENT = "127.0.0.1".getBytes(StandardCharsets.US_ASCII);

    /** wrk's request (Host only), or a browser-like one with a Connection list and an upstream XFF. */
    @Param({"minimal", "browser"})
    String request;

    private ByteBuf requestBytes;
    private ByteBuf responseBytes;

    @Setup
    public void setUp() {
        String head = "GET /13 HTTP/1.1\r\nHost: example.com:8080\r\n";
        if (request.equals("browser")) {
            // Connection names X-Trace, which the raw path leaves to the header-map path: keep-alive only here.
            head += "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
                    + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
                    + "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate, br\r\n"
                    + "Connection: keep-alive\r\nKeep-Alive: timeout=5\r\nX-Forwarded-For: 203.0.113.7\r\n"
                    + "Cookie: session=0123456789abcdef0123456789abcdef\r\n";
        }
        requestBytes = direct(head + "\r\n");
        responseBytes = direct("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Wed, 25 Nov 2026 00:00:00 GMT\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 13\r\nLast-Modified: Wed, 25 Nov 2026 00:00:00 GMT\r\n"
                + "Connection: keep-alive\r\nETag: \"6923f0c0-d\"\r\nAccept-Ranges: bytes\r\n\r\nHello, world!");
    }

    private static ByteBuf direct(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return PooledByteBufAllocator.DEFAULT.directBuffer(b.length).writeBytes(b);
    }

    @TearDown
    public void tearDown() {
        requestBytes.release();
        responseBytes.release();
    }

    @Benchmark
    public int rewriteRequest() {
        ByteBuf out = HeadersAccess.rawRequest(requestBytes.readerIndex(0), CLIENT);
        int n = out.readableBytes();
        out.release();
        return n;
    }

    @Benchmark
    public int rewriteResponse() {
        ByteBuf out = HeadersAccess.rawResponse(responseBytes.readerIndex(0));
        int n = out.readableBytes();
        out.release();
        return n;
    }
}
