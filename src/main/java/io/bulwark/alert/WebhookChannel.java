package io.bulwark.alert;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs each alert as JSON ({@link Alert#toJson()}) to a URL, signed as GitHub signs its webhooks when a secret is
 * set: {@code X-Bulwark-Signature: sha256=<hex HMAC-SHA256 of the body>}.
 */
public final class WebhookChannel implements Channel {
    /** The signature header; a receiver recomputes the HMAC over the raw body and compares in constant time. */
    public static final String SIGNATURE_HEADER = "X-Bulwark-Signature";
    /** The header that names the alert, the same when it is sent again, so a receiver can drop duplicates. */
    public static final String ALERT_HEADER = "X-Bulwark-Alert";
    /** How much of a refusing server's answer goes into the error. */
    private static final int ANSWER_CHARS = 200;

    private final String name;
    private final URI url;
    private final SecretKeySpec key;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * @param secret the shared HMAC secret, or null to send unsigned
     * @param timeout how long connecting and the receiver's answer may take
     */
    public WebhookChannel(String name, URI url, String secret, Duration timeout) {
        this.name = Objects.requireNonNull(name, "name");
        this.url = Objects.requireNonNull(url, "url");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (secret != null && secret.isEmpty()) {
            throw new IllegalArgumentException("webhook channel " + name
                    + ": the secret is empty (expected: a secret, or none to send unsigned)");
        }
        this.key = secret == null ? null : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        try {
            HttpRequest.newBuilder(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("webhook channel " + name + ": " + e.getMessage(), e);
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
        // The signature covers these exact bytes; the body is sent from the same array.
        byte[] body = alert.toJson().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header(ALERT_HEADER, alert.id().replaceAll("[\\x00-\\x1f\\x7f]+", " "))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            request.header(SIGNATURE_HEADER, "sha256=" + HexFormat.of().formatHex(hmac(body)));
        }
        exchange(client, request.build(), "webhook via " + shown(url), timeout);
    }

    private byte[] hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException impossible) {
            // Every Java platform has HmacSHA256, and any non-empty key suits it.
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Sends the request and throws unless the answer is 2xx; the error names {@code where}, the status and the
     * start of the answer, or the network's reason. Shared with {@link SmsChannel}, which speaks HTTP the same way.
     */
    static void exchange(HttpClient client, HttpRequest request, String where, Duration timeout)
            throws DeliveryException, InterruptedException {
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new DeliveryException(where + ": no answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new DeliveryException(where + ": " + reason(e), e);
        }
        int status = response.statusCode();
        String answer;
        try (InputStream in = response.body()) {
            if (status >= 200 && status <= 299) {
                return;
            }
            // Enough bytes for the excerpt even in multi-byte UTF-8; a huge error page is not read further.
            answer = excerpt(in.readNBytes(4 * ANSWER_CHARS));
        } catch (IOException e) {
            if (status >= 200 && status <= 299) {
                return;
            }
            answer = "(answer unreadable: " + reason(e) + ")";
        }
        throw new DeliveryException(where + ": " + status + (answer.isEmpty() ? "" : ": " + answer));
    }

    /**
     * The URL without its query and user info, where API keys tend to be, so that it can go into a log; the host
     * and path say enough.
     */
    static String shown(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static String excerpt(byte[] answer) {
        String text = new String(answer, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        return text.length() <= ANSWER_CHARS ? text : text.substring(0, ANSWER_CHARS);
    }

    /** The network's reason: HttpClient often throws a ConnectException without a message around one with. */
    private static String reason(Throwable e) {
        boolean connect = false;
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            connect |= t instanceof ConnectException;
            if (message == null && t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage().strip();
            }
        }
        String what = message == null ? e.getClass().getSimpleName() : message;
        return connect ? "cannot connect: " + what : what;
    }
}
