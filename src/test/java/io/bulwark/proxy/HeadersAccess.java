package io.bulwark.proxy;

import io.netty.handler.codec.http.HttpHeaders;

/** Opens the package-private {@link Headers} to the JMH benchmarks, doing what DownstreamHandler does. */
public final class HeadersAccess {
    private HeadersAccess() {}

    /** The request side: Upgrade check, hop-by-hop out, forwarding headers in. */
    public static void rewriteRequest(HttpHeaders h, String clientIp) {
        boolean upgrading = Headers.wantsUpgrade(h);
        Headers.transferEncodingAcceptable(h);
        Headers.removeHopByHop(h, upgrading);
        Headers.addForwarding(h, clientIp, false);
    }

    /** The response side: framing check, hop-by-hop out, Via in. */
    public static void rewriteResponse(HttpHeaders h) {
        Headers.transferEncodingAcceptable(h);
        Headers.removeHopByHop(h, false);
        Headers.appendVia(h);
    }
}
