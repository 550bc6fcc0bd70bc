package io.bulwark.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The percent of CPU time the host spent busy since this probe's previous run, from the {@code cpu} line of
 * {@code /proc/stat}: everything but idle and iowait, since a CPU waiting on a disk could run something else.
 */
public final class CpuProbe implements Probe {
    private static final String NAME = "CPU";
    private static final Duration FIRST_INTERVAL = Duration.ofSeconds(1);
    /** user nice system idle iowait irq softirq steal; guest and guest_nice are already inside user and nice. */
    private static final int FIELDS = 8;
    private static final int IDLE = 3;
    private static final int IOWAIT = 4;

    private final Levels levels;
    private final Path procStat;
    private final AtomicReference<long[]> previous = new AtomicReference<>();

    public CpuProbe(Levels levels, Path procStat) {
        this.levels = levels;
        this.procStat = procStat;
    }

    @Override
    public CheckResult run(Duration timeout) throws InterruptedException {
        try {
            long[] now = sample();
            long[] before = previous.getAndSet(now);
            if (before == null) {
                // No earlier run to compare with: the counters since boot would give the average over the whole
                // uptime, not what the host does now.
                long millis = Math.max(0, Math.min(timeout.toMillis(), FIRST_INTERVAL.toMillis()));
                Thread.sleep(millis);
                before = now;
                now = sample();
                previous.set(now);
            }
            return judge(before, now);
        } catch (IOException | RuntimeException e) {
            return ProbeText.result(NAME, Status.UNKNOWN, "cannot read " + procStat + ": " + ProbeText.reason(e));
        }
    }

    private CheckResult judge(long[] before, long[] now) {
        long total = 0;
        long idle = 0;
        for (int i = 0; i < now.length; i++) {
            long delta = now[i] - before[i];
            if (delta < 0) {
                // A counter went back (a wrapped counter, a replaced file): this interval means nothing.
                return ProbeText.result(NAME, Status.UNKNOWN, "CPU counters in " + procStat + " went backwards");
            }
            total += delta;
            if (i == IDLE || i == IOWAIT) {
                idle += delta;
            }
        }
        if (total == 0) {
            return ProbeText.result(NAME, Status.UNKNOWN, "no CPU time passed between two samples of " + procStat);
        }
        double busy = ProbeText.rounded(100.0 * (total - idle) / total, 1);
        Status status = levels.judge(busy);
        return ProbeText.result(NAME, status, ProbeText.decimal(busy, 1) + "% busy",
                ProbeText.datum("cpu", busy, "%", levels, 0.0, 100.0));
    }

    /** The first eight counters of the {@code cpu} line (fewer, zero-filled, on kernels that have fewer). */
    private long[] sample() throws IOException {
        for (String line : Files.readAllLines(procStat)) {
            if (line.startsWith("cpu ")) {
                String[] tokens = line.substring(4).strip().split("\\s+");
                if (tokens.length <= IOWAIT) {
                    throw new IOException("the cpu line has " + tokens.length + " counters, expected at least 5");
                }
                long[] counters = new long[FIELDS];
                for (int i = 0; i < Math.min(FIELDS, tokens.length); i++) {
                    try {
                        counters[i] = Long.parseLong(tokens[i]);
                    } catch (NumberFormatException e) {
                        throw new IOException("\"" + tokens[i] + "\" in the cpu line is not a counter", e);
                    }
                }
                return counters;
            }
        }
        throw new IOException("no cpu line");
    }
}
