package io.bulwark.health;

import io.bulwark.upstream.Cause;
import io.bulwark.upstream.CauseKind;

/**
 * How a real request to a server failed, as the proxy reports it. Instances are shared constants (statuses
 * are cached), so reporting a failure does not allocate.
 */
public final class PassiveFailure {
    /** The connection could not be established (refused, unreachable, connect timeout). */
    public static final PassiveFailure CONNECT_FAILURE = new PassiveFailure(Cause.of(CauseKind.PASSIVE_CONNECT_FAILURE));
    /** The connection was reset or closed before a complete response. */
    public static final PassiveFailure RESET = new PassiveFailure(Cause.of(CauseKind.PASSIVE_RESET));
    /** The server did not answer within the read timeout. */
    public static final PassiveFailure TIMEOUT = new PassiveFailure(Cause.of(CauseKind.PASSIVE_TIMEOUT));

    private static final PassiveFailure[] STATUSES = new PassiveFailure[600];

    static {
        for (int s = 100; s < STATUSES.length; s++) {
            STATUSES[s] = new PassiveFailure(Cause.status(CauseKind.PASSIVE_STATUS, s));
        }
    }

    private final Cause cause;

    private PassiveFailure(Cause cause) {
        this.cause = cause;
    }

    /** A response with a status that counts as failure (e.g. 502, 503, 504). */
    public static PassiveFailure status(int status) {
        if (status < 100 || status >= STATUSES.length) {
            throw new IllegalArgumentException("status " + status + " (expected: 100..599)");
        }
        return STATUSES[status];
    }

    /** The cause as it appears in the ejection's log line and event. */
    public Cause cause() {
        return cause;
    }

    @Override
    public String toString() {
        return cause.describe();
    }
}
