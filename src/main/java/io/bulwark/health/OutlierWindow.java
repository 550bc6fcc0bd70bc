package io.bulwark.health;

import io.bulwark.config.Durations;
import io.bulwark.config.OutlierConfig;
import io.bulwark.upstream.Cause;
import io.bulwark.upstream.CauseKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntToDoubleFunction;

/**
 * Statistical outlier detection for one upstream, after Envoy's success-rate detector. The request path adds
 * to per-server {@link LongAdder}s (no lock; cells are allocated only the first time event loops contend, then
 * reused); once per {@code interval} {@link #evaluate} takes and resets them and judges each server with at
 * least {@code min_requests} against its peers, the other servers with that volume, provided there are at
 * least {@code min_hosts} of them in all:
 * <ul>
 *   <li>success rate below {@code peers' mean - success_rate_stdev × sd}, where sd combines the peers' spread
 *       (sample standard deviation) with the sampling noise of the difference were every server to share one
 *       rate (a two-proportion z-test's {@code √(p(1-p)(1/n + 1/N))}, n the server's requests, N its peers',
 *       p pooled over the window by Laplace's rule, {@code (successes + 1) / (requests + 2)}). Without that
 *       term, peers that happen to agree closely would make ordinary noise an outlier, and without the rule's
 *       +1, flawless peers would make a single stray failure one;
 *   <li>mean latency (of the requests that got a response) above {@code peers' mean + latency_stdev × sd}
 *       and at least {@code min_latency_gap} above the peers' mean.
 * </ul>
 * Judging against the peers rather than against everyone including the server itself keeps one bad server
 * from inflating the spread it is measured by; with everyone included, a lone outlier among n servers can
 * never lie more than √(n-1) standard deviations out, so 1.9 could not eject anything below five servers.
 *
 * <p>Counts taken while a window is being reset may land in either window; a window is a sample, not a ledger.
 */
final class OutlierWindow {
    private final OutlierConfig config;
    private final long intervalNanos;
    private final LongAdder[] successes;
    private final LongAdder[] failures;
    private final LongAdder[] latencyNanos;
    private final LongAdder[] responses;
    // Guarded by this.
    private long windowStartNanos;

    OutlierWindow(OutlierConfig config, int servers, long nowNanos) {
        this.config = config;
        this.intervalNanos = config.interval().toNanos();
        this.successes = adders(servers);
        this.failures = adders(servers);
        this.latencyNanos = adders(servers);
        this.responses = adders(servers);
        this.windowStartNanos = nowNanos;
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** A request succeeded; its latency counts towards the mean. */
    void success(int server, long latencyNanos) {
        successes[server].increment();
        response(server, latencyNanos);
    }

    /** A response arrived (successful or not) after {@code latencyNanos}. */
    void response(int server, long latencyNanos) {
        this.latencyNanos[server].add(latencyNanos);
        responses[server].increment();
    }

    /** A request failed: a transport failure or a status in {@code failure_statuses}. */
    void failure(int server) {
        failures[server].increment();
    }

    /** Whether a window has ended at {@code nowNanos}. */
    private synchronized boolean due(long nowNanos) {
        return nowNanos - windowStartNanos >= intervalNanos;
    }

    /**
     * Ends the window if {@code interval} has passed: takes and resets the counts and judges them.
     *
     * @return the outliers, worst (most standard deviations out) first; empty if the window has not ended
     */
    synchronized List<Verdict> evaluate(long nowNanos) {
        if (!due(nowNanos)) {
            return List.of();
        }
        windowStartNanos = nowNanos;
        int n = successes.length;
        Stats[] stats = new Stats[n];
        for (int i = 0; i < n; i++) {
            stats[i] = new Stats(successes[i].sumThenReset(), failures[i].sumThenReset(),
                    latencyNanos[i].sumThenReset(), responses[i].sumThenReset());
        }
        return judge(stats);
    }

    /** Judges one window's counts, worst first. */
    List<Verdict> judge(Stats[] stats) {
        List<Integer> judged = new ArrayList<>();
        for (int i = 0; i < stats.length; i++) {
            if (stats[i].requests() >= config.minRequests()) {
                judged.add(i);
            }
        }
        List<Verdict> verdicts = new ArrayList<>();
        if (judged.size() < config.minHosts()) {
            return verdicts;
        }
        for (int i : judged) {
            Verdict v = successRate(stats, judged, i);
            if (v == null) {
                v = latency(stats, judged, i);
            }
            if (v != null) {
                verdicts.add(v);
            }
        }
        verdicts.sort(Comparator.comparingDouble(Verdict::deviations).reversed());
        return verdicts;
    }

    private Verdict successRate(Stats[] stats, List<Integer> judged, int i) {
        double factor = config.successRateStdev();
        if (factor == 0) {
            return null;
        }
        double[] peers = peers(judged, i, j -> stats[j].successRate());
        double mean = mean(peers);
        long n = stats[i].requests();
        long all = 0;
        long succeeded = 0;
        for (int j : judged) {
            all += stats[j].requests();
            succeeded += stats[j].successes();
        }
        double pooled = (succeeded + 1.0) / (all + 2.0);
        double noise = pooled * (1 - pooled) * (1.0 / n + 1.0 / (all - n));
        double sd = Math.sqrt(variance(peers, mean) + noise);
        double rate = stats[i].successRate();
        double threshold = mean - factor * sd;
        if (rate >= threshold) {
            return null;
        }
        String detail = String.format(Locale.ROOT, "%.1f %% < %.1f %% (mean %.1f %%, stdev %.1f %%, %s sd) over %d requests",
                100 * rate, 100 * threshold, 100 * mean, 100 * sd, plain(factor), n);
        return new Verdict(i, Cause.of(CauseKind.OUTLIER_SUCCESS_RATE, detail), deviations(mean - rate, sd));
    }

    private Verdict latency(Stats[] stats, List<Integer> judged, int i) {
        double factor = config.latencyStdev();
        if (factor == 0 || stats[i].responses() == 0) {
            return null;
        }
        List<Integer> timed = judged.stream().filter(j -> stats[j].responses() > 0).toList();
        if (timed.size() < config.minHosts()) {
            return null;
        }
        double[] peers = peers(timed, i, j -> stats[j].meanLatencyNanos());
        double mean = mean(peers);
        double sd = Math.sqrt(variance(peers, mean));
        double latency = stats[i].meanLatencyNanos();
        double threshold = Math.max(mean + factor * sd, mean + config.minLatencyGap().toNanos());
        if (latency <= threshold) {
            return null;
        }
        String detail = String.format(Locale.ROOT,
                "%.1f ms > %.1f ms (mean %.1f ms, stdev %.1f ms, %s sd, gap %s) over %d requests",
                latency / 1e6, threshold / 1e6, mean / 1e6, sd / 1e6, plain(factor),
                Durations.format(config.minLatencyGap()), stats[i].requests());
        return new Verdict(i, Cause.of(CauseKind.OUTLIER_LATENCY, detail), deviations(latency - mean, sd));
    }

    private static double[] peers(List<Integer> servers, int except, IntToDoubleFunction value) {
        double[] peers = new double[servers.size() - 1];
        int k = 0;
        for (int j : servers) {
            if (j != except) {
                peers[k++] = value.applyAsDouble(j);
            }
        }
        return peers;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** Sample variance: with as few as two peers, the population variance would understate the spread. */
    private static double variance(double[] values, double mean) {
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return sum / (values.length - 1);
    }

    private static double deviations(double distance, double sd) {
        return sd == 0 ? Double.MAX_VALUE : distance / sd;
    }

    /** {@code 1.9}, {@code 3}: the factor as the user would write it. */
    private static String plain(double factor) {
        return BigDecimal.valueOf(factor).stripTrailingZeros().toPlainString();
    }

    /** One server's counts over a window. */
    record Stats(long successes, long failures, long latencyNanos, long responses) {
        long requests() {
            return successes + failures;
        }

        double successRate() {
            return requests() == 0 ? 1 : (double) successes / requests();
        }

        double meanLatencyNanos() {
            return responses == 0 ? 0 : (double) latencyNanos / responses;
        }
    }

    /**
     * A server judged an outlier.
     *
     * @param server its index in the upstream
     * @param cause the kind and the numbers, for the log line and the event
     * @param deviations how many standard deviations out it lies, to eject the worst first
     */
    record Verdict(int server, Cause cause, double deviations) {}
}
