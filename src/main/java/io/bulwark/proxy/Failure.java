package io.bulwark.proxy;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Every way a request can end with the gateway answering instead of a server: the status the client gets,
 * the {@code X-Bulwark-Error} value (also the log and metric tag), and whether a later retry may try
 * another server. The one place that decides which failure is a 502, 503 or 504.
 */
public enum Failure {
    /** No route matches the request's host and path. */
    NO_ROUTE(HttpResponseStatus.NOT_FOUND, "no_route", false),
    /** The route's upstream has no eligible server left. */
    NO_SERVER(HttpResponseStatus.SERVICE_UNAVAILABLE, "no_server", false),
    /** The TCP connect was refused: the request never left the gateway. */
    CONNECT_REFUSED(HttpResponseStatus.BAD_GATEWAY, "connect_refused", true),
    /**
     * The TCP connect did not finish within connectTimeout. A timeout, so 504 like nginx; the request never
     * left the gateway, so it may be retried.
     */
    CONNECT_TIMEOUT(HttpResponseStatus.GATEWAY_TIMEOUT, "connect_timeout", true),
    /** The server closed or reset the connection before a complete response head. */
    UPSTREAM_RESET(HttpResponseStatus.BAD_GATEWAY, "upstream_reset", false),
    /** The server made no progress within readTimeout. */
    UPSTREAM_TIMEOUT(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream_timeout", false),
    /** The server's response broke HTTP/1.1 framing or syntax. */
    BAD_RESPONSE(HttpResponseStatus.BAD_GATEWAY, "bad_response", false),
    /** The client's request broke HTTP/1.1 framing or syntax. */
    BAD_REQUEST(HttpResponseStatus.BAD_REQUEST, "bad_request", false),
    /** The request line exceeded the listener's maxRequestLine. */
    URI_TOO_LONG(HttpResponseStatus.REQUEST_URI_TOO_LONG, "uri_too_long", false),
    /** The header block exceeded the listener's maxHeaderSize. */
    HEADERS_TOO_LARGE(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large", false),
    /** The client started a request head but did not finish it within headerTimeout. */
    REQUEST_TIMEOUT(HttpResponseStatus.REQUEST_TIMEOUT, "request_timeout", false);

    private final HttpResponseStatus status;
    private final String tag;
    private final boolean retryable;

    Failure(HttpResponseStatus status, String tag, boolean retryable) {
        this.status = status;
        this.tag = tag;
        this.retryable = retryable;
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** The {@code X-Bulwark-Error} header value, log field and metric label. */
    public String tag() {
        return tag;
    }

    /** Whether the request certainly did not reach the server, so another server may be tried. */
    public boolean retryable() {
        return retryable;
    }

    /** Whether the failure is the client's (4xx): the connection is closed after the answer. */
    public boolean clientError() {
        return status.code() < 500 && this != NO_ROUTE;
    }
}
