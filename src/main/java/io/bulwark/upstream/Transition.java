package io.bulwark.upstream;

/** Every legal server state transition; a change not listed here is a bug and throws. */
public enum Transition {
    UP_TO_DOWN(Health.UP, Health.DOWN),
    DOWN_TO_UP(Health.DOWN, Health.UP),
    DOWN_TO_HELD(Health.DOWN, Health.HELD),
    HELD_TO_UP(Health.HELD, Health.UP),
    HELD_TO_DOWN(Health.HELD, Health.DOWN),
    SERVING_TO_EJECTED(Ejection.SERVING, Ejection.EJECTED),
    EJECTED_TO_SERVING(Ejection.EJECTED, Ejection.SERVING),
    READY_TO_DRAIN(AdminState.READY, AdminState.DRAIN),
    READY_TO_MAINT(AdminState.READY, AdminState.MAINT),
    DRAIN_TO_READY(AdminState.DRAIN, AdminState.READY),
    DRAIN_TO_MAINT(AdminState.DRAIN, AdminState.MAINT),
    MAINT_TO_READY(AdminState.MAINT, AdminState.READY),
    MAINT_TO_DRAIN(AdminState.MAINT, AdminState.DRAIN);

    private static final Transition[] ALL = values();
    private final ServerState from;
    private final ServerState to;

    Transition(ServerState from, ServerState to) {
        this.from = from;
        this.to = to;
    }

    public ServerState from() {
        return from;
    }

    public ServerState to() {
        return to;
    }

    /**
     * The transition from {@code from} to {@code to}.
     *
     * @throws IllegalStateException if it is not legal, e.g. UP -> HELD
     */
    public static Transition between(ServerState from, ServerState to) {
        for (Transition t : ALL) {
            if (t.from == from && t.to == to) {
                return t;
            }
        }
        throw new IllegalStateException("illegal transition " + from.name() + " -> " + to.name());
    }
}
