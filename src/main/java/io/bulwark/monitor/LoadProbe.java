package io.bulwark.monitor;

import io.bulwark.core.Threshold;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The 1, 5 and 15-minute load averages of {@code /proc/loadavg}, judged and printed as {@code check_load}
 * (monitoring-plugins 2.3.3, Debian) does, so a service moved from NRPE to Bulwark keeps its line and graphs.
 */
public final class LoadProbe implements Probe {
    private static final String NAME = "LOAD";
    private static final int[] PERIODS = {1, 5, 15};

    private final List<Levels> perPeriod;
    private final boolean perCpu;
    private final Path procLoadavg;
    private final int cpus;

    /**
     * @param perPeriod the levels of the 1, 5 and 15-minute averages, in that order
     * @param perCpu whether to judge the averages divided by {@code cpus} ({@code check_load -r})
     * @param cpus the number of online CPUs; used only with {@code perCpu}
     */
    public LoadProbe(List<Levels> perPeriod, boolean perCpu, Path procLoadavg, int cpus) {
        if (perPeriod.size() != PERIODS.length) {
            throw new IllegalArgumentException("expected levels for the 1, 5 and 15-minute load averages, got "
                    + perPeriod.size());
        }
        if (perCpu && cpus < 1) {
            throw new IllegalArgumentException("cpus is " + cpus + " (expected: at least 1 to divide the load by)");
        }
        this.perPeriod = List.copyOf(perPeriod);
        this.perCpu = perCpu;
        this.procLoadavg = procLoadavg;
        this.cpus = cpus;
    }

    @Override
    public CheckResult run(Duration timeout) {
        double[] load;
        try {
            load = read();
        } catch (IOException | RuntimeException e) {
            return ProbeText.result(NAME, Status.UNKNOWN, "cannot read " + procLoadavg + ": " + ProbeText.reason(e));
        }
        double[] judged = load.clone();
        if (perCpu) {
            for (int i = 0; i < judged.length; i++) {
                judged[i] = load[i] / cpus;
            }
        }
        Status status = Status.OK;
        List<PerfDatum> perf = new ArrayList<>();
        for (int i = 0; i < PERIODS.length; i++) {
            Levels levels = perPeriod.get(i);
            // Judged unrounded, as check_load compares its doubles; only the printing rounds.
            Status s = levels.judge(judged[i]);
            if (s.compareTo(status) > 0) {
                status = s;
            }
            if (perCpu) {
                perf.add(new PerfDatum("load" + PERIODS[i], ProbeText.rounded(load[i], 3), "", null, null, 0.0, null));
            }
            perf.add(new PerfDatum((perCpu ? "scaled_load" : "load") + PERIODS[i], ProbeText.rounded(judged[i], 3),
                    "", checkLoadRange(levels.warning()), checkLoadRange(levels.critical()), 0.0, null));
        }
        String details = perCpu
                ? "scaled load average: " + averages(judged) + " - total load average: " + averages(load)
                : "total load average: " + averages(load);
        return new CheckResult(status, NAME + " " + status + " - " + details, "", perf);
    }

    private static String averages(double[] values) {
        return ProbeText.decimal(values[0], 2) + ", " + ProbeText.decimal(values[1], 2) + ", "
                + ProbeText.decimal(values[2], 2);
    }

    /**
     * check_load's thresholds are plain numbers it prints with three decimals ({@code 8.000}); a range it could
     * not express keeps the guidelines' range syntax.
     */
    private static String checkLoadRange(Threshold threshold) {
        if (threshold == null) {
            return null;
        }
        String text = threshold.toString();
        return Threshold.NUMBER.matcher(text).matches() ? ProbeText.decimal(Double.parseDouble(text), 3) : text;
    }

    private double[] read() throws IOException {
        String[] tokens = Files.readString(procLoadavg).strip().split("\\s+");
        if (tokens.length < PERIODS.length) {
            throw new IOException("expected three load averages, found \"" + String.join(" ", tokens) + "\"");
        }
        double[] load = new double[PERIODS.length];
        for (int i = 0; i < load.length; i++) {
            // NUMBER takes no "NaN" or "Infinity", and a load is never negative.
            if (!Threshold.NUMBER.matcher(tokens[i]).matches() || tokens[i].startsWith("-")) {
                throw new IOException("\"" + tokens[i] + "\" is not a load average");
            }
            load[i] = Double.parseDouble(tokens[i]);
        }
        return load;
    }
}
