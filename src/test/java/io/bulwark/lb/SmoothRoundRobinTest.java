package io.bulwark.lb;

import static io.bulwark.lb.TestServers.counts;
import static io.bulwark.lb.TestServers.triedOf;
import static io.bulwark.lb.TestServers.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.Balance;
import io.bulwark.upstream.Server;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SmoothRoundRobinTest {
    @Test
    void weightsFiveOneOneGiveTheSmoothNginxSequence() {
        List<Server> servers = weighted(5, 1, 1);
        LoadBalancer lb = LoadBalancer.create(Balance.ROUND_ROBIN, servers);
        StringBuilder sequence = new StringBuilder();
        for (int i = 0; i < 14; i++) {
            sequence.append((char) ('a' + lb.pick(0, Tried.NONE).index()));
        }
        assertThat(sequence.toString()).isEqualTo("aabacaa" + "aabacaa");
    }

    @Test
    void everyWindowOfSumOfWeightsGivesEachServerExactlyItsWeight() {
        List<Server> servers = weighted(5, 3, 2);
        LoadBalancer lb = LoadBalancer.create(Balance.ROUND_ROBIN, servers);
        for (int window = 0; window < 1_000; window++) {
            assertThat(counts(lb, servers, 10)).as("window %d", window).containsExactly(5, 3, 2);
        }
    }

    @Test
    void tenThousandPicksSplitFiveThreeTwoExactly() {
        List<Server> servers = weighted(5, 3, 2);
        LoadBalancer lb = LoadBalancer.create(Balance.ROUND_ROBIN, servers);
        assertThat(counts(lb, servers, 10_000)).containsExactly(5_000, 3_000, 2_000);
    }

    @Test
    void precomputedWindowPicksExactlyWhatNginxScanWouldPick() {
        SplittableRandom random = new SplittableRandom(5);
        int[] weights = new int[50];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1 + random.nextInt(20);
        }
        List<Server> servers = weighted(weights);
        LoadBalancer lb = LoadBalancer.create(Balance.ROUND_ROBIN, servers);
        long[] current = new long[weights.length];
        long total = IntStream.of(weights).sum();
        for (int pick = 0; pick < 3 * total; pick++) {
            int best = 0;
            for (int i = 0; i < weights.length; i++) {
                current[i] += weights[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            assertThat(lb.pick(0, Tried.NONE).index()).as("pick %d", pick).isEqualTo(best);
        }
    }

    @Test
    void windowTooLongToPrecomputeStillGivesExactShares() {
        int[] weights = new int[200];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1000 - i; // sum 180,100 with gcd 1: beyond MAX_SCHEDULE, so every pick scans
        }
        List<Server> servers = weighted(weights);
        LoadBalancer lb = LoadBalancer.create(Balance.ROUND_ROBIN, servers);
        assertThat(counts(lb, servers, IntStream.of(weights).sum())).containsExactly(weights);
    }

    @Test
    void skipsIneligibleServersAndSharesTheirTrafficByWeight() {
        List<Server> servers = weighted(5, 3, 2);
        servers.get(0).healthy(false);
        LoadBalancer lb = LoadBalancer.create(Balance.ROUND_ROBIN, servers);
        assertThat(counts(lb, servers, 10_000)).containsExactly(0, 6_000, 4_000);
    }

    @Test
    void picksUntriedServerWhileOneIsLeftThenNull() {
        List<Server> servers = weighted(5, 3, 2);
        LoadBalancer lb = LoadBalancer.create(Balance.ROUND_ROBIN, servers);
        for (int i = 0; i < 20; i++) {
            assertThat(lb.pick(0, triedOf(servers.get(0), servers.get(2)))).isSameAs(servers.get(1));
        }
        assertThat(lb.pick(0, triedOf(servers.toArray(new Server[0])))).isNull();
    }

    @Test
    void returnsNullWhenNoServerIsEligible() {
        List<Server> servers = weighted(5, 3, 2);
        servers.forEach(s -> s.healthy(false));
        LoadBalancer lb = LoadBalancer.create(Balance.ROUND_ROBIN, servers);
        assertThat(lb.pick(0, Tried.NONE)).isNull();
    }

    @Test
    void aRecoveredServerGetsItsShareAgain() {
        List<Server> servers = weighted(1, 1);
        LoadBalancer lb = LoadBalancer.create(Balance.ROUND_ROBIN, servers);
        servers.get(1).healthy(false);
        assertThat(counts(lb, servers, 10)).containsExactly(10, 0);
        servers.get(1).healthy(true);
        assertThat(counts(lb, servers, 10)).containsExactly(5, 5);
    }
}
