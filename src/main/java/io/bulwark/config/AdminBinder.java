package io.bulwark.config;

import java.util.Optional;
import java.util.regex.Pattern;

/** Binds {@code admin:}; without it the admin listener stays on loopback. */
final class AdminBinder {
    static final AdminConfig DEFAULT = new AdminConfig(new HostPort("127.0.0.1", 9901));
    // Printable ASCII without spaces, as a header value carries it; long enough not to be guessed.
    private static final Pattern TOKEN = Pattern.compile("[!-~]{16,}");

    private AdminBinder() {}

    static AdminConfig bind(Value admin) {
        return admin.section("a mapping with bind").map(s -> {
            HostPort bind = s.optional("bind").flatMap(v -> v.hostPort(0)).orElse(DEFAULT.bind());
            Optional<String> token = s.optional("token").flatMap(AdminBinder::token);
            s.finish();
            return new AdminConfig(bind, token);
        }).orElse(DEFAULT);
    }

    /** The token, or a problem that does not repeat it: config errors end up in logs. */
    private static Optional<String> token(Value v) {
        Optional<String> text = v.text("a token");
        if (text.isPresent() && !TOKEN.matcher(text.get()).matches()) {
            v.problem("expected at least 16 printable ASCII characters without spaces (the value is not shown)");
            return Optional.empty();
        }
        return text;
    }
}
