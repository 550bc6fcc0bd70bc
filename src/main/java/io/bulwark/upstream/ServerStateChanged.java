package io.bulwark.upstream;

import io.bulwark.core.Event;
import io.bulwark.core.Severity;

/**
 * A server changed state in one dimension (health, admin or ejection).
 *
 * @param server the server's address, e.g. {@code 127.0.0.1:9002}
 * @param reason the cause as logged, with counts, e.g. {@code L7 bad status 503 (3/3)}
 */
public record ServerStateChanged(
        String upstream, String server, Transition transition, Cause cause, String reason, long timestampMillis)
        implements Event {

    public ServerState from() {
        return transition.from();
    }

    public ServerState to() {
        return transition.to();
    }

    /** {@code upstream/app/127.0.0.1:9002}. */
    @Override
    public String source() {
        return "upstream/" + upstream + "/" + server;
    }

    @Override
    public String previous() {
        return from().name();
    }

    @Override
    public String current() {
        return to().name();
    }

    /**
     * DOWN is critical, EJECTED a warning (the server is out until a deadline), a return to UP or SERVING a
     * recovery; the operator's own changes and HELD (waiting for the operator) are information.
     */
    @Override
    public Severity severity() {
        ServerState to = to();
        if (to == Health.DOWN) {
            return Severity.CRITICAL;
        }
        if (to == Ejection.EJECTED) {
            return Severity.WARNING;
        }
        return to == Health.UP || to == Ejection.SERVING ? Severity.OK : Severity.INFO;
    }

    /** {@code health}, {@code admin} or {@code ejection}: the dimension that changed. */
    @Override
    public String aspect() {
        return switch (to()) {
            case Health h -> "health";
            case AdminState a -> "admin";
            case Ejection e -> "ejection";
        };
    }

    /** {@code (app/127.0.0.1:9002) UP -> DOWN: L7 bad status 503 (3/3)}, exactly the log line. */
    @Override
    public String describe() {
        return "(" + upstream + "/" + server + ") " + from().name() + " -> " + to().name() + ": " + reason;
    }
}
