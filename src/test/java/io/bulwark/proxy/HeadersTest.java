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
        assertThat(Headers.frameForClient(to11, true, false, true)).isTrue();
        assertThat(to11.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(to11.headers().get("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(to11.headers().contains("Connection")).isFalse();
        assertThat(to11.headers().names()).doesNotContain("X-Hop", "Keep-Alive").contains("Content-Type");
        assertThat(to11.headers().get("Via")).isEqualTo("1.1 bulwark");

        HttpResponse to10 = fromServer(HttpVersion.HTTP_1_1);
        assertThat(Headers.frameForClient(to10, true, true, true)).as("the close ends the body").isFalse();
        assertThat(to10.headers().contains("Transfer-Encoding")).isFalse();
        assertThat(to10.headers().get("Connection")).isEqualTo("close");
    }

    @Test
    void aKnownLengthKeepsAnHttp10ClientOpenOnlyWhenAskedTo() {
        HttpResponse kept = fromServer(HttpVersion.HTTP_1_1);
        assertThat(Headers.frameForClient(kept, false, true, true)).isTrue();
        assertThat(kept.headers().get("Connection")).isEqualTo("keep-alive");

        HttpResponse closing = fromServer(HttpVersion.HTTP_1_1);
        assertThat(Headers.frameForClient(closing, false, false, false)).isFalse();
        assertThat(closing.headers().get("Connection")).isEqualTo("close");
    }
}
