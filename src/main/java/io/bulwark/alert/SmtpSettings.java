package io.bulwark.alert;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link EmailChannel} reaches its mail server: where, with which TLS, as whom, how long it waits.
 *
 * @param username the AUTH login, or null (or empty) when the server takes mail without AUTH
 * @param password the AUTH password, or null with no username; never shown by {@link #toString()}
 * @param timeout how long connecting, each reply and each write may take
 * @param trustAnyCertificate accept the server's certificate without checking it or its host name: for tests and
 *     for servers behind a private CA that the JVM's trust store does not know; off in any other case
 */
public record SmtpSettings(String host, int port, Tls tls, String username, String password, Duration timeout,
        boolean trustAnyCertificate) {

    /** How the connection to the mail server is protected. */
    public enum Tls {
        /** Plain text; for a relay on the same host or network only. */
        NONE,
        /** Plain connection upgraded by STARTTLS, which the server must offer (port 587). */
        STARTTLS,
        /** TLS from the first byte (port 465). */
        IMPLICIT
    }

    public SmtpSettings {
        Objects.requireNonNull(host, "host");
        if (username != null && username.isEmpty()) {
            username = null;
        }
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(timeout, "timeout");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SMTP port " + port + " is out of range (expected: 1..65535)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("SMTP timeout " + timeout + " is not positive");
        }
        if (username == null && password != null) {
            throw new IllegalArgumentException("SMTP password without a username (expected: both or neither)");
        }
    }

    /** Settings that check the server's certificate, as anything but a test should. */
    public SmtpSettings(String host, int port, Tls tls, String username, String password, Duration timeout) {
        this(host, port, tls, username, password, timeout, false);
    }

    /** {@code host:port}, as error messages name the server. */
    public String address() {
        return host + ":" + port;
    }

    // The record's own toString would print the password into any log line that prints the settings.
    @Override
    public String toString() {
        return "SmtpSettings[" + address() + ", tls=" + tls + ", username=" + username + ", password="
                + (password == null ? "none" : "(hidden)") + ", timeout=" + timeout + ", trustAnyCertificate="
                + trustAnyCertificate + "]";
    }
}
