package io.bulwark.health;

import io.bulwark.upstream.Cause;
import io.bulwark.upstream.CauseKind;
import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Locale;

/** Turns a connect or I/O exception into a layer-4 cause; both NIO and epoll word them like the kernel. */
final class Failures {
    private Failures() {}

    static Cause connect(Throwable t) {
        if (t instanceof ConnectTimeoutException) {
            return Cause.of(CauseKind.L4_TIMEOUT);
        }
        String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
        if (t instanceof ConnectException && message.contains("refused")) {
            return Cause.of(CauseKind.L4_REFUSED);
        }
        if (t instanceof IOException && message.contains("reset")) {
            return Cause.of(CauseKind.L4_RESET);
        }
        return Cause.of(CauseKind.L4_ERROR, t.getClass().getSimpleName() + ": " + t.getMessage());
    }
}
