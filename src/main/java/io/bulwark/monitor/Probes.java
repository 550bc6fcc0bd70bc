package io.bulwark.monitor;

import io.bulwark.config.MonitorCheckConfig;
import io.bulwark.core.Threshold;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The probe a configured check runs, built once when the monitor starts. */
final class Probes {
    private static final Path PROC_STAT = Path.of("/proc/stat");
    private static final Path PROC_LOADAVG = Path.of("/proc/loadavg");
    private static final Path PROC_MEMINFO = Path.of("/proc/meminfo");

    private Probes() {}

    static Probe of(MonitorCheckConfig c) {
        return switch (c.type()) {
            case CPU -> new CpuProbe(levels(c, 0), PROC_STAT);
            case LOAD -> new LoadProbe(List.of(levels(c, 0), levels(c, 1), levels(c, 2)), c.perCpu(), PROC_LOADAVG,
                    onlineCpus());
            case MEMORY -> new MemoryProbe(levels(c, 0), c.heap() ? MemoryProbe.Kind.HEAP : MemoryProbe.Kind.RAM,
                    PROC_MEMINFO);
            case DISK -> new DiskProbe(levels(c, 0), c.path());
            case LATENCY -> new LatencyProbe(levels(c, 0), c.target().host(), c.target().port());
            case HTTP -> new HttpProbe(levels(c, 0), c.url(), c.expectStatus()::contains, c.expectStatus().toString());
            case EXEC -> new PluginProbe(c.command());
        };
    }

    /** The warning and critical range of measure {@code i}, each absent when the config has none. */
    private static Levels levels(MonitorCheckConfig c, int i) {
        return new Levels(at(c.warning(), i), at(c.critical(), i));
    }

    private static Threshold at(List<Threshold> ranges, int i) {
        return ranges.isEmpty() ? null : ranges.get(Math.min(i, ranges.size() - 1));
    }

    /** The CPUs check_load divides by: the {@code cpuN} lines of /proc/stat, the online ones. */
    static int onlineCpus() {
        try {
            List<String> cpus = new ArrayList<>();
            for (String line : Files.readAllLines(PROC_STAT)) {
                if (line.startsWith("cpu") && line.length() > 3 && Character.isDigit(line.charAt(3))) {
                    cpus.add(line);
                }
            }
            return cpus.isEmpty() ? Runtime.getRuntime().availableProcessors() : cpus.size();
        } catch (IOException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }
}
