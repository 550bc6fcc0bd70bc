package io.bulwark.proxy;

import io.bulwark.upstream.Server;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

/**
 * What one client connection notes about its current request for the access log. One per connection,
 * reused request after request; nothing is captured when the log is off, and an {@link AccessRecord} is
 * only built when the request ends.
 */
final class RequestLog {
    private final AccessLog log;
    private final String clientIp;
    private boolean active;
    private long startMillis;
    private long startNanos;
    private String method;
    private String uri;
    private String protocol;
    private String host;
    private String referer;
    private String userAgent;
    int status;
    int upstreamStatus;
    String error;
    long bytesSent;
    long upstreamStartNanos;
    long upstreamEndNanos;

    RequestLog(AccessLog log, String clientIp) {
        this.log = log;
        this.clientIp = clientIp;
    }

    /** A request head arrived (before any rewriting). */
    void begin(HttpRequest req) {
        if (started()) {
            HttpHeaders h = req.headers();
            noteRequest(req.method().name(), req.uri(), req.protocolVersion().text(), h.get(HttpHeaderNames.HOST),
                    h.get(HttpHeaderNames.REFERER), h.get(HttpHeaderNames.USER_AGENT));
        }
    }

    /** A request arrived whole and is forwarded as its bytes (see {@link WholeRequest}). */
    void begin(WholeRequest req) {
        if (started()) {
            noteRequest(req.method().name(), req.uri(), "HTTP/1.1", req.host(), req.referer(), req.userAgent());
        }
    }

    /** Marks the start; whether the log wants the request's details (the clock is read only then). */
    private boolean started() {
        active = true;
        if (!log.enabled()) {
            return false;
        }
        startNanos = System.nanoTime();
        return true;
    }

    private void noteRequest(String method, String uri, String protocol, String host, String referer,
            String userAgent) {
        startMillis = System.currentTimeMillis();
        this.method = method;
        this.uri = uri;
        this.protocol = protocol;
        this.host = host;
        this.referer = referer;
        this.userAgent = userAgent;
    }

    /** Whether a request began and has not been logged yet. */
    boolean active() {
        return active;
    }

    /** Logs the request once, then forgets it. */
    void end(Server answeredBy) {
        if (!active) {
            return;
        }
        if (log.enabled()) {
            log.log(new AccessRecord(startMillis, clientIp, method, uri, protocol, host, status, bytesSent, referer,
                    userAgent, answeredBy == null ? null : answeredBy.address().toString(), upstreamStatus,
                    upstreamStartNanos == 0 ? -1 : upstreamEndNanos - upstreamStartNanos,
                    System.nanoTime() - startNanos, error));
        }
        active = false;
        method = uri = protocol = host = referer = userAgent = error = null;
        status = upstreamStatus = 0;
        bytesSent = upstreamStartNanos = upstreamEndNanos = 0;
    }
}
