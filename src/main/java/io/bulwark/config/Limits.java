package io.bulwark.config;

import java.time.Duration;

/** Bounds shared by several sections, so "what is a sane timeout" is decided once. */
final class Limits {
    /** Zero would mean "fail at once" to Netty's timers, never "no timeout"; refuse it rather than surprise. */
    static final Duration MIN_TIMEOUT = Duration.ofMillis(1);
    /** Long enough for any idle keep-alive; beyond it a typo (h for m) is likelier than intent. */
    static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    private Limits() {}
}
