package io.bulwark.proxy;

/**
 * What one finished request leaves for the access log. Built on the event loop, formatted elsewhere.
 *
 * @param startMillis epoch millis when the request head arrived
 * @param upstreamAddress {@code host:port} of the server that answered, or {@code null} when none did
 * @param upstreamStatus the status the server sent, or 0 when none
 * @param upstreamNanos time from sending the request to the server to the end of its response, or -1
 * @param totalNanos time from the request head arriving to the last response byte written
 * @param error the {@code X-Bulwark-Error} cause when the gateway answered itself, else {@code null}
 */
public record AccessRecord(
        long startMillis,
        String clientAddress,
        String method,
        String uri,
        String protocol,
        String host,
        int status,
        long bytesSent,
        String referer,
        String userAgent,
        String upstreamAddress,
        int upstreamStatus,
        long upstreamNanos,
        long totalNanos,
        String error) {}
