package io.bulwark.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.AlertRuleConfig;
import io.bulwark.config.AlertsConfig;
import io.bulwark.config.MaintenanceWindow;
import io.bulwark.core.Event;
import io.bulwark.core.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who is told what, in virtual time: each alert that leaves, written as "kind severity sources -> channels". */
class NotificationsTest {
    private static final long T0 = 1_700_000_000_000L;
    private long now = T0;
    private Notifications n;
    private final List<String> sent = new ArrayList<>();

    /** A state change of a source, as any publisher would make it. */
    record Change(String source, String aspect, String previous, String current, Severity severity, boolean lasting,
            long timestampMillis) implements Event {
        @Override
        public String reason() {
            return previous + " to " + current;
        }

        @Override
        public String describe() {
            return "(" + source + ") " + reason();
        }
    }

    private void start(List<AlertRuleConfig> rules, List<MaintenanceWindow> windows) {
        n = Notifications.of(new AlertsConfig("gw1", "", Duration.ofSeconds(2), 100, Duration.ofSeconds(1),
                Duration.ofMinutes(5), Optional.empty(), java.util.Map.of(), rules, windows));
    }

    private static AlertRuleConfig rule(List<String> sources, Severity min, List<String> channels, Duration interval) {
        return new AlertRuleConfig(sources, min, channels, interval, true, 0, Duration.ZERO, List.of());
    }

    private void event(String source, String current, Severity s) {
        event(source, "health", current, s, true);
    }

    private void event(String source, String aspect, String current, Severity s, boolean lasting) {
        n.on(new Change(source, aspect, "was", current, s, lasting, now), now);
    }

    /** Lets {@code d} pass in steps of a second, ticking and sending what is due. */
    private void pass(Duration d) {
        long end = now + d.toMillis();
        while (now < end) {
            now = Math.min(end, now + 1000);
            n.tick(now);
            for (Notifications.Outgoing o : n.due(now, false)) {
                sent.add(((now - T0) / 1000) + "s " + o.alert().kind() + " " + o.alert().severity().label() + " "
                        + o.alert().items().stream().map(i -> i.source() + "=" + i.current()).toList() + " -> "
                        + o.channels().stream().sorted().toList());
            }
        }
    }

    @Test
    void aProblemIsToldOnceRemindedEveryIntervalAndItsEndTold() {
        // Each alert leaves group_wait (2 s) after it is due.
        start(List.of(rule(List.of("upstream/**"), Severity.WARNING, List.of("mail"), Duration.ofMinutes(10))), List.of());
        event("upstream/app/a", "DOWN", Severity.CRITICAL);
        pass(Duration.ofMinutes(25));
        event("upstream/app/a", "UP", Severity.OK);
        pass(Duration.ofSeconds(5));

        assertThat(sent).containsExactly(
                "2s PROBLEM critical [upstream/app/a=DOWN] -> [mail]",
                "602s REMINDER critical [upstream/app/a=DOWN] -> [mail]",
                "1202s REMINDER critical [upstream/app/a=DOWN] -> [mail]",
                "1502s RECOVERY ok [upstream/app/a=UP] -> [mail]");
    }

    @Test
    void tenSourcesFailingWithinTheGroupWaitAreOneAlert() {
        start(List.of(rule(List.of("**"), Severity.WARNING, List.of("mail", "sms"), Duration.ZERO)), List.of());
        for (int i = 0; i < 10; i++) {
            event("upstream/app/s" + i, "DOWN", Severity.CRITICAL);
            now += 150; // all ten within 1.5 s of the first
        }
        pass(Duration.ofSeconds(5));

        assertThat(sent).singleElement().asString().startsWith("2s PROBLEM critical [upstream/app/s0=DOWN, ")
                .contains("upstream/app/s9=DOWN").endsWith("-> [mail, sms]");
    }

    @Test
    void twoAspectsOfOneSourceAreOneIncident() {
        // Passive detection ejects the server, then active checks take it down: one problem, told once.
        start(List.of(rule(List.of("**"), Severity.WARNING, List.of("mail"), Duration.ZERO)), List.of());
        event("upstream/app/a", "ejection", "EJECTED", Severity.CRITICAL, true);
        event("upstream/app/a", "health", "DOWN", Severity.CRITICAL, true);
        pass(Duration.ofSeconds(30));
        event("upstream/app/a", "ejection", "SERVING", Severity.OK, true);
        pass(Duration.ofSeconds(5));
        assertThat(sent).as("still DOWN: no recovery yet").hasSize(1);
        event("upstream/app/a", "health", "UP", Severity.OK, true);
        pass(Duration.ofSeconds(5));

        assertThat(sent).containsExactly("2s PROBLEM critical [upstream/app/a=EJECTED] -> [mail]",
                "37s RECOVERY ok [upstream/app/a=UP] -> [mail]");
    }

    @Test
    void aProblemThatEndsBeforeItLeavesIsNotToldAtAll() {
        start(List.of(rule(List.of("**"), Severity.WARNING, List.of("mail"), Duration.ZERO)), List.of());
        event("upstream/app/a", "DOWN", Severity.CRITICAL);
        now += 500;
        event("upstream/app/a", "UP", Severity.OK);
        pass(Duration.ofSeconds(10));
        assertThat(sent).isEmpty();
    }

    @Test
    void rulesRouteBySourceAndSeverityAndEscalateAfterTwoNotifications() {
        AlertRuleConfig ops = new AlertRuleConfig(List.of("upstream/**", "vrrp/*"), Severity.WARNING, List.of("mail"),
                Duration.ofMinutes(5), true, 2, Duration.ZERO, List.of("boss"));
        AlertRuleConfig pager = rule(List.of("vrrp/*"), Severity.CRITICAL, List.of("sms"), Duration.ZERO);
        start(List.of(ops, pager), List.of());
        event("vrrp/VI_1", "state", "FAULT", Severity.CRITICAL, true);
        event("monitor/disk", "", "WARNING", Severity.WARNING, true); // no rule covers it
        pass(Duration.ofMinutes(11));

        assertThat(sent).containsExactly(
                "2s PROBLEM critical [vrrp/VI_1=FAULT] -> [mail]",
                "2s PROBLEM critical [vrrp/VI_1=FAULT] -> [sms]",
                "302s REMINDER critical [vrrp/VI_1=FAULT] -> [mail]",
                "602s REMINDER critical [vrrp/VI_1=FAULT] -> [boss, mail]");
    }

    @Test
    void aNoticeIsToldOnceWithoutReminderOrRecovery() {
        start(List.of(rule(List.of("**"), Severity.WARNING, List.of("mail"), Duration.ofMinutes(1))), List.of());
        event("vrrp/VI_1", "state", "MASTER", Severity.WARNING, false);
        pass(Duration.ofMinutes(5));
        assertThat(sent).containsExactly("2s PROBLEM warning [vrrp/VI_1=MASTER] -> [mail]");
    }

    @Test
    void anAcknowledgedProblemIsNotRemindedButItsEndIsTold() {
        start(List.of(rule(List.of("**"), Severity.WARNING, List.of("mail"), Duration.ofMinutes(1))), List.of());
        event("upstream/app/a", "DOWN", Severity.CRITICAL);
        pass(Duration.ofSeconds(30));
        assertThat(n.acknowledge("upstream/app/a")).isTrue();
        assertThat(n.acknowledge("upstream/app/b")).isFalse();
        pass(Duration.ofMinutes(5));
        event("upstream/app/a", "UP", Severity.OK);
        pass(Duration.ofSeconds(5));
        assertThat(sent).containsExactly("2s PROBLEM critical [upstream/app/a=DOWN] -> [mail]",
                "332s RECOVERY ok [upstream/app/a=UP] -> [mail]");
    }

    @Test
    void aFlappingSourceIsToldWhenItStartsAndStopsAndOwesWhatWasLeft() {
        start(List.of(rule(List.of("**"), Severity.WARNING, List.of("mail"), Duration.ZERO)), List.of());
        event("monitor/web", "", "CRITICAL", Severity.CRITICAL, true);
        pass(Duration.ofSeconds(5));
        event("monitor/web", Event.FLAPPING, "FLAPPING", Severity.WARNING, true);
        for (int i = 0; i < 10; i++) {
            pass(Duration.ofSeconds(5));
            event("monitor/web", "", i % 2 == 0 ? "OK" : "CRITICAL", i % 2 == 0 ? Severity.OK : Severity.CRITICAL, true);
        }
        event("monitor/web", "", "OK", Severity.OK, true);
        pass(Duration.ofSeconds(5));
        event("monitor/web", Event.FLAPPING, "STEADY", Severity.OK, true);
        pass(Duration.ofSeconds(5));

        assertThat(sent).containsExactly(
                "2s PROBLEM critical [monitor/web=CRITICAL] -> [mail]",
                "7s FLAPPING_START warning [monitor/web=FLAPPING] -> [mail]",
                "62s FLAPPING_STOP ok [monitor/web=STEADY] -> [mail]",
                "62s RECOVERY ok [monitor/web=OK] -> [mail]");
    }

    @Test
    void aMaintenanceWindowSilencesItsSourcesAndAProblemLeftAtItsEndIsTold() {
        Instant from = Instant.ofEpochMilli(T0);
        start(List.of(rule(List.of("**"), Severity.WARNING, List.of("mail"), Duration.ZERO)),
                List.of(new MaintenanceWindow(List.of("upstream/app/*"), from, from.plusSeconds(60), "upgrade")));
        assertThat(n.silenceChanges(now)).singleElement().satisfies(e -> assertThat(e.describe())
                .isEqualTo("(alert/silence) upstream/app/*: silenced until 2023-11-14T22:14:20Z by config: upgrade"));
        event("upstream/app/a", "DOWN", Severity.CRITICAL);
        event("upstream/other/b", "DOWN", Severity.CRITICAL);
        pass(Duration.ofSeconds(90));
        assertThat(n.silenceChanges(now)).singleElement().satisfies(e -> assertThat(e.current()).isEqualTo("TOLD"));

        assertThat(sent).containsExactly("2s PROBLEM critical [upstream/other/b=DOWN] -> [mail]",
                "62s PROBLEM critical [upstream/app/a=DOWN] -> [mail]");
    }

    @Test
    void theAlarmsOwnEventsAreNeverAlertedOn() {
        start(List.of(rule(List.of("**"), Severity.INFO, List.of("mail"), Duration.ZERO)), List.of());
        event("alert/mail", "", "FAILED", Severity.CRITICAL, true);
        pass(Duration.ofSeconds(5));
        assertThat(sent).isEmpty();
    }
}
