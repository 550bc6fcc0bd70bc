package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** How a final response's head is framed for the client, by the client's protocol and the body's length. */
class HeadersTest {
    private static HttpResponse fromServer(HttpVersion version) {
        HttpResponse r = new DefaultHttpResponse(version, HttpResponseStatus.OK);
        r.headers().add("Connection", "keep-alive, X-Hop").add("X-Hop", "1").add("Keep-Alive", "timeout=5")
                .add("Content-Type", "text/plain");
        return r;
    }

    @Test
    void anUnknownLengthGoesChunkedToHttp11AndCloseDelimitedToHttp10() {
        HttpResponse to11 = fromServer(HttpVersion.HTTP_1_0);
        assertThat(Headers.frameForClient(to11, true, false, true, Wire.DATE.value())).isTrue();
        assertThat(to11.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(to11.headers().get("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(to11.headers().contains("Connection")).isFalse();
        assertThat(to11.headers().names()).doesNotContain("X-Hop", "Keep-Alive").contains("Content-Type");
        // RFC 9110 §7.6.3: Via names the version this hop received, here HTTP/1.0.
        assertThat(to11.headers().get("Via")).isEqualTo("1.0 bulwark");
        assertThat(to11.headers().get("Date")).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");

        HttpResponse to10 = fromServer(HttpVersion.HTTP_1_1);
        assertThat(Headers.frameForClient(to10, true, true, true, Wire.DATE.value())).as("the close ends the body").isFalse();
        assertThat(to10.headers().contains("Transfer-Encoding")).isFalse();
        assertThat(to10.headers().get("Connection")).isEqualTo("close");
        assertThat(to10.headers().get("Via")).isEqualTo("1.1 bulwark");
    }

    @Test
    void trailerStaysWhereTheTrailersPassAndGoesWhereTheyAreDropped() {
        HttpResponse to11 = fromServer(HttpVersion.HTTP_1_1);
        to11.headers().add("Trailer", "X-Sum");
        Headers.frameForClient(to11, true, false, true, Wire.DATE.value());
        assertThat(to11.headers().get("Trailer")).as("RFC 9110 §6.6.2: not hop-by-hop").isEqualTo("X-Sum");

        HttpResponse to10 = fromServer(HttpVersion.HTTP_1_1);
        to10.headers().add("Trailer", "X-Sum");
        Headers.frameForClient(to10, true, true, true, Wire.DATE.value());
        assertThat(to10.headers().contains("Trailer")).as("an HTTP/1.0 client gets no chunks, so no trailers").isFalse();
    }

    @Test
    void aServersOwnDateIsKept() {
        HttpResponse r = fromServer(HttpVersion.HTTP_1_1);
        r.headers().add("Date", "Mon, 07 Nov 1994 08:49:37 GMT");
        Headers.frameForClient(r, false, false, true, Wire.DATE.value());
        assertThat(r.headers().getAll("Date")).containsExactly("Mon, 07 Nov 1994 08:49:37 GMT");
    }

    @Test
    void aKnownLengthKeepsAnHttp10ClientOpenOnlyWhenAskedTo() {
        HttpResponse kept = fromServer(HttpVersion.HTTP_1_1);
        assertThat(Headers.frameForClient(kept, false, true, true, Wire.DATE.value())).isTrue();
        assertThat(kept.headers().get("Connection")).isEqualTo("keep-alive");

        HttpResponse closing = fromServer(HttpVersion.HTTP_1_1);
        assertThat(Headers.frameForClient(closing, false, false, false, Wire.DATE.value())).isFalse();
        assertThat(closing.headers().get("Connection")).isEqualTo("close");
    }
}
