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
        active = true;
        startNanos = System.nanoTime();
        if (!log.enabled()) {
            return;
        }
        HttpHeaders h = req.headers();
        startMillis = System.currentTimeMillis();
        method = req.method().name();
        uri = req.uri();
        protocol = req.protocolVersion().text();
        host = h.get(HttpHeaderNames.HOST);
        referer = h.get(HttpHeaderNames.REFERER);
        userAgent = h.get(HttpHeaderNames.USER_AGENT);
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
