package io.bulwark.failover;

import java.util.List;

/** Told about every state change, after it happened; must not block the state machine's thread. */
@FunctionalInterface
public interface NotifyHook {
    /** Called once per transition with the new state. */
    void stateChanged(String instance, VrrpState state, int effectivePriority);

    /** Does nothing. */
    static NotifyHook none() {
        return (instance, state, priority) -> {};
    }

    /** Runs {@code command} with keepalived's notify arguments; empty command = {@link #none()}. */
    static NotifyHook command(List<String> command) {
        return command.isEmpty() ? none() : new CommandNotifyHook(command);
    }
}
