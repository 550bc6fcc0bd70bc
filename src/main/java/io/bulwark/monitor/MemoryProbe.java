package io.bulwark.monitor;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The percent of the host's RAM, or of this JVM's heap, in use. */
public final class MemoryProbe implements Probe {
    private static final String NAME = "MEMORY";

    /** Which memory to measure. */
    public enum Kind {
        /** The host's RAM, from /proc/meminfo. */
        RAM,
        /** This JVM's heap. */
        HEAP
    }

    private final Levels levels;
    private final Kind kind;
    private final Path procMeminfo;

    /** @param procMeminfo the meminfo file, read only for {@link Kind#RAM} */
    public MemoryProbe(Levels levels, Kind kind, Path procMeminfo) {
        this.levels = levels;
        this.kind = kind;
        this.procMeminfo = procMeminfo;
    }

    @Override
    public CheckResult run(Duration timeout) {
        return switch (kind) {
            case RAM -> ram();
            case HEAP -> heap();
        };
    }

    private CheckResult ram() {
        long total = -1;
        long available = -1;
        try {
            for (String line : Files.readAllLines(procMeminfo)) {
                if (line.startsWith("MemTotal:")) {
                    total = kibibytes(line);
                } else if (line.startsWith("MemAvailable:")) {
                    available = kibibytes(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            return unknown("cannot read " + procMeminfo + ": " + ProbeText.reason(e));
        }
        // MemAvailable, the kernel's estimate of what can be had without swapping, counts the reclaimable page
        // cache as free; MemFree would call a host that merely caches files full.
        if (total <= 0 || available < 0) {
            return unknown((total <= 0 ? "no MemTotal" : "no MemAvailable") + " in " + procMeminfo);
        }
        return judge("RAM", "ram", total - available, total);
    }

    private CheckResult heap() {
        MemoryUsage usage = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        // Without -Xmx the maximum may be undefined; the heap cannot grow past what is committed then.
        long max = usage.getMax() > 0 ? usage.getMax() : usage.getCommitted();
        return judge("heap", "heap", usage.getUsed(), max);
    }

    private CheckResult judge(String what, String label, long used, long total) {
        if (total <= 0) {
            return unknown("the size of the " + what + " is unknown");
        }
        double percent = ProbeText.rounded(100.0 * used / total, 1);
        Status status = levels.judge(percent);
        return ProbeText.result(NAME, status,
                ProbeText.decimal(percent, 1) + "% of " + what + " used (" + ProbeText.bytes(used) + " of "
                        + ProbeText.bytes(total) + ")",
                ProbeText.datum(label, percent, "%", levels, 0.0, 100.0));
    }

    private static CheckResult unknown(String details) {
        return ProbeText.result(NAME, Status.UNKNOWN, details);
    }

    /** The value of a {@code Name:   1234 kB} line, in bytes (the kernel's kB are KiB). */
    private static long kibibytes(String line) throws IOException {
        String[] tokens = line.substring(line.indexOf(':') + 1).strip().split("\\s+");
        try {
            return Math.multiplyExact(Long.parseLong(tokens[0]), 1024L);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IOException("\"" + line + "\" has no size in kB", e);
        }
    }
}
