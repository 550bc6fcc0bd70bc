package io.bulwark.admin;

import java.util.List;
import java.util.Optional;

/** What the admin API shows of the upstream servers and the operator's commands on them; the gateway implements it. */
public interface ServerControl {
    /** A gateway without upstreams. */
    ServerControl NONE = new ServerControl() {
        @Override
        public List<UpstreamStatus> upstreams() {
            return List.of();
        }

        @Override
        public Optional<Outcome> apply(String upstream, String address, Action action, String operator) {
            return Optional.empty();
        }
    };

    /** Every upstream in config order, each with its servers. */
    List<UpstreamStatus> upstreams();

    /**
     * Applies {@code action} to the server at {@code address} (as configured, e.g. {@code 10.0.0.5:8080}) of
     * {@code upstream}; empty when there is no such server. {@code operator} says who asked, for the log.
     */
    Optional<Outcome> apply(String upstream, String address, Action action, String operator);

    /** What an operator can do to a server (HAProxy's {@code set server ... state} and nginx's {@code down}). */
    enum Action {
        /** Releases a server that {@code recovery: manual} holds after it passed its checks. */
        ENABLE,
        /** Takes traffic again (when healthy). */
        READY,
        /** Finishes what it has, takes no new requests. */
        DRAIN,
        /** Out for maintenance: no new requests; checks go on so its health is known on return. */
        MAINT
    }

    /** One upstream as the API shows it. */
    record UpstreamStatus(String name, List<ServerStatus> servers) {}

    /**
     * One server as the API shows it.
     *
     * @param health {@code up}, {@code down} or {@code held} (passed its checks, waiting for an operator)
     * @param admin {@code ready}, {@code drain} or {@code maint}
     * @param lastCause the latest check or traffic result that moved it, e.g. {@code L7 bad status 503}
     */
    record ServerStatus(String address, int weight, boolean backup, String health, String admin, boolean ejected,
            boolean eligible, int inFlight, String lastCause) {}

    /** The result of an action: whether it changed anything, and the server after it. */
    record Outcome(boolean changed, ServerStatus server) {}
}
