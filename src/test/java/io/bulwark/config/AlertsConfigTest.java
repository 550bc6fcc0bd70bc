package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.core.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code alerts:}: channels, rules and windows, secrets from files, and every mistake at its line and column. */
class AlertsConfigTest {
    private static final String BASE = """
            listeners: [{ name: web, bind: ":0" }]
            routes: [{ upstream: app }]
            upstreams: { app: { servers: [{ address: "127.0.0.1:9001" }] } }
            alerts:
            """;

    @TempDir
    Path dir;

    private static Config load(String alerts) throws Exception {
        return ConfigLoader.parse("app.yaml", BASE + alerts);
    }

    private static List<String> problems(String alerts) {
        return ConfigProblems.of(BASE + alerts);
    }

    @Test
    void everyChannelTypeAndARuleAreRead() throws Exception {
        Path password = Files.writeString(dir.resolve("smtp.pass"), "s3cret\n");
        AlertsConfig a = load("""
                  node: gw1
                  group_wait: 3s
                  spool_dir: %s
                  channels:
                    mail: { type: email, host: smtp.example.com, username: bulwark, password: { file: %s },
                            from: bulwark@example.com, to: [ops@example.com, b@example.com] }
                    sms: { type: sms, url: "https://sms.example.com/send", headers: { X-Key: "{{token}}" },
                           body: "{{summary}}", max_length: 70, token: plain-token }
                    hook: { type: webhook, url: "https://hooks.example.com/b", secret: hook-secret }
                    page: { type: exec, command: "/usr/local/bin/page --now" }
                  rules:
                    - sources: ["upstream/**"]
                      min_severity: critical
                      channels: [mail, hook]
                      notification_interval: 30m
                      escalate: { after: 3, to: [sms, page] }
                  maintenance:
                    - sources: ["upstream/app/*"]
                      from: 2026-12-08T02:00:00Z
                      until: 2026-12-08T11:00:00+08:00
                      reason: upgrade
                """.formatted(dir, password)).alerts();
        assertThat(a.node()).isEqualTo("gw1");
        assertThat(a.groupWait()).isEqualTo(Duration.ofSeconds(3));
        assertThat(a.spoolDir()).contains(dir.toAbsolutePath());
        AlertChannelConfig.Email mail = (AlertChannelConfig.Email) a.channels().get("mail");
        assertThat(mail.port()).as("starttls by default, on 587").isEqualTo(587);
        assertThat(mail.password().reveal()).isEqualTo("s3cret");
        assertThat(mail.password().toString()).isEqualTo("(secret from file " + password + ")").doesNotContain("s3cret");
        assertThat(mail.to()).containsExactly("ops@example.com", "b@example.com");
        AlertChannelConfig.Sms sms = (AlertChannelConfig.Sms) a.channels().get("sms");
        assertThat(sms.maxLength()).isEqualTo(70);
        assertThat(sms.headers().get("X-Key").with("token", sms.token().reveal()).render(Map.of())).isEqualTo("plain-token");
        assertThat(((AlertChannelConfig.Exec) a.channels().get("page")).command()).containsExactly("/usr/local/bin/page", "--now");
        AlertRuleConfig rule = a.rules().getFirst();
        assertThat(rule.minSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(rule.notificationInterval()).isEqualTo(Duration.ofMinutes(30));
        assertThat(rule.escalateAfter()).isEqualTo(3);
        assertThat(rule.escalateTo()).containsExactly("sms", "page");
        assertThat(a.maintenance().getFirst().until()).as("11:00 at +08:00").isEqualTo(Instant.parse("2026-12-08T03:00:00Z"));
    }

    @Test
    void aRuleNamingAChannelThatDoesNotExistIsReported() {
        assertThat(problems("""
                  channels: { mail: { type: email, host: h, from: a@b.c, to: [d@e.f] } }
                  rules: [{ channels: [mial] }]
                """)).singleElement().asString()
                .isEqualTo("app.yaml:6:24: alerts.rules[0].channels[0]: no channel named 'mial' (did you mean 'mail'?)");
    }

    @Test
    void aTemplateWithAnUnknownPlaceholderIsReported() {
        assertThat(problems("""
                  channels: { sms: { type: sms, url: "http://sms/", body: "{{sumary}} {{source}}" } }
                """)).singleElement().asString()
                .contains("alerts.channels.sms.body: unknown placeholder {{sumary}} (did you mean 'summary'?)");
    }

    @Test
    void aSecretFromAMissingEnvironmentVariableIsReportedWithoutAValue() {
        assertThat(problems("""
                  channels: { hook: { type: webhook, url: "http://h/", secret: { env: BULWARK_TEST_NO_SUCH_VAR } } }
                """)).singleElement().asString()
                .contains("alerts.channels.hook.secret.env: BULWARK_TEST_NO_SUCH_VAR is not set");
    }

    @Test
    void aWindowThatEndsBeforeItBeginsIsReported() {
        assertThat(problems("""
                  maintenance:
                    - { sources: ["**"], from: 2026-12-08T03:00:00Z, until: 2026-12-08T02:00:00Z }
                """)).singleElement().asString().contains("is not after from 2026-12-08T03:00:00Z");
    }

    @Test
    void anotherTypesKeyAndAMissingOneAreReported() {
        assertThat(problems("""
                  channels: { hook: { type: webhook, url: "http://h/", to: [a@b.c] } }
                """)).singleElement().asString().contains("alerts.channels.hook.to: unknown key 'to'");
        assertThat(problems("""
                  channels: { mail: { type: email, host: h, to: [d@e.f] } }
                """)).singleElement().asString().contains("alerts.channels.mail.from");
    }
}
