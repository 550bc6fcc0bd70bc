package io.bulwark.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Binds {@code access_log:}; without it lines go to stdout in nginx's combined format. */
final class AccessLogBinder {
    static final AccessLogConfig DEFAULT = new AccessLogConfig(AccessLogConfig.Format.COMBINED, "stdout");

    private static final Map<String, AccessLogConfig.Format> FORMATS = new LinkedHashMap<>();

    static {
        for (AccessLogConfig.Format f : AccessLogConfig.Format.values()) {
            FORMATS.put(f.name().toLowerCase(Locale.ROOT), f);
        }
    }

    private AccessLogBinder() {}

    static AccessLogConfig bind(Value accessLog) {
        return accessLog.section("a mapping with format and path").map(s -> {
            AccessLogConfig config = new AccessLogConfig(
                    s.choice("format", FORMATS, DEFAULT.format()),
                    s.text("path", "stdout or a file path", DEFAULT.path()));
            s.finish();
            return config;
        }).orElse(DEFAULT);
    }
}
