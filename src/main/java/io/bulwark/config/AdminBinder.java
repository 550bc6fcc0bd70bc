package io.bulwark.config;

/** Binds {@code admin:}; without it the admin listener stays on loopback. */
final class AdminBinder {
    static final AdminConfig DEFAULT = new AdminConfig(new HostPort("127.0.0.1", 9901));

    private AdminBinder() {}

    static AdminConfig bind(Value admin) {
        return admin.section("a mapping with bind").map(s -> {
            AdminConfig config = new AdminConfig(s.optional("bind").flatMap(v -> v.hostPort(0)).orElse(DEFAULT.bind()));
            s.finish();
            return config;
        }).orElse(DEFAULT);
    }
}
