package io.bulwark.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One way alarms reach people, by its name under {@code alerts.channels}: mail, an SMS gateway, a webhook, a command. */
public sealed interface AlertChannelConfig {
    /** The channel's name. */
    String name();

    /** How long one delivery may take. */
    Duration timeout();

    /** How the mail connection is secured. */
    enum Tls {
        NONE,
        STARTTLS,
        IMPLICIT
    }

    /**
     * Mail through an SMTP server.
     *
     * @param username empty for no AUTH
     * @param password {@code null} without a username
     */
    record Email(String name, String host, int port, Tls tls, String username, Secret password, String from,
            List<String> to, Duration timeout) implements AlertChannelConfig {}

    /**
     * An HTTP SMS gateway: the summary, cut to {@code maxLength}, in a body written as a template.
     *
     * @param token filled in where a template says {@code {{token}}}; {@code null} for none
     */
    record Sms(String name, URI url, String method, Map<String, Template> headers, Template body, int maxLength,
            Secret token, Duration timeout) implements AlertChannelConfig {}

    /**
     * The alert as JSON, POSTed to a URL, signed with HMAC-SHA256 when a secret is set.
     *
     * @param secret {@code null} for no signature
     */
    record Webhook(String name, URI url, Secret secret, Duration timeout) implements AlertChannelConfig {}

    /** A command run with the alert in Nagios-style environment variables and its text on stdin. */
    record Exec(String name, List<String> command, Duration timeout) implements AlertChannelConfig {}
}
