package io.bulwark.monitor;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The percent used of the file system holding a path, as {@code df} counts it for unprivileged users. */
public final class DiskProbe implements Probe {
    private static final String NAME = "DISK";

    private final Levels levels;
    private final Path path;

    public DiskProbe(Levels levels, Path path) {
        this.levels = levels;
        this.path = path;
    }

    @Override
    public CheckResult run(Duration timeout) {
        long total;
        long usable;
        try {
            FileStore store = Files.getFileStore(path);
            total = store.getTotalSpace();
            usable = store.getUsableSpace();
        } catch (IOException | SecurityException e) {
            // check_disk's words and status for a mount point it cannot stat: what should be there is missing.
            return ProbeText.result(NAME, Status.CRITICAL, path + " is not accessible: " + ProbeText.reason(e));
        }
        if (total <= 0) {
            return ProbeText.result(NAME, Status.UNKNOWN, path + " is on a file system without a size");
        }
        // Space reserved for root counts as used: a service running unprivileged cannot write into it.
        long used = total - usable;
        double percent = ProbeText.rounded(100.0 * used / total, 1);
        Status status = levels.judge(percent);
        return ProbeText.result(NAME, status,
                path + " " + ProbeText.decimal(percent, 1) + "% used (" + ProbeText.bytes(used) + " of "
                        + ProbeText.bytes(total) + ")",
                ProbeText.datum(path.toString(), percent, "%", levels, 0.0, 100.0));
    }
}
