package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AccessLogWriterTest {
    private static AccessRecord record(String uri, String agent, String upstream, int upstreamStatus, long upstreamNanos) {
        return new AccessRecord(1_700_000_000_000L, "127.0.0.1", "GET", uri, "HTTP/1.1", "example.com", 200, 13,
                null, agent, upstream, upstreamStatus, upstreamNanos, 4_200_000L, null);
    }

    private static String written(AccessLogFormat format, AccessRecord... records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLogWriter w = AccessLogWriter.to(out, format);
        for (AccessRecord r : records) {
            w.log(r);
        }
        w.close();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void combinedLineCarriesNginxFieldsAndUpstreamTiming() {
        String line = written(AccessLogFormat.COMBINED, record("/a?b=1", "curl/8", "127.0.0.1:9001", 200, 3_000_000L));
        assertThat(line).matches("127\\.0\\.0\\.1 - - \\[\\d\\d/Nov/2023:\\d\\d:\\d\\d:20 [+-]\\d{4}] \"GET /a\\?b=1 HTTP/1\\.1\" 200 13 "
                + "\"-\" \"curl/8\" upstream=127\\.0\\.0\\.1:9001 upstream_status=200 upstream_time=0\\.003 request_time=0\\.004\n");
    }

    @Test
    void missingUpstreamIsADash() {
        String line = written(AccessLogFormat.COMBINED, record("/", null, null, 0, -1));
        assertThat(line).contains("upstream=- upstream_status=- upstream_time=- request_time=0.004");
    }

    @Test
    void clientControlledFieldsCannotForgeLines() {
        String line = written(AccessLogFormat.COMBINED, record("/x\"\n127.0.0.9 fake", "a\\b", null, 0, -1));
        assertThat(line.lines()).hasSize(1);
        assertThat(line).contains("/x\\\"\\u000a127.0.0.9 fake").contains("\"a\\\\b\"");
    }

    @Test
    void jsonLineIsOneObjectWithTheSameFields() {
        String line = written(AccessLogFormat.JSON, record("/q\"", "ua", "10.0.0.1:80", 503, 12_000_000L));
        assertThat(line).startsWith("{\"time\":\"2023-11-14T22:13:20Z\"").endsWith("}\n")
                .contains("\"uri\":\"/q\\\"\"", "\"status\":200", "\"upstream\":\"10.0.0.1:80\"",
                        "\"upstream_status\":503", "\"upstream_time\":0.012", "\"request_time\":0.004");
    }

    @Test
    void everyRecordIsWrittenInOrder() {
        AccessRecord[] many = new AccessRecord[5_000];
        for (int i = 0; i < many.length; i++) {
            many[i] = record("/" + i, null, null, 0, -1);
        }
        String out = written(AccessLogFormat.COMBINED, many);
        assertThat(out.lines()).hasSize(5_000);
        assertThat(out.lines().skip(4_999).findFirst()).get().asString().contains("\"GET /4999 ");
    }

    @Test
    void writerFlushesWithoutBeingClosed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLogWriter w = AccessLogWriter.to(out, AccessLogFormat.COMBINED);
        w.log(record("/live", null, null, 0, -1));
        await().atMost(Duration.ofSeconds(2)).until(() -> out.toString(StandardCharsets.UTF_8).contains("/live"));
        w.close();
    }
}
