package io.bulwark.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.bulwark.core.Severity;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Mail alerts through a real SMTP server (GreenMail, in this process): what arrives, AUTH, TLS and failures. */
class EmailChannelTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String PASSWORD = "pa55-w0rd-xyzzy";
    private GreenMail greenMail;

    @AfterEach
    void stop() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    static Alert alert() {
        long time = Instant.parse("2026-12-07T00:41:02Z").toEpochMilli();
        return new Alert("a-7f3c", Alert.Kind.PROBLEM, Severity.CRITICAL, "gw1", time,
                List.of(new Alert.Item("upstream/app/10.0.0.5:8080", "UP", "DOWN", Severity.CRITICAL, time - 4000,
                        "L4 refused (3/3) — café")),
                "http://127.0.0.1:9901/");
    }

    private int start(String protocol) {
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", protocol));
        greenMail.start();
        return protocol.equals(ServerSetup.PROTOCOL_SMTPS) ? greenMail.getSmtps().getPort()
                : greenMail.getSmtp().getPort();
    }

    private static EmailChannel channel(SmtpSettings smtp, String... to) {
        return new EmailChannel("ops-mail", smtp, "bulwark@gw1.example.com", List.of(to));
    }

    private static SmtpSettings plain(int port) {
        return new SmtpSettings("127.0.0.1", port, SmtpSettings.Tls.NONE, null, null, TIMEOUT);
    }

    @Test
    void mailArrivesWithSubjectSenderEveryRecipientBodyAndAlertHeader() throws Exception {
        int port = start(ServerSetup.PROTOCOL_SMTP);
        Alert alert = alert();

        channel(plain(port), "ops@example.com", "oncall@example.org").deliver(alert);

        MimeMessage[] received = greenMail.getReceivedMessages();
        // GreenMail keeps one copy per recipient mailbox.
        assertThat(received).hasSize(2);
        for (MimeMessage m : received) {
            assertThat(m.getSubject()).isEqualTo(alert.subject());
            assertThat(m.getFrom()).containsExactly(new InternetAddress("bulwark@gw1.example.com"));
            assertThat(Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(Object::toString))
                    .containsExactly("ops@example.com", "oncall@example.org");
            assertThat(m.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
            assertThat(((String) m.getContent()).replace("\r\n", "\n")).isEqualTo(alert.body().stripTrailing());
            assertThat(m.getHeader(EmailChannel.ALERT_HEADER)).containsExactly("a-7f3c");
        }
    }

    @Test
    void authenticatesAsAUserTheServerKnows() throws Exception {
        int port = start(ServerSetup.PROTOCOL_SMTP);
        greenMail.setUser("alerts@example.com", "alerts", PASSWORD);

        channel(new SmtpSettings("127.0.0.1", port, SmtpSettings.Tls.NONE, "alerts", PASSWORD, TIMEOUT),
                "ops@example.com").deliver(alert());

        assertThat(greenMail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void wrongPasswordFailsWithTheServersReplyButNotThePassword() {
        int port = start(ServerSetup.PROTOCOL_SMTP);
        greenMail.setUser("alerts@example.com", "alerts", "the-right-one");
        EmailChannel channel = channel(
                new SmtpSettings("127.0.0.1", port, SmtpSettings.Tls.NONE, "alerts", PASSWORD, TIMEOUT),
                "ops@example.com");

        assertThatThrownBy(() -> channel.deliver(alert()))
                .isInstanceOf(DeliveryException.class)
                // GreenMail's reply, word for word.
                .hasMessage("mail to ops@example.com via 127.0.0.1:" + port
                        + ": 535 5.7.8  Authentication credentials invalid")
                .hasMessageNotContaining(PASSWORD);
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void stoppedServerIsRefusedConnection() {
        int port = start(ServerSetup.PROTOCOL_SMTP);
        greenMail.stop();
        EmailChannel channel = channel(plain(port), "ops@example.com");

        assertThatThrownBy(() -> channel.deliver(alert()))
                .isInstanceOf(DeliveryException.class)
                .hasMessage("mail to ops@example.com via 127.0.0.1:" + port + ": cannot connect: Connection refused");
    }

    @Test
    void implicitTlsDeliversWhenTheCertificateIsTrusted() throws Exception {
        int port = start(ServerSetup.PROTOCOL_SMTPS);

        channel(new SmtpSettings("127.0.0.1", port, SmtpSettings.Tls.IMPLICIT, null, null, TIMEOUT, true),
                "ops@example.com").deliver(alert());

        assertThat(greenMail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void implicitTlsRefusesAnUntrustedCertificate() {
        int port = start(ServerSetup.PROTOCOL_SMTPS);
        EmailChannel channel = channel(
                new SmtpSettings("127.0.0.1", port, SmtpSettings.Tls.IMPLICIT, null, null, TIMEOUT), "ops@example.com");

        assertThatThrownBy(() -> channel.deliver(alert()))
                .isInstanceOf(DeliveryException.class)
                .hasMessageStartingWith("mail to ops@example.com via 127.0.0.1:" + port + ": TLS failed: ")
                .hasMessageContaining("certification path");
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void starttlsNeverFallsBackToPlainTextWhenTheServerDoesNotOfferIt() {
        int port = start(ServerSetup.PROTOCOL_SMTP);
        EmailChannel channel = channel(
                new SmtpSettings("127.0.0.1", port, SmtpSettings.Tls.STARTTLS, null, null, TIMEOUT, true),
                "ops@example.com");

        assertThatThrownBy(() -> channel.deliver(alert()))
                .isInstanceOf(DeliveryException.class)
                .hasMessageContaining("STARTTLS is required but host does not support STARTTLS");
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void interruptEndsADeliveryStuckOnASilentServer() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            silent.setSoTimeout(5000);
            EmailChannel channel = channel(new SmtpSettings("127.0.0.1", silent.getLocalPort(), SmtpSettings.Tls.NONE,
                    null, null, Duration.ofSeconds(60)), "ops@example.com");
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread delivery = Thread.ofPlatform().name("delivery").start(() -> {
                try {
                    channel.deliver(alert());
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            // The server accepts and never greets, so the client waits for the 220 until interrupted.
            try (Socket accepted = silent.accept()) {
                delivery.interrupt();
                assertThat(delivery.join(Duration.ofSeconds(5))).as("deliver returned").isTrue();
                assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
                accepted.setSoTimeout(5000);
                try (InputStream in = accepted.getInputStream()) {
                    assertThat(in.read()).as("client closed its connection").isEqualTo(-1);
                }
            }
        }
    }

    @Test
    void aSenderThatIsNoMailAddressIsRefusedAtConstruction() {
        assertThatThrownBy(() -> new EmailChannel("ops-mail", plain(25), "not an address", List.of("ops@example.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ops-mail")
                .hasMessageContaining("'not an address'");
    }

    @Test
    void settingsNeverShowThePassword() {
        SmtpSettings smtp = new SmtpSettings("smtp.example.com", 587, SmtpSettings.Tls.STARTTLS, "alerts", PASSWORD,
                TIMEOUT);

        assertThat(smtp.toString()).contains("smtp.example.com:587", "alerts").doesNotContain(PASSWORD);
    }
}
