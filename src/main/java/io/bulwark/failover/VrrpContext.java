package io.bulwark.failover;

import io.bulwark.core.EventBus;
import java.util.List;
import java.util.function.Function;

/**
 * What every VRRP instance on a node shares: its scheduler (and through it the clock), the address
 * actuator, the event bus, and how a notify command becomes a hook.
 */
public record VrrpContext(
        VrrpScheduler scheduler, AddressActuator actuator, EventBus events,
        Function<List<String>, NotifyHook> notifyHooks) {
    /** Notify commands run as processes. */
    public VrrpContext(VrrpScheduler scheduler, AddressActuator actuator, EventBus events) {
        this(scheduler, actuator, events, NotifyHook::command);
    }
}
