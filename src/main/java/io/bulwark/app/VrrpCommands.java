package io.bulwark.app;

import io.bulwark.admin.VrrpControl;
import io.bulwark.failover.VrrpInstance;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The admin API's view of the VRRP instances and its manual fail-back command. */
record VrrpCommands(List<VrrpInstance> running) implements VrrpControl {
    /** A release is one task on the instance's thread; longer than this means that thread is stuck. */
    private static final long ANSWER_SECONDS = 2;

    @Override
    public List<InstanceStatus> instances() {
        return running.stream().map(VrrpCommands::status).toList();
    }

    @Override
    public Optional<Outcome> release(String instance, String operator) {
        for (VrrpInstance i : running) {
            if (i.name().equals(instance)) {
                try {
                    boolean changed = i.release("by " + operator).get(ANSWER_SECONDS, TimeUnit.SECONDS);
                    return Optional.of(new Outcome(changed, status(i)));
                } catch (TimeoutException | ExecutionException e) {
                    throw new IllegalStateException("VRRP instance " + instance + " did not answer within "
                            + ANSWER_SECONDS + " s", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for VRRP instance " + instance, e);
                }
            }
        }
        return Optional.empty();
    }

    private static InstanceStatus status(VrrpInstance i) {
        return new InstanceStatus(i.name(), i.state().name().toLowerCase(Locale.ROOT), i.configuredPriority(),
                i.effectivePriority(), i.config().preempt(), i.config().interfaceName(), i.config().virtualAddresses());
    }
}
