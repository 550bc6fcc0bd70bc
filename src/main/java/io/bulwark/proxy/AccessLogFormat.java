package io.bulwark.proxy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The line formats of the access log: nginx "combined" plus upstream fields, or one JSON object. */
public enum AccessLogFormat {
    /** {@code addr - - [time] "request" status bytes "referer" "agent" upstream=… upstream_status=… upstream_time=… request_time=…}. */
    COMBINED {
        @Override
        void append(AccessRecord r, StringBuilder b) {
            b.append(dash(r.clientAddress())).append(" - - [");
            b.append(CLF_TIME.format(Instant.ofEpochMilli(r.startMillis()))).append("] \"");
            escape(b, r.method()).append(' ');
            escape(b, r.uri()).append(' ');
            escape(b, r.protocol()).append("\" ").append(r.status()).append(' ').append(r.bytesSent()).append(" \"");
            escape(b, dash(r.referer())).append("\" \"");
            escape(b, dash(r.userAgent())).append("\" upstream=").append(dash(r.upstreamAddress()));
            b.append(" upstream_status=");
            if (r.upstreamStatus() > 0) {
                b.append(r.upstreamStatus());
            } else {
                b.append('-');
            }
            b.append(" upstream_time=");
            seconds(b, r.upstreamNanos());
            b.append(" request_time=");
            seconds(b, r.totalNanos());
            if (r.error() != null) {
                b.append(" error=").append(r.error());
            }
        }
    },
    /** One JSON object per line with the same fields, for log shippers. */
    JSON {
        @Override
        void append(AccessRecord r, StringBuilder b) {
            b.append("{\"time\":\"").append(Instant.ofEpochMilli(r.startMillis())).append('"');
            field(b, "client", r.clientAddress());
            field(b, "method", r.method());
            field(b, "uri", r.uri());
            field(b, "protocol", r.protocol());
            field(b, "host", r.host());
            b.append(",\"status\":").append(r.status());
            b.append(",\"bytes_sent\":").append(r.bytesSent());
            field(b, "referer", r.referer());
            field(b, "user_agent", r.userAgent());
            field(b, "upstream", r.upstreamAddress());
            if (r.upstreamStatus() > 0) {
                b.append(",\"upstream_status\":").append(r.upstreamStatus());
            }
            if (r.upstreamNanos() >= 0) {
                b.append(",\"upstream_time\":");
                seconds(b, r.upstreamNanos());
            }
            b.append(",\"request_time\":");
            seconds(b, r.totalNanos());
            field(b, "error", r.error());
            b.append('}');
        }
    };

    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneId.systemDefault());

    abstract void append(AccessRecord record, StringBuilder line);

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    /** Seconds with millisecond resolution, as nginx prints $request_time; "-" when unknown. */
    private static void seconds(StringBuilder b, long nanos) {
        if (nanos < 0) {
            b.append('-');
            return;
        }
        long millis = nanos / 1_000_000;
        b.append(millis / 1000).append('.');
        long frac = millis % 1000;
        if (frac < 100) {
            b.append('0');
        }
        if (frac < 10) {
            b.append('0');
        }
        b.append(frac);
    }

    private static void field(StringBuilder b, String name, String value) {
        if (value == null) {
            return;
        }
        b.append(",\"").append(name).append("\":\"");
        escape(b, value).append('"');
    }

    /**
     * Escapes quotes, backslashes and control characters so a client cannot forge log lines or break
     * the JSON; the same rule serves both formats.
     */
    private static StringBuilder escape(StringBuilder b, String s) {
        if (s == null) {
            return b.append('-');
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                b.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                b.append(c);
            }
        }
        return b;
    }
}
