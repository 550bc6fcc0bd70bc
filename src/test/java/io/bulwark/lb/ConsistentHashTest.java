package io.bulwark.lb;

import static io.bulwark.lb.TestServers.triedOf;
import static io.bulwark.lb.TestServers.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bulwark.config.Balance;
import io.bulwark.upstream.Server;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConsistentHashTest {
    private static final int KEYS = 10_000;

    private static long[] keys() {
        SplittableRandom random = new SplittableRandom(42);
        long[] keys = new long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = random.nextLong();
        }
        return keys;
    }

    private static Server[] mapping(LoadBalancer lb, long[] keys) {
        Server[] mapping = new Server[keys.length];
        for (int i = 0; i < keys.length; i++) {
            mapping[i] = lb.pick(keys[i], Tried.NONE);
        }
        return mapping;
    }

    @Test
    void sameKeyAlwaysGoesToTheSameServer() {
        LoadBalancer lb = LoadBalancer.create(Balance.IP_HASH, weighted(1, 1, 1, 1, 1));
        Server first = lb.pick(12345, Tried.NONE);
        for (int i = 0; i < 100; i++) {
            assertThat(lb.pick(12345, Tried.NONE)).isSameAs(first);
        }
    }

    @Test
    void aLeavingServerMovesOnlyItsOwnKeysAndItsReturnRestoresThem() {
        List<Server> servers = weighted(1, 1, 1, 1, 1);
        LoadBalancer lb = LoadBalancer.create(Balance.IP_HASH, servers);
        long[] keys = keys();
        Server[] before = mapping(lb, keys);
        Server leaving = servers.get(2);

        leaving.healthy(false);
        Server[] during = mapping(lb, keys);
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            if (before[i] == leaving) {
                assertThat(during[i]).isNotSameAs(leaving);
                moved++;
            } else {
                assertThat(during[i]).as("key %d was not on the leaving server", i).isSameAs(before[i]);
            }
        }
        // Its share, roughly a fifth: the ring did spread keys over all five.
        assertThat(moved).isBetween(KEYS / 5 - 400, KEYS / 5 + 400);

        leaving.healthy(true);
        assertThat(mapping(lb, keys)).containsExactly(before);
    }

    @Test
    void keysSpreadInProportionToWeight() {
        List<Server> servers = weighted(5, 3, 2);
        LoadBalancer lb = LoadBalancer.create(Balance.IP_HASH, servers);
        int[] counts = new int[3];
        for (Server s : mapping(lb, keys())) {
            counts[s.index()]++;
        }
        assertThat(counts[0] / (double) KEYS).isCloseTo(0.5, within(0.05));
        assertThat(counts[1] / (double) KEYS).isCloseTo(0.3, within(0.05));
        assertThat(counts[2] / (double) KEYS).isCloseTo(0.2, within(0.05));
    }

    @Test
    void aRetryWalksOnToAnotherServerWhileOneIsLeftThenNull() {
        List<Server> servers = weighted(1, 1, 1);
        LoadBalancer lb = LoadBalancer.create(Balance.IP_HASH, servers);
        Server first = lb.pick(99, Tried.NONE);
        Server second = lb.pick(99, triedOf(first));
        assertThat(second).isNotNull().isNotSameAs(first);
        Server third = lb.pick(99, triedOf(first, second));
        assertThat(third).isNotNull().isNotIn(first, second);
        assertThat(lb.pick(99, triedOf(first, second, third))).isNull();
    }

    @Test
    void returnsNullWhenNoServerIsEligible() {
        List<Server> servers = weighted(1, 2, 3);
        servers.forEach(s -> s.healthy(false));
        LoadBalancer lb = LoadBalancer.create(Balance.IP_HASH, servers);
        assertThat(lb.pick(7, Tried.NONE)).isNull();
    }
}
