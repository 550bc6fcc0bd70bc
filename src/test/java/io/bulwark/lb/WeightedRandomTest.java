package io.bulwark.lb;

import static io.bulwark.lb.TestServers.counts;
import static io.bulwark.lb.TestServers.triedOf;
import static io.bulwark.lb.TestServers.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.Balance;
import io.bulwark.upstream.Server;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightedRandomTest {
    @Test
    void manyPicksOverFiveThreeTwoLandWithinOnePercentOfTheWeights() {
        List<Server> servers = weighted(5, 3, 2);
        // Seeded, and n large enough that one percentage point is over 10 standard deviations.
        LoadBalancer lb = new WeightedRandom(servers, 2026);
        int picks = 1_000_000;
        int[] counts = counts(lb, servers, picks);
        assertThat(counts[0]).isBetween(picks * 49 / 100, picks * 51 / 100);
        assertThat(counts[1]).isBetween(picks * 29 / 100, picks * 31 / 100);
        assertThat(counts[2]).isBetween(picks * 19 / 100, picks * 21 / 100);
    }

    @Test
    void tenThousandPicksOverFiveThreeTwoLandWithinOnePercentOfTheWeights() {
        List<Server> servers = weighted(5, 3, 2);
        LoadBalancer lb = new WeightedRandom(servers, 7);
        int[] counts = counts(lb, servers, 10_000);
        // For this seed; about 2 standard deviations for the 5 share, so another seed could miss.
        assertThat(counts[0]).isBetween(4_900, 5_100);
        assertThat(counts[1]).isBetween(2_900, 3_100);
        assertThat(counts[2]).isBetween(1_900, 2_100);
    }

    @Test
    void neverPicksAnIneligibleServer() {
        List<Server> servers = weighted(5, 3, 2);
        servers.get(0).healthy(false);
        LoadBalancer lb = LoadBalancer.create(Balance.RANDOM, servers);
        int[] counts = counts(lb, servers, 10_000);
        assertThat(counts[0]).isZero();
        assertThat(counts[1] + counts[2]).isEqualTo(10_000);
        assertThat(counts[1]).isBetween(5_600, 6_400);
    }

    @Test
    void picksTheOnlyUntriedServerThenNull() {
        List<Server> servers = weighted(5, 3, 2);
        LoadBalancer lb = LoadBalancer.create(Balance.RANDOM, servers);
        for (int i = 0; i < 100; i++) {
            assertThat(lb.pick(0, triedOf(servers.get(0), servers.get(1)))).isSameAs(servers.get(2));
        }
        assertThat(lb.pick(0, triedOf(servers.toArray(new Server[0])))).isNull();
    }

    @Test
    void returnsNullWhenNoServerIsEligible() {
        List<Server> servers = weighted(1, 1);
        servers.forEach(s -> s.healthy(false));
        assertThat(LoadBalancer.create(Balance.RANDOM, servers).pick(0, Tried.NONE)).isNull();
    }
}
