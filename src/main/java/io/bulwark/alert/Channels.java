package io.bulwark.alert;

import io.bulwark.config.AlertChannelConfig;
import io.bulwark.config.Template;
import java.util.LinkedHashMap;
import java.util.Map;

/** The channel a configured one is, built once when the alarms start; secrets are revealed here and nowhere else. */
final class Channels {
    private Channels() {}

    static Channel of(AlertChannelConfig config) {
        return switch (config) {
            case AlertChannelConfig.Email e -> new EmailChannel(e.name(), new SmtpSettings(e.host(), e.port(),
                    SmtpSettings.Tls.valueOf(e.tls().name()), e.username(),
                    e.password() == null ? null : e.password().reveal(), e.timeout()), e.from(), e.to());
            case AlertChannelConfig.Sms s -> {
                Map<String, Template> headers = new LinkedHashMap<>();
                s.headers().forEach((k, v) -> headers.put(k, withToken(v, s)));
                yield new SmsChannel(s.name(), s.url(), s.method(), headers, withToken(s.body(), s), s.maxLength(),
                        s.timeout(), null);
            }
            case AlertChannelConfig.Webhook w -> new WebhookChannel(w.name(), w.url(),
                    w.secret() == null ? null : w.secret().reveal(), w.timeout());
            case AlertChannelConfig.Exec x -> new ExecChannel(x.name(), x.command(), x.timeout());
        };
    }

    /** The template with the channel's token filled in, where it names one. */
    private static Template withToken(Template t, AlertChannelConfig.Sms s) {
        return s.token() == null ? t : t.with("token", s.token().reveal());
    }
}
