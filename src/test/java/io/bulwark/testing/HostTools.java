package io.bulwark.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** What tests that drive the host's own tools (ip, keepalived, tcpdump) ask of the machine first. */
public final class HostTools {
    private HostTools() {}

    /** {@code tool} on PATH or in the sbin directories (not always on a root shell's PATH). */
    public static Optional<String> find(String tool) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, tool))
                .filter(Files::isExecutable).map(Path::toString).findFirst();
    }

    /** Why this process is not root (it cannot be told from its user name alone), or empty when it is. */
    public static Optional<String> notRoot() {
        try {
            Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.of("`id -u` did not answer");
            }
            return "0".equals(uid) ? Optional.empty() : Optional.of("not root (uid " + uid + "); CI runs as root");
        } catch (IOException e) {
            return Optional.of("cannot run `id -u`: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }
}
