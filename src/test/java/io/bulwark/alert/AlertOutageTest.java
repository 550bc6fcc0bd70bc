package io.bulwark.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.bulwark.config.AlertChannelConfig;
import io.bulwark.config.AlertRuleConfig;
import io.bulwark.config.AlertsConfig;
import io.bulwark.core.Clock;
import io.bulwark.core.EventBus;
import io.bulwark.core.EventJournal;
import io.bulwark.core.Severity;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alarms through a mail server's outage and through a restart of their own, against a real SMTP server
 * (GreenMail, in this process): nothing raised meanwhile is lost, nothing arrives twice, and the order holds.
 */
class AlertOutageTest {
    @TempDir
    Path spool;
    private GreenMail mail;
    private AlertManager alarms;
    private int port;

    @AfterEach
    void stop() {
        if (alarms != null) {
            alarms.close();
        }
        if (mail != null) {
            mail.stop();
        }
    }

    private void startMail() {
        mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
    }

    private EventBus startAlarms() {
        AlertChannelConfig.Email ops = new AlertChannelConfig.Email("ops", "127.0.0.1", port,
                AlertChannelConfig.Tls.NONE, "", null, "bulwark@example.com", List.of("ops@example.com"),
                Duration.ofSeconds(2));
        AlertRuleConfig rule = new AlertRuleConfig(List.of("**"), Severity.WARNING, List.of("ops"), Duration.ZERO, true,
                0, Duration.ZERO, List.of());
        AlertsConfig config = new AlertsConfig("gw-test", "", Duration.ZERO, 100, Duration.ofMillis(100),
                Duration.ofSeconds(2), Optional.of(spool), Map.of("ops", ops), List.of(rule), List.of());
        EventBus bus = new EventBus();
        EventJournal journal = new EventJournal(1000);
        bus.subscribe(journal);
        alarms = AlertManager.start(config, journal, bus, Clock.system());
        return bus;
    }

    private static void raise(EventBus bus, int n) {
        bus.publish(new NotificationsTest.Change("upstream/app/s" + n, "health", "UP", "DOWN", Severity.CRITICAL,
                true, System.currentTimeMillis()));
    }

    private List<String> subjects() throws Exception {
        List<String> out = new ArrayList<>();
        for (MimeMessage m : mail.getReceivedMessages()) {
            out.add(m.getSubject());
        }
        return out;
    }

    private static List<String> expected(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int n = from; n < to; n++) {
            out.add("[bulwark gw-test] PROBLEM CRITICAL: upstream/app/s" + n + " DOWN");
        }
        return out;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void twentyAlertsRaisedWhileTheMailServerIsDownForThirtySecondsAllArriveInOrderOnce() throws Exception {
        port = freePort();
        EventBus bus = startAlarms(); // the mail server is not there yet
        for (int n = 0; n < 20; n++) {
            raise(bus, n);
            Thread.sleep(100); // twenty separate problems, raised over two seconds: each its own alert
        }
        await().pollDelay(Duration.ofSeconds(28)).atMost(Duration.ofSeconds(29))
                .until(() -> alarms.deliveries().get("ops").failures() > 0);
        startMail();
        await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessages().length >= 20);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> mail.getReceivedMessages().length == 20);
        assertThat(subjects()).containsExactlyElementsOf(expected(0, 20));
        assertThat(alarms.deliveries().get("ops").delivered()).isEqualTo(20);
    }

    @Test
    void alertsLeftInTheSpoolArriveAfterARestart() throws Exception {
        port = freePort();
        EventBus bus = startAlarms();
        for (int n = 0; n < 5; n++) {
            raise(bus, n);
            Thread.sleep(100); // five separate problems, each its own alert
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> alarms.deliveries().get("ops").failures() > 0
                && alarms.deliveries().get("ops").queued() == 5);
        alarms.close(); // the gateway stops with five alerts undelivered

        startMail();
        bus = startAlarms(); // ... and starts again, with the mail server back
        raise(bus, 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> mail.getReceivedMessages().length >= 6);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> mail.getReceivedMessages().length == 6);
        assertThat(subjects()).containsExactlyElementsOf(expected(0, 6));
    }
}
