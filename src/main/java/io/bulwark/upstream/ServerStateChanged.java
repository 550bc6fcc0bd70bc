package io.bulwark.upstream;

import io.bulwark.core.Event;

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

    /** {@code (app/127.0.0.1:9002) UP -> DOWN: L7 bad status 503 (3/3)}, exactly the log line. */
    @Override
    public String describe() {
        return "(" + upstream + "/" + server + ") " + from().name() + " -> " + to().name() + ": " + reason;
    }
}
