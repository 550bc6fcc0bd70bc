package io.bulwark.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.alert.WebhookChannelTest.RecordingServer;
import io.bulwark.config.Template;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SMS alerts against a real HTTP server standing in for the gateway: templates, escaping, the cut, refusals. */
class SmsChannelTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Quotes and an ampersand: what breaks a JSON or form body when put in unescaped. */
    private static final Alert ALERT = WebhookChannelTest.alert("L7 said \"503 busy\" & closed — café");
    private RecordingServer server;

    @BeforeEach
    void start() throws IOException {
        server = new RecordingServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SmsChannel post(String contentType, String body, int maxLength) {
        Map<String, Template> headers = new LinkedHashMap<>();
        headers.put("Content-Type", Template.parse(contentType));
        headers.put("X-Api-Key", Template.parse("key-123"));
        return new SmsChannel("pager", server.uri("/send"), "POST", headers, Template.parse(body), maxLength, TIMEOUT,
                null);
    }

    private static Map<String, String> form(String text) {
        return Arrays.stream(text.split("&")).map(p -> p.split("=", 2)).collect(Collectors.toMap(
                p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }

    @Test
    void jsonBodyHasTheSummaryJsonEscaped() throws Exception {
        post("application/json; charset=utf-8", "{\"to\":\"+15550100\",\"text\":\"{{summary}}\",\"from\":\"{{node}}\"}",
                1000).deliver(ALERT);

        RecordingServer.Request r = server.only();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.uri().getPath()).isEqualTo("/send");
        assertThat(r.header("X-Api-Key")).isEqualTo("key-123");
        assertThat(r.text()).contains("\\\"503 busy\\\" & closed");
        var json = new ObjectMapper().readTree(r.body());
        assertThat(json.get("text").asText()).isEqualTo(ALERT.summary());
        assertThat(json.get("from").asText()).isEqualTo("gw1");
        assertThat(json.get("to").asText()).isEqualTo("+15550100");
    }

    @Test
    void formBodyHasTheSummaryFormEncoded() throws Exception {
        post("application/x-www-form-urlencoded", "to=%2B15550100&text={{summary}}", 1000).deliver(ALERT);

        String body = server.only().text();
        assertThat(body).doesNotContain("\"").contains("%26").contains("%22");
        assertThat(form(body)).containsExactlyInAnyOrderEntriesOf(Map.of("to", "+15550100", "text", ALERT.summary()));
    }

    @Test
    void otherBodiesTakeTheSummaryAsItIs() throws Exception {
        post("text/plain; charset=utf-8", "{{summary}}", 1000).deliver(ALERT);

        assertThat(server.only().text()).isEqualTo(ALERT.summary());
    }

    @Test
    void aLongSummaryIsCutToMaxLengthEndingInAnEllipsis() throws Exception {
        assertThat(ALERT.summary().length()).isGreaterThan(40);

        post("text/plain; charset=utf-8", "{{summary}}", 40).deliver(ALERT);

        String text = server.only().text();
        assertThat(text).hasSize(40).endsWith("…").isEqualTo(ALERT.summary().substring(0, 39) + "…");
    }

    @Test
    void aSummaryThatFitsIsNotCut() throws Exception {
        int length = ALERT.summary().length();

        post("text/plain; charset=utf-8", "{{summary}}", length).deliver(ALERT);

        assertThat(server.only().text()).isEqualTo(ALERT.summary()).doesNotContain("…");
    }

    @Test
    void aUrlTemplateCarriesThePercentEncodedSummaryInTheQuery() throws Exception {
        Template url = Template.parse("http://127.0.0.1:" + server.port() + "/send?to=%2B15550100&text={{summary}}");

        new SmsChannel("pager", null, "GET", Map.of(), null, 1000, TIMEOUT, url).deliver(ALERT);

        RecordingServer.Request r = server.only();
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.body()).isEmpty();
        assertThat(form(r.uri().getRawQuery())).containsEntry("text", ALERT.summary());
    }

    @Test
    void a503IsADeliveryFailureWithTheStatusAndTheStartOfTheAnswer() {
        server.status = 503;
        server.answer = "{\"error\":\"busy\"}";
        SmsChannel channel = post("application/json", "{\"text\":\"{{summary}}\"}", 160);

        assertThatThrownBy(() -> channel.deliver(ALERT))
                .isInstanceOf(DeliveryException.class)
                .hasMessage("sms via http://127.0.0.1:" + server.port() + "/send: 503: {\"error\":\"busy\"}");
    }

    @Test
    void aRefusalNeverShowsTheQueryWhereGatewaysTakeTheirApiKey() {
        server.status = 401;
        server.answer = "bad key";
        Template url = Template.parse("http://127.0.0.1:" + server.port() + "/send?key=SECRET-KEY&text={{summary}}");
        SmsChannel channel = new SmsChannel("pager", null, "GET", Map.of(), null, 160, TIMEOUT, url);

        assertThatThrownBy(() -> channel.deliver(ALERT))
                .isInstanceOf(DeliveryException.class)
                .hasMessage("sms via http://127.0.0.1:" + server.port() + "/send: 401: bad key");
    }

    @Test
    void aStoppedGatewayIsADeliveryFailureSayingTheConnectionFailed() {
        SmsChannel channel = post("application/json", "{\"text\":\"{{summary}}\"}", 160);
        URI gone = server.uri("/send");
        server.close();

        assertThatThrownBy(() -> channel.deliver(ALERT))
                .isInstanceOf(DeliveryException.class)
                .hasMessageStartingWith("sms via " + gone + ": cannot connect");
    }

    @Test
    void aHeaderHttpClientWillNotSendIsAConfigError() {
        assertThatThrownBy(() -> new SmsChannel("pager", server.uri("/send"), "POST",
                Map.of("Content-Length", Template.parse("3")), Template.parse("{{summary}}"), 160, TIMEOUT, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pager");
    }
}
