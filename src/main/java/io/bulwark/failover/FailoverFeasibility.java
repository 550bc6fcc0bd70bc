package io.bulwark.failover;

import io.bulwark.config.TrackConfig;
import io.bulwark.config.VrrpInstanceConfig;
import java.util.List;

/**
 * Answers, before anything runs, "can tracker failures on this node ever move the address to the peer?"
 * The classic keepalived mistake is priority 150 vs 100 with a single {@code weight -20}: the master stays
 * at 130 with everything broken and keeps the address. Meant for start-up and {@code bulwark validate},
 * wherever both nodes' priorities are known.
 */
public final class FailoverFeasibility {
    private FailoverFeasibility() {}

    /** How a check came out. */
    public enum Verdict {
        /** This node is not the preferred master (its priority is below the peer's): nothing to move. */
        NOT_APPLICABLE,
        /** Some combination of failing trackers hands the address over. */
        POSSIBLE,
        /** With every tracker failing the priorities are equal: only a higher peer address wins (§6.4.3). */
        TIE,
        /** No combination of tracker failures moves the address. */
        NEVER,
        /** No trackers: only the loss of the node or process moves the address. */
        NO_TRACKERS,
        /**
         * The peer's priority is not configured ({@code peer_priority}); the trackers leave a floor above 1, so
         * only a backup configured below it takes over on tracker failure.
         */
        UNCHECKED
    }

    /** The verdict and a sentence saying why, fit for a log line. */
    public record Result(Verdict verdict, String message) {
        /** Whether an operator should look at this before relying on the pair: a WARN at start. */
        public boolean warning() {
            return verdict == Verdict.NEVER || verdict == Verdict.TIE || verdict == Verdict.UNCHECKED;
        }
    }

    /**
     * The check for one configured instance, as start-up and {@code bulwark validate} run it: exact with
     * {@code peer_priority} set (see {@link #check}); without it, says how far the trackers can pull the
     * priority down when that leaves it above 1, since only a backup configured below that floor ever takes
     * over on tracker failure alone.
     */
    public static Result forInstance(VrrpInstanceConfig c) {
        if (c.peerPriority() > 0) {
            return check(c.name(), c.priority(), c.peerPriority(), true, c.tracks());
        }
        String at = "(" + c.name() + ") ";
        if (c.tracks().isEmpty()) {
            return new Result(Verdict.NO_TRACKERS, at + "no trackers: only the loss of this node or process moves "
                    + "the virtual address");
        }
        if (c.tracks().stream().anyMatch(t -> t.weight() == 0) || c.priority() == 255) {
            // Neither needs the peer's priority: a weight-0 tracker faults the instance; the owner ignores weights.
            return check(c.name(), 255, 254, true, c.tracks());
        }
        int floor = Math.max(1, c.priority() + c.tracks().stream().mapToInt(TrackConfig::weight).sum());
        if (floor > 1) {
            return new Result(Verdict.UNCHECKED, at + "with every tracker failing the priority only drops from "
                    + c.priority() + " to " + floor + ": a backup configured at " + floor + " or below never takes "
                    + "over on tracker failure (set peer_priority: to the backup's priority to check the real pair)");
        }
        return new Result(Verdict.POSSIBLE, at + "with every tracker failing the priority drops to 1, below any "
                + "backup's");
    }

    /**
     * @param localPriority this node's configured priority
     * @param peerPriority the peer's configured priority
     * @param peerPreempt whether the peer preempts; without it a live master is never displaced (§6.4.2)
     * @param localTracks this node's trackers
     */
    public static Result check(String instance, int localPriority, int peerPriority, boolean peerPreempt,
            List<TrackConfig> localTracks) {
        String at = "(" + instance + ") ";
        if (localPriority < peerPriority) {
            return new Result(Verdict.NOT_APPLICABLE, at + "priority " + localPriority + " is below the peer's "
                    + peerPriority + ": this node is the backup");
        }
        if (localTracks.stream().anyMatch(t -> t.weight() == 0)) {
            // FAULT sends priority 0, which any backup honours whatever its preempt setting.
            return new Result(Verdict.POSSIBLE, at + "a weight-0 tracker faults the instance and releases the address");
        }
        if (localPriority == 255) {
            return new Result(Verdict.NEVER, at + "address owner (priority 255): tracker weights do not apply, "
                    + "only a weight-0 tracker can release the address");
        }
        if (!peerPreempt) {
            return new Result(Verdict.NEVER, at + "the peer has preempt off, so it never takes over from a live "
                    + "master whatever the priorities (RFC 5798 §6.4.2); use a weight-0 tracker or preempt on the peer");
        }
        int sum = localTracks.stream().mapToInt(TrackConfig::weight).sum();
        int worst = Math.clamp(localPriority + sum, 1, 254);
        if (worst < peerPriority) {
            return new Result(Verdict.POSSIBLE, at + "with every tracker failing the priority drops to " + worst
                    + ", below the peer's " + peerPriority);
        }
        String needed = "weights summing to below " + (peerPriority - localPriority);
        if (worst == peerPriority) {
            return new Result(Verdict.TIE, at + "with every tracker failing the priority drops to " + worst
                    + ", equal to the peer's: the higher primary address wins (expected: " + needed + ")");
        }
        return new Result(Verdict.NEVER, at + "priority " + localPriority + " with every tracker failing is "
                + worst + ", still above the peer's " + peerPriority
                + ": tracker failures can never move the address (expected: " + needed + ")");
    }
}
