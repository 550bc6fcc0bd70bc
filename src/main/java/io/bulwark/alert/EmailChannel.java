package io.bulwark.alert;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import javax.net.ssl.SSLException;

/**
 * Sends each alert as a plain-text mail through one SMTP server (Jakarta Mail), to all recipients at once, with an
 * {@code X-Bulwark-Alert} header carrying the alert's id so a receiver can spot a redelivery.
 */
public final class EmailChannel implements Channel {
    /** The header that names the alert; unlike Message-ID it is the same when the alert is sent again. */
    public static final String ALERT_HEADER = "X-Bulwark-Alert";
    /** How long an interrupted send may take to give up its connection before deliver returns anyway. */
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(2);

    private final String name;
    private final SmtpSettings smtp;
    private final InternetAddress from;
    private final InternetAddress[] to;
    private final Session session;
    private final String where;

    /**
     * @param from the sender's address, as the recipients see it and as the envelope sender
     * @param to the recipients, at least one
     * @throws IllegalArgumentException when an address is not a mail address
     */
    public EmailChannel(String name, SmtpSettings smtp, String from, List<String> to) {
        this.name = Objects.requireNonNull(name, "name");
        this.smtp = Objects.requireNonNull(smtp, "smtp");
        if (to.isEmpty()) {
            throw new IllegalArgumentException("mail channel " + name + " has no recipients (expected: at least one)");
        }
        this.from = address(from, "sender");
        this.to = to.stream().map(a -> address(a, "recipient")).toArray(InternetAddress[]::new);
        this.session = Session.getInstance(properties(smtp));
        this.where = "mail to " + String.join(", ", to) + " via " + smtp.address();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Alert alert) throws DeliveryException, InterruptedException {
        MimeMessage message;
        try {
            message = compose(alert);
        } catch (MessagingException e) {
            throw new DeliveryException(where + ": cannot compose the message: " + reason(e), e);
        }
        // Jakarta Mail's blocking socket calls ignore a platform thread's interrupt, but on a virtual thread an
        // interrupt closes the socket at once: so the send runs on one, and an interrupt here is passed on to it.
        FutureTask<Void> send = new FutureTask<>(() -> {
            send(message);
            return null;
        });
        Thread sender = Thread.ofVirtual().name("mail-" + name).start(send);
        try {
            send.get();
        } catch (InterruptedException e) {
            send.cancel(true);
            sender.join(CANCEL_GRACE);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new DeliveryException(where + ": " + reason(cause), cause);
        }
    }

    private MimeMessage compose(Alert alert) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(from);
        message.setRecipients(Message.RecipientType.TO, to);
        message.setSubject(alert.subject(), StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());
        message.setText(alert.body(), StandardCharsets.UTF_8.name());
        // A line break in the id would end the header and start another.
        message.setHeader(ALERT_HEADER, alert.id().replaceAll("[\\r\\n]+", " "));
        message.saveChanges();
        return message;
    }

    private void send(MimeMessage message) throws MessagingException {
        Transport transport = session.getTransport("smtp");
        try {
            if (smtp.username() == null) {
                transport.connect();
            } else {
                transport.connect(smtp.host(), smtp.port(), smtp.username(), smtp.password());
            }
            transport.sendMessage(message, to);
        } finally {
            try {
                transport.close();
            } catch (MessagingException e) {
                // The mail went (or the failure is already being reported); a failed QUIT changes neither.
            }
        }
    }

    private static Properties properties(SmtpSettings smtp) {
        String millis = Long.toString(smtp.timeout().toMillis());
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", smtp.host());
        p.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
        p.setProperty("mail.smtp.connectiontimeout", millis);
        p.setProperty("mail.smtp.timeout", millis);
        p.setProperty("mail.smtp.writetimeout", millis);
        switch (smtp.tls()) {
            case NONE -> { }
            case STARTTLS -> {
                p.setProperty("mail.smtp.starttls.enable", "true");
                // Without this a server that does not offer STARTTLS would get the mail, and the password, in clear.
                p.setProperty("mail.smtp.starttls.required", "true");
            }
            case IMPLICIT -> p.setProperty("mail.smtp.ssl.enable", "true");
        }
        if (smtp.trustAnyCertificate()) {
            p.setProperty("mail.smtp.ssl.trust", "*");
            p.setProperty("mail.smtp.ssl.checkserveridentity", "false");
        } else {
            p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        }
        if (smtp.username() != null) {
            p.setProperty("mail.smtp.auth", "true");
        }
        return p;
    }

    private InternetAddress address(String text, String role) {
        try {
            InternetAddress a = new InternetAddress(Objects.requireNonNull(text, role), true);
            a.validate();
            return a;
        } catch (AddressException e) {
            throw new IllegalArgumentException("mail channel " + name + ": " + role + " '" + text
                    + "' is not a mail address: " + e.getMessage(), e);
        }
    }

    /**
     * What went wrong, on one line: the network's or TLS's reason when the connection failed, else the server's
     * reply (code and text), which Jakarta Mail puts in the outer exception and, per refused recipient, the next.
     */
    private String reason(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            root = t;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            switch (t) {
                case ConnectException c -> {
                    return "cannot connect: " + message(c);
                }
                case UnknownHostException u -> {
                    return "unknown host: " + message(u);
                }
                case SocketTimeoutException s -> {
                    return "no answer within " + smtp.timeout().toMillis() + " ms: " + message(s);
                }
                // The innermost cause says why the handshake failed; the outer ones only that it did.
                case SSLException s -> {
                    return "TLS failed: " + message(root);
                }
                default -> { }
            }
        }
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
            String text = message(t);
            if (parts.stream().noneMatch(p -> p.contains(text))) {
                parts.add(text);
            }
        }
        return String.join(": ", parts);
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
