package io.bulwark.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Netty's request encoder for the header-map path, except that a request target with bytes above 0x7f goes
 * out as those bytes. Netty's decoder reads each byte of the target as one character, but its encoder writes
 * the target as UTF-8, so "/\xff" would reach the server as "/\xc3\xbf": another resource than the client
 * asked for, and than the raw path sends for the same bytes.
 */
final class UpstreamRequestEncoder extends HttpRequestEncoder {
    @Override
    protected void encodeInitialLine(ByteBuf buf, HttpRequest request) throws Exception {
        String uri = request.uri();
        if (isAscii(uri)) {
            super.encodeInitialLine(buf, request);
            return;
        }
        ByteBufUtil.copy(request.method().asciiName(), buf);
        buf.writeByte(' ');
        buf.writeCharSequence(uri, StandardCharsets.ISO_8859_1);
        buf.writeByte(' ');
        buf.writeCharSequence(request.protocolVersion().text(), StandardCharsets.US_ASCII);
        buf.writeByte('\r').writeByte('\n');
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }
}
