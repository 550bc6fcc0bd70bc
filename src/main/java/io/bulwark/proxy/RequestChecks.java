package io.bulwark.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/** The checks a request head passes before it is routed: decodable, framed unambiguously, one Host. */
final class RequestChecks {
    private RequestChecks() {}

    /** The failure that answers {@code req}, or {@code null} when it may be forwarded. */
    static Failure refusal(HttpRequest req, boolean http10) {
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            return cause instanceof TooLongHttpLineException ? Failure.URI_TOO_LONG
                    : cause instanceof TooLongHttpHeaderException ? Failure.HEADERS_TOO_LARGE
                    : Failure.BAD_REQUEST;
        }
        HttpHeaders h = req.headers();
        int hosts = h.getAll(HttpHeaderNames.HOST).size();
        // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means its framing cannot be trusted.
        boolean faultyFraming = !Headers.transferEncodingAcceptable(h)
                || http10 && h.contains(HttpHeaderNames.TRANSFER_ENCODING);
        return faultyFraming || hosts > 1 || hosts == 0 && !http10 ? Failure.BAD_REQUEST : null;
    }
}
