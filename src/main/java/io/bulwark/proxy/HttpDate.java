package io.bulwark.proxy;

import io.bulwark.core.Clock;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The Date field every response gets from this hop when its server sent none, and on the gateway's own
 * answers (RFC 9110 §6.6.1, nginx does the same): the IMF-fixdate of now, formatted at most once a second.
 * One per event loop, so it needs no lock; a response reads the clock and otherwise allocates nothing.
 */
final class HttpDate {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final byte[] NAME = "date: ".getBytes(StandardCharsets.US_ASCII);

    private final Clock clock;
    private long second = Long.MIN_VALUE;
    private AsciiString value;
    private byte[] line;

    HttpDate(Clock clock) {
        this.clock = clock;
    }

    /** The field value, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    AsciiString value() {
        refresh();
        return value;
    }

    /** The whole field line as a raw head carries it: {@code date: <value>} and CRLF. */
    byte[] line() {
        refresh();
        return line;
    }

    private void refresh() {
        long now = Math.floorDiv(clock.currentTimeMillis(), 1000);
        if (now == second) {
            return;
        }
        second = now;
        byte[] text = IMF_FIXDATE.format(Instant.ofEpochSecond(now)).getBytes(StandardCharsets.US_ASCII);
        value = new AsciiString(text, false);
        byte[] l = new byte[NAME.length + text.length + 2];
        System.arraycopy(NAME, 0, l, 0, NAME.length);
        System.arraycopy(text, 0, l, NAME.length, text.length);
        l[l.length - 2] = '\r';
        l[l.length - 1] = '\n';
        line = l;
    }
}
