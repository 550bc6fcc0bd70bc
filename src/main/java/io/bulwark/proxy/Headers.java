package io.bulwark.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.List;

/** The header rewriting a proxy owes both directions (RFC 9110 §7.6): hop-by-hop out, Via and X-Forwarded-* in. */
final class Headers {
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString X_BULWARK_ERROR = AsciiString.cached("x-bulwark-error");
    /** Netty deprecates its constant (not an RFC 9110 field), but HTTP/1.0 peers still send it. */
    static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    static final AsciiString VIA_VALUE = AsciiString.cached("1.1 bulwark");
    static final AsciiString VIA_VALUE_10 = AsciiString.cached("1.0 bulwark");
    static final AsciiString HTTP = AsciiString.cached("http");

    private Headers() {}

    /**
     * Rewrites a request's head, read into a header map, for the server: hop-by-hop out (Upgrade kept when
     * the client asks for one), the body chunked again when it came chunked, the forwarding fields in, and a
     * Host for an HTTP/1.0 request that had none: the HTTP/1.1 the server gets must carry one, and nginx sends
     * the name proxy_pass names ($proxy_host), whose equivalent here is the upstream's name. Returns whether
     * the request asks for an upgrade, which an HTTP/1.0 one cannot (RFC 9110 §7.8: it is ignored).
     */
    static boolean forServer(HttpHeaders h, String clientIp, boolean http10, boolean chunked, String upstream) {
        boolean upgrading = !http10 && wantsUpgrade(h);
        removeHopByHop(h, upgrading);
        if (chunked) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        addForwarding(h, clientIp, http10);
        if (!h.contains(HttpHeaderNames.HOST)) {
            h.set(HttpHeaderNames.HOST, upstream);
        }
        return upgrading;
    }

    /**
     * Removes Connection, every header it names, and the fixed hop-by-hop set. Upgrade survives only when
     * {@code upgrading}; Transfer-Encoding goes because the codec re-frames the body. Trailer is no hop-by-hop
     * field (RFC 9110 §6.6.2): it stays, to announce the trailer fields that pass with a chunked body.
     */
    static void removeHopByHop(HttpHeaders headers, boolean upgrading) {
        List<String> connection = headers.getAll(HttpHeaderNames.CONNECTION);
        for (int i = 0; i < connection.size(); i++) {
            for (String token : connection.get(i).split(",")) {
                String name = token.trim();
                if (!name.isEmpty() && !(upgrading && HttpHeaderValues.UPGRADE.contentEqualsIgnoreCase(name))) {
                    headers.remove(name);
                }
            }
        }
        headers.remove(HttpHeaderNames.CONNECTION);
        headers.remove(KEEP_ALIVE);
        headers.remove(HttpHeaderNames.TE);
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        headers.remove(PROXY_CONNECTION);
        if (upgrading) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        } else {
            headers.remove(HttpHeaderNames.UPGRADE);
        }
    }

    /**
     * Rewrites a final response's head for the client: hop-by-hop out, Via in (naming the version the
     * response came in, RFC 9110 §7.6.3), {@code date} when the server sent no Date (§6.6.1), HTTP/1.1, and
     * the framing and Connection header the client gets. A body of unknown length goes out chunked to an
     * HTTP/1.1 client and close-delimited to an HTTP/1.0 one, which loses its trailer fields and so the
     * Trailer that announces them. Returns whether the client connection stays open afterwards.
     */
    static boolean frameForClient(HttpResponse r, boolean unknownLength, boolean http10Client, boolean keepAlive,
            AsciiString date) {
        HttpHeaders h = r.headers();
        removeHopByHop(h, false);
        appendVia(h, r.protocolVersion().equals(HttpVersion.HTTP_1_0) ? VIA_VALUE_10 : VIA_VALUE);
        if (!h.contains(HttpHeaderNames.DATE)) {
            h.set(HttpHeaderNames.DATE, date);
        }
        if (unknownLength) {
            if (http10Client) {
                keepAlive = false;
                h.remove(HttpHeaderNames.TRAILER);
            } else {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        if (!keepAlive) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10Client) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
        return keepAlive;
    }

    /** Whether the message asks to switch protocols (Upgrade, and Connection listing it). */
    static boolean wantsUpgrade(HttpHeaders headers) {
        return headers.contains(HttpHeaderNames.UPGRADE)
                && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /** Adds the forwarding headers; Host is left as the client sent it. */
    static void addForwarding(HttpHeaders headers, String clientIp, boolean receivedAsHttp10) {
        headers.set(X_FORWARDED_FOR, joined(headers, X_FORWARDED_FOR, clientIp));
        headers.set(X_FORWARDED_PROTO, HTTP);
        String host = headers.get(HttpHeaderNames.HOST);
        if (host != null) {
            headers.set(X_FORWARDED_HOST, host);
        }
        appendVia(headers, receivedAsHttp10 ? VIA_VALUE_10 : VIA_VALUE);
    }

    /** Adds this hop to Via; RFC 9110 §7.6.3 names the protocol version the message was received with. */
    static void appendVia(HttpHeaders headers) {
        appendVia(headers, VIA_VALUE);
    }

    private static void appendVia(HttpHeaders headers, AsciiString hop) {
        headers.set(HttpHeaderNames.VIA, joined(headers, HttpHeaderNames.VIA, hop));
    }

    /**
     * The list field {@code name} with {@code last} appended. Several lines of one field are one list (RFC
     * 9110 §5.3): every earlier entry is kept, in order; empty lines add nothing.
     */
    private static CharSequence joined(HttpHeaders headers, AsciiString name, CharSequence last) {
        if (!headers.contains(name)) {
            return last;
        }
        StringBuilder list = new StringBuilder();
        for (String prior : headers.getAll(name)) {
            String v = prior.trim();
            if (!v.isEmpty()) {
                list.append(v).append(", ");
            }
        }
        return list.append(last).toString();
    }

    /**
     * Whether a Transfer-Encoding is one this proxy can forward: absent, or exactly {@code chunked}. Another
     * coding before chunked would be lost when the codec re-frames the body; a final coding other than
     * chunked leaves the length undefined (RFC 9112 §6.3).
     */
    static boolean transferEncodingAcceptable(HttpHeaders headers) {
        List<String> values = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (values.isEmpty()) {
            return true;
        }
        if (values.size() != 1) {
            return false;
        }
        return HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(values.get(0).trim());
    }
}
