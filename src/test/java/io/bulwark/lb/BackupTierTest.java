package io.bulwark.lb;

import static io.bulwark.lb.TestServers.server;
import static io.bulwark.lb.TestServers.triedOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.Balance;
import io.bulwark.upstream.Server;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BackupTierTest {
    private final Server primaryA = server(0, 1, false);
    private final Server backupA = server(1, 5, true);
    private final Server primaryB = server(2, 1, false);
    private final Server backupB = server(3, 1, true);
    private final List<Server> servers = List.of(primaryA, backupA, primaryB, backupB);

    @ParameterizedTest
    @EnumSource(Balance.class)
    void neverPicksABackupWhileAPrimaryIsEligible(Balance balance) {
        LoadBalancer lb = LoadBalancer.create(balance, servers);
        primaryA.healthy(false);
        for (int i = 0; i < 1_000; i++) {
            assertThat(lb.pick(i, Tried.NONE)).isSameAs(primaryB);
        }
    }

    @ParameterizedTest
    @EnumSource(Balance.class)
    void usesBackupsBalancedAmongThemselvesWhenNoPrimaryIsEligible(Balance balance) {
        LoadBalancer lb = LoadBalancer.create(balance, servers);
        primaryA.healthy(false);
        primaryB.healthy(false);
        int[] counts = new int[servers.size()];
        for (int i = 0; i < 1_000; i++) {
            counts[lb.pick(i * 0x9E3779B97F4A7C15L, Tried.NONE).index()]++;
        }
        assertThat(counts[0] + counts[2]).isZero();
        assertThat(counts[1]).isPositive();
        assertThat(counts[3]).isPositive();
    }

    @ParameterizedTest
    @EnumSource(Balance.class)
    void retryFallsToABackupOnlyWhenEveryEligiblePrimaryWasTried(Balance balance) {
        LoadBalancer lb = LoadBalancer.create(balance, servers);
        assertThat(lb.pick(7, triedOf(primaryA))).isSameAs(primaryB);
        assertThat(lb.pick(7, triedOf(primaryA, primaryB))).isIn(backupA, backupB);
        assertThat(lb.pick(7, triedOf(primaryA, primaryB, backupA))).isSameAs(backupB);
        assertThat(lb.pick(7, triedOf(primaryA, primaryB, backupA, backupB))).isNull();
    }

    @ParameterizedTest
    @EnumSource(Balance.class)
    void returnsNullWhenNoServerOfEitherTierIsEligible(Balance balance) {
        LoadBalancer lb = LoadBalancer.create(balance, servers);
        servers.forEach(s -> s.healthy(false));
        assertThat(lb.pick(1, Tried.NONE)).isNull();
    }

    @ParameterizedTest
    @EnumSource(Balance.class)
    void backupsAloneStillServe(Balance balance) {
        LoadBalancer lb = LoadBalancer.create(balance, List.of(backupA, backupB));
        assertThat(lb.pick(1, Tried.NONE)).isIn(backupA, backupB);
    }
}
