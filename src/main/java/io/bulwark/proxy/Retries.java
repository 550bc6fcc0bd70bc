package io.bulwark.proxy;

import io.bulwark.config.Config;
import io.bulwark.config.RouteConfig;
import io.bulwark.upstream.OutcomeListener;
import io.bulwark.upstream.Upstream;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything retries need, built once per server start: each upstream's retry policy and those routes that
 * have their own, the per-upstream counters and outcome listeners, and per event loop one budget per policy.
 */
final class Retries {
    private final RetryPolicy[] byUpstream;
    private final Map<String, RetryPolicy> byRoute;
    private final RetryStats[] stats;
    private final OutcomeListener[] outcomes;
    private final Map<EventExecutor, RetryBudget[]> budgets;
    private final Map<String, Integer> index;

    private Retries(Map<String, Integer> index, RetryPolicy[] byUpstream, Map<String, RetryPolicy> byRoute, RetryStats[] stats,
            OutcomeListener[] outcomes, Map<EventExecutor, RetryBudget[]> budgets) {
        this.byUpstream = byUpstream;
        this.byRoute = byRoute;
        this.stats = stats;
        this.outcomes = outcomes;
        this.budgets = budgets;
        this.index = index;
    }

    static Retries build(Config config, Upstream[] table, Map<String, OutcomeListener> listeners,
            EventLoopGroup workers) {
        Map<String, Integer> index = new HashMap<>();
        List<RetryPolicy> all = new ArrayList<>();
        RetryPolicy[] byUpstream = new RetryPolicy[table.length];
        RetryStats[] stats = new RetryStats[table.length];
        OutcomeListener[] outcomes = new OutcomeListener[table.length];
        for (int i = 0; i < table.length; i++) {
            index.put(table[i].name(), i);
            byUpstream[i] = new RetryPolicy(all.size(), i, table[i].config().retry(), table[i].config());
            all.add(byUpstream[i]);
            stats[i] = new RetryStats();
            outcomes[i] = listeners.getOrDefault(table[i].name(), OutcomeListener.NONE);
        }
        Map<String, RetryPolicy> byRoute = new HashMap<>();
        for (RouteConfig r : config.routes()) {
            Integer u = index.get(r.upstream());
            if (u != null && r.retry().isPresent()) {
                RetryPolicy p = new RetryPolicy(all.size(), u, r.retry().get(), table[u].config());
                all.add(p);
                byRoute.put(r.name(), p);
            }
        }
        Map<EventExecutor, RetryBudget[]> budgets = new IdentityHashMap<>();
        for (EventExecutor e : workers) {
            RetryBudget[] b = new RetryBudget[all.size()];
            for (RetryPolicy p : all) {
                b[p.id] = new RetryBudget(p.budgetPercent, p.budgetMinPerSecond);
            }
            budgets.put(e, b);
        }
        return new Retries(Map.copyOf(index), byUpstream, Map.copyOf(byRoute), stats, outcomes, budgets);
    }

    /** The policy for a routed request: the route's own block, else its upstream's. */
    RetryPolicy policy(Router.Target target) {
        if (!byRoute.isEmpty()) {
            RetryPolicy p = byRoute.get(target.route());
            if (p != null) {
                return p;
            }
        }
        return byUpstream[target.upstreamIndex()];
    }

    RetryStats stats(int upstreamIndex) {
        return stats[upstreamIndex];
    }

    /** The counters of the named upstream, or {@code null} when there is no such upstream. */
    RetryStats stats(String upstream) {
        Integer i = index.get(upstream);
        return i == null ? null : stats[i];
    }

    OutcomeListener outcomes(int upstreamIndex) {
        return outcomes[upstreamIndex];
    }

    /** The budgets of one event loop, indexed by {@link RetryPolicy#id}; only that loop may use them. */
    RetryBudget[] budgets(EventExecutor loop) {
        return budgets.get(loop);
    }
}
