package io.bulwark.admin;

import java.util.List;
import java.util.Optional;

/** What the admin API shows of the node's VRRP instances and the operator's command on them; the gateway implements it. */
public interface VrrpControl {
    /** A node without VRRP. */
    VrrpControl NONE = new VrrpControl() {
        @Override
        public List<InstanceStatus> instances() {
            return List.of();
        }

        @Override
        public Optional<Outcome> release(String instance, String operator) {
            return Optional.empty();
        }
    };

    /** Every instance in config order. */
    List<InstanceStatus> instances();

    /**
     * Has the named instance hand its addresses to a backup if it is master (manual fail-back); empty when
     * there is no such instance. {@code operator} says who asked, for the log.
     */
    Optional<Outcome> release(String instance, String operator);

    /**
     * One instance as the API shows it.
     *
     * @param state {@code initialize}, {@code backup}, {@code master} or {@code fault}
     * @param effectivePriority what it advertises now: the configured priority plus failing trackers' weights
     */
    record InstanceStatus(String name, String state, int priority, int effectivePriority, boolean preempt,
            String interfaceName, List<String> virtualIps) {}

    /** The result of a release: whether this node was master and gave the addresses up, and the instance after it. */
    record Outcome(boolean changed, InstanceStatus instance) {}
}
