package io.bulwark.alert;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.bulwark.config.Template;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Sends each alert's one-line summary, cut to fit an SMS, through an HTTP SMS gateway, with the request (URL,
 * headers, body) written as templates in the config so any gateway's API can be followed.
 */
public final class SmsChannel implements Channel {
    private final String name;
    private final URI url;
    private final String method;
    private final Map<String, Template> headers;
    private final Template body;
    private final int maxLength;
    private final Duration timeout;
    private final Template urlTemplate;
    private final UnaryOperator<String> bodyEscape;
    private final HttpClient client;

    /**
     * @param url where the request goes; null when {@code urlTemplate} is given
     * @param method the HTTP method, as the gateway wants it (usually POST; GET for query-string gateways)
     * @param headers request headers; their values may hold placeholders. A {@code Content-Type} naming JSON or
     *     {@code application/x-www-form-urlencoded} makes the body's placeholders escaped for it
     * @param body the request body, or null for none (a GET gateway)
     * @param maxLength the longest text the gateway takes; a longer summary is cut and ends in "…"
     * @param timeout how long connecting and the gateway's answer may take
     * @param urlTemplate the URL with placeholders (percent-encoded into it), for gateways that take the text in
     *     the query string; null when {@code url} is given
     */
    public SmsChannel(String name, URI url, String method, Map<String, Template> headers, Template body,
            int maxLength, Duration timeout, Template urlTemplate) {
        this.name = Objects.requireNonNull(name, "name");
        this.url = url;
        this.method = method.toUpperCase(Locale.ROOT);
        this.headers = new LinkedHashMap<>(headers);
        this.body = body;
        this.maxLength = maxLength;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.urlTemplate = urlTemplate;
        if (maxLength < 1) {
            throw new IllegalArgumentException("sms channel " + name + ": max length " + maxLength
                    + " is too small (expected: at least 1 character)");
        }
        this.bodyEscape = escapeFor(contentType(this.headers));
        if ((url == null) == (urlTemplate == null)) {
            throw new IllegalArgumentException("sms channel " + name + " needs a URL or a URL template (not both)");
        }
        // Fails here, at config time, on a URL template that makes no http(s) URL, a header HttpClient will not
        // send (Host, Content-Length, ...) or a bad method, rather than on the first alert. Placeholders are
        // percent-encoded when filled in, so a template that passes with "x" in them passes with any text.
        try {
            URI sample = url != null ? url : URI.create(urlTemplate.render(Map.of(), v -> "x"));
            HttpRequest.Builder probe = HttpRequest.newBuilder(sample).method(this.method,
                    HttpRequest.BodyPublishers.noBody());
            this.headers.keySet().forEach(h -> probe.header(h, "x"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sms channel " + name + ": " + e.getMessage(), e);
        }
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Alert alert) throws DeliveryException, InterruptedException {
        Map<String, String> values = new HashMap<>(alert.placeholders());
        values.put("summary", cut(alert.summary(), maxLength));
        URI target = urlTemplate == null ? url : URI.create(urlTemplate.render(values, SmsChannel::percentEncode));
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.render(values, bodyEscape), StandardCharsets.UTF_8));
        // A line break from an alert's text must not end a header and start another.
        headers.forEach((h, t) -> request.header(h, t.render(values, v -> v.replaceAll("[\\x00-\\x1f\\x7f]+", " "))));
        WebhookChannel.exchange(client, request.build(), "sms via " + WebhookChannel.shown(target), timeout);
    }

    /** The text cut to {@code max} characters, the last being "…" when cut, never splitting a surrogate pair. */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    private static String contentType(Map<String, Template> headers) {
        return headers.entrySet().stream()
                .filter(h -> h.getKey().equalsIgnoreCase("Content-Type"))
                .map(h -> h.getValue().toString().toLowerCase(Locale.ROOT))
                .findFirst().orElse("");
    }

    private static UnaryOperator<String> escapeFor(String contentType) {
        if (contentType.contains("json")) {
            return v -> new String(JsonStringEncoder.getInstance().quoteAsString(v));
        }
        if (contentType.contains("application/x-www-form-urlencoded")) {
            return v -> URLEncoder.encode(v, StandardCharsets.UTF_8);
        }
        return v -> v;
    }

    /** For a URL: percent-encoding that is right in a path as in a query (a space is %20, not "+"). */
    private static String percentEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
