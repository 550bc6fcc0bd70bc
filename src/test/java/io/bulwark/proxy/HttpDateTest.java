package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.core.Clock;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Date field in virtual time: RFC 9110's IMF-fixdate, formatted once per second and reused within it. */
class HttpDateTest {
    private long millis = 784_111_777_000L; // Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110 §5.6.7's example
    private final HttpDate date = new HttpDate(new Clock() {
        @Override
        public long nanoTime() {
            return millis * 1_000_000;
        }

        @Override
        public long currentTimeMillis() {
            return millis;
        }
    });

    @Test
    void isTheImfFixdateOfTheCurrentSecond() {
        assertThat(date.value().toString()).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(new String(date.line(), StandardCharsets.US_ASCII)).isEqualTo("date: Sun, 06 Nov 1994 08:49:37 GMT\r\n");
    }

    @Test
    void isFormattedOnceASecond() {
        AsciiString first = date.value();
        byte[] line = date.line();
        millis += 999;
        assertThat((Object) date.value()).isSameAs(first);
        assertThat(date.line()).isSameAs(line);
        millis += 1;
        assertThat(date.value().toString()).isEqualTo("Sun, 06 Nov 1994 08:49:38 GMT");
        millis += 86_400_000L * 366;
        assertThat(date.value().toString()).isEqualTo("Tue, 07 Nov 1995 08:49:38 GMT");
    }
}
