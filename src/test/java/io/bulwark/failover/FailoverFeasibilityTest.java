package io.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.TrackConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailoverFeasibilityTest {
    static FailoverFeasibility.Result check(int local, int peer, boolean peerPreempt, int... weights) {
        List<TrackConfig> tracks = java.util.stream.IntStream.range(0, weights.length)
                .mapToObj(i -> new TrackConfig("t" + i, weights[i])).toList();
        return FailoverFeasibility.check("VI_1", local, peer, peerPreempt, tracks);
    }

    @Test
    void warnsWhenWeightsCanNeverDropTheMasterBelowTheBackup() {
        var r = check(150, 100, true, -20);
        assertThat(r.verdict()).isEqualTo(FailoverFeasibility.Verdict.NEVER);
        assertThat(r.message()).isEqualTo("(VI_1) priority 150 with every tracker failing is 130, still above the "
                + "peer's 100: tracker failures can never move the address (expected: weights summing to below -50)");
    }

    @Test
    void possibleWhenTheSumOfWeightsIsEnough() {
        assertThat(check(150, 100, true, -30, -30).verdict()).isEqualTo(FailoverFeasibility.Verdict.POSSIBLE);
    }

    @Test
    void equalWorstCaseIsATieDecidedByAddress() {
        assertThat(check(150, 100, true, -50).verdict()).isEqualTo(FailoverFeasibility.Verdict.TIE);
    }

    @Test
    void peerWithoutPreemptNeverTakesOverFromALiveMaster() {
        assertThat(check(150, 100, false, -100).verdict()).isEqualTo(FailoverFeasibility.Verdict.NEVER);
    }

    @Test
    void weightZeroTrackerAlwaysCanRelease() {
        assertThat(check(150, 100, false, 0).verdict()).isEqualTo(FailoverFeasibility.Verdict.POSSIBLE);
        assertThat(check(255, 100, true, 0).verdict()).isEqualTo(FailoverFeasibility.Verdict.POSSIBLE);
    }

    @Test
    void ownerIgnoresWeights() {
        assertThat(check(255, 100, true, -254).verdict()).isEqualTo(FailoverFeasibility.Verdict.NEVER);
    }

    @Test
    void backupSideHasNothingToMove() {
        assertThat(check(100, 150, true).verdict()).isEqualTo(FailoverFeasibility.Verdict.NOT_APPLICABLE);
    }

    static FailoverFeasibility.Result forInstance(int priority, int peerPriority, int... weights) {
        List<TrackConfig> tracks = java.util.stream.IntStream.range(0, weights.length)
                .mapToObj(i -> new TrackConfig("t" + i, weights[i])).toList();
        var c = new io.bulwark.config.VrrpInstanceConfig("VI_1", 3, "eth0", 51, priority,
                java.time.Duration.ofSeconds(1), true, java.time.Duration.ZERO, null, List.of(),
                List.of("192.0.2.100/24"), null, tracks, List.of(), peerPriority);
        return FailoverFeasibility.forInstance(c);
    }

    @Test
    void withoutThePeersPriorityOnlyTheFloorIsKnown() {
        var floor = forInstance(150, 0, -20, -30);
        assertThat(floor.verdict()).isEqualTo(FailoverFeasibility.Verdict.UNCHECKED);
        assertThat(floor.warning()).isTrue();
        assertThat(floor.message()).contains("only drops from 150 to 100: a backup configured at 100 or below never");
        assertThat(forInstance(150, 0, -200).verdict()).isEqualTo(FailoverFeasibility.Verdict.POSSIBLE);
        assertThat(forInstance(150, 0).verdict()).isEqualTo(FailoverFeasibility.Verdict.NO_TRACKERS);
        assertThat(forInstance(150, 0).warning()).isFalse();
        assertThat(forInstance(100, 0, 0).verdict()).isEqualTo(FailoverFeasibility.Verdict.POSSIBLE);
        assertThat(forInstance(255, 0, -50).verdict()).isEqualTo(FailoverFeasibility.Verdict.NEVER);
    }

    @Test
    void withThePeersPriorityTheCheckIsExact() {
        assertThat(forInstance(150, 100, -20).verdict()).isEqualTo(FailoverFeasibility.Verdict.NEVER);
        assertThat(forInstance(150, 100, -60).verdict()).isEqualTo(FailoverFeasibility.Verdict.POSSIBLE);
    }
}
