package io.bulwark.proxy;

import io.bulwark.config.RetryOn;
import io.bulwark.upstream.FailureKind;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Every way a request can end with the gateway answering instead of a server: the status the client gets,
 * the {@code X-Bulwark-Error} value (also the log and metric tag), the retry condition that covers it, whether
 * the request certainly never reached the server, and the passive health signal it is for the server. The
 * one place that decides which failure is a 502, 503 or 504 and which may be retried.
 */
public enum Failure {
    /** No route matches the request's host and path. */
    NO_ROUTE(HttpResponseStatus.NOT_FOUND, "no_route"),
    /** The route's upstream has no eligible server left. */
    NO_SERVER(HttpResponseStatus.SERVICE_UNAVAILABLE, "no_server"),
    /** The TCP connect was refused: the request never left the gateway. */
    CONNECT_REFUSED(HttpResponseStatus.BAD_GATEWAY, "connect_refused", RetryOn.CONNECT_FAILURE, true,
            FailureKind.CONNECT_FAILURE),
    /**
     * The TCP connect did not finish within connectTimeout. A timeout, so 504 like nginx; the request never
     * left the gateway, so it may be retried.
     */
    CONNECT_TIMEOUT(HttpResponseStatus.GATEWAY_TIMEOUT, "connect_timeout", RetryOn.CONNECT_FAILURE, true,
            FailureKind.CONNECT_FAILURE),
    /** The server closed or reset the connection before a complete response head. */
    UPSTREAM_RESET(HttpResponseStatus.BAD_GATEWAY, "upstream_reset", RetryOn.RESET, false, FailureKind.RESET),
    /** The server made no progress within readTimeout (or the retry block's per_try_timeout). */
    UPSTREAM_TIMEOUT(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream_timeout", RetryOn.TIMEOUT, false,
            FailureKind.TIMEOUT),
    /** The retry block's overall timeout passed before a response head reached the client. */
    DEADLINE_EXCEEDED(HttpResponseStatus.GATEWAY_TIMEOUT, "deadline_exceeded"),
    /** The server's response broke HTTP/1.1 framing or syntax; retried under {@code reset} (nginx's invalid_header). */
    BAD_RESPONSE(HttpResponseStatus.BAD_GATEWAY, "bad_response", RetryOn.RESET, false, FailureKind.RESET),
    /** The client's request broke HTTP/1.1 framing or syntax. */
    BAD_REQUEST(HttpResponseStatus.BAD_REQUEST, "bad_request"),
    /** The request line exceeded the listener's maxRequestLine. */
    URI_TOO_LONG(HttpResponseStatus.REQUEST_URI_TOO_LONG, "uri_too_long"),
    /** The header block exceeded the listener's maxHeaderSize. */
    HEADERS_TOO_LARGE(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large"),
    /** The client started a request head but did not finish it within headerTimeout. */
    REQUEST_TIMEOUT(HttpResponseStatus.REQUEST_TIMEOUT, "request_timeout");

    private final HttpResponseStatus status;
    private final String tag;
    private final RetryOn retryOn;
    private final boolean neverSent;
    private final FailureKind outcome;

    Failure(HttpResponseStatus status, String tag) {
        this(status, tag, null, false, null);
    }

    Failure(HttpResponseStatus status, String tag, RetryOn retryOn, boolean neverSent, FailureKind outcome) {
        this.status = status;
        this.tag = tag;
        this.retryOn = retryOn;
        this.neverSent = neverSent;
        this.outcome = outcome;
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** The {@code X-Bulwark-Error} header value, log field and metric label. */
    public String tag() {
        return tag;
    }

    /** The {@code retry_on} condition that covers this failure, or {@code null} when it is never retried. */
    public RetryOn retryOn() {
        return retryOn;
    }

    /** Whether a retry block may retry it at all. */
    public boolean retryable() {
        return retryOn != null;
    }

    /** Whether the request certainly did not reach the server, so even a non-idempotent one may be retried. */
    public boolean neverSent() {
        return neverSent;
    }

    /** The passive health signal for the server, or {@code null} when the server is not to blame. */
    public FailureKind outcome() {
        return outcome;
    }

    /** Whether the failure is the client's (4xx): the connection is closed after the answer. */
    public boolean clientError() {
        return status.code() < 500 && this != NO_ROUTE;
    }
}
