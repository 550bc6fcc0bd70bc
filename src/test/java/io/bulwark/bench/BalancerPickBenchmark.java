package io.bulwark.bench;

import io.bulwark.config.Balance;
import io.bulwark.config.HostPort;
import io.bulwark.config.ServerConfig;
import io.bulwark.lb.LoadBalancer;
import io.bulwark.lb.Tried;
import io.bulwark.upstream.Server;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one balancer pick (target: at most 50 ns at 1,000 servers for round_robin and least_conn).
 * {@code busy} gives every server some requests in flight, the case where least_conn must look at all.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BalancerPickBenchmark {
    @Param({"3", "1000"})
    int servers;

    @Param({"ROUND_ROBIN", "LEAST_CONN", "RANDOM", "IP_HASH"})
    Balance balance;

    @Param({"false", "true"})
    boolean busy;

    private LoadBalancer lb;
    private long key;

    @Setup
    public void setUp() {
        List<Server> list = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            Server s = new Server("bench", i, new ServerConfig(new HostPort("10.0." + (i / 250) + "." + (i % 250 + 1), 80), 1 + i % 5, false));
            if (busy) {
                for (int k = 0; k < 1 + i % 7; k++) {
                    s.requestStarted();
                }
            }
            list.add(s);
        }
        lb = LoadBalancer.create(balance, list);
    }

    @Benchmark
    public Server pick() {
        return lb.pick(key++ * 0x9E3779B97F4A7C15L, Tried.NONE);
    }
}
