package io.bulwark.failover;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves virtual addresses with iproute2 ({@code ip -4 addr add|del A/len dev IF}) and announces them with
 * iputils {@code arping -U} (gratuitous ARP requests, what keepalived sends). Commands run one after another
 * on a virtual thread, in the order the state machine asked, so a quick MASTER → BACKUP → MASTER can never
 * end with the address removed.
 */
public final class LinuxAddressActuator implements AddressActuator, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LinuxAddressActuator.class);
    private static final List<String> SEARCH = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");
    /** Gratuitous ARPs per address; keepalived's garp_master_repeat defaults to 5. */
    static final int GARP_COUNT = 5;

    /** Runs one command; a seam so tests record argv instead of changing interfaces. */
    @FunctionalInterface
    interface CommandRunner {
        /** Exit code and combined output. */
        Result run(List<String> argv) throws IOException, InterruptedException;

        /**
         * Starts {@code argv} without waiting; the process, or {@code null} when it already finished (the
         * default runs it to completion, which is what recording tests want).
         */
        default Process start(List<String> argv) throws IOException, InterruptedException {
            run(argv);
            return null;
        }

        /** What a command did. */
        record Result(int exitCode, String output) {}
    }

    private final String ip;
    private final String arping;
    /** Thomas Habets' arping (Debian's {@code arping} package) rather than iputils': other flags. */
    private final boolean habetsArping;
    private final CommandRunner runner;
    /** arping bursts still running; ended before addresses are removed. Touched on the queue's thread only. */
    private final List<Process> announcing = new ArrayList<>();
    private final ExecutorService queue = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("vrrp-actuator").factory());

    LinuxAddressActuator(String ip, String arping, CommandRunner runner) {
        this(ip, arping, false, runner);
    }

    LinuxAddressActuator(String ip, String arping, boolean habetsArping, CommandRunner runner) {
        this.ip = ip;
        this.arping = arping;
        this.habetsArping = habetsArping;
        this.runner = runner;
    }

    /**
     * Finds {@code ip} and {@code arping} on PATH or in the sbin directories; throws with what to install
     * when one is missing, so the node fails at start rather than at its first failover.
     */
    public static LinuxAddressActuator create() {
        String ip = find("ip").orElseThrow(() -> new IllegalStateException(
                "VRRP needs the `ip` command (iproute2) to move virtual addresses: not found on PATH or in /sbin, "
                        + "/usr/sbin (expected: install iproute2)"));
        String arping = find("arping").orElseThrow(() -> new IllegalStateException(
                "VRRP needs the `arping` command (iputils-arping) to send gratuitous ARP: not found on PATH or in "
                        + "/sbin, /usr/sbin (expected: install iputils-arping)"));
        return new LinuxAddressActuator(ip, arping, isHabetsArping(arping), new CommandRunner() {
            @Override
            public CommandRunner.Result run(List<String> argv) throws IOException, InterruptedException {
                return exec(argv);
            }

            @Override
            public Process start(List<String> argv) throws IOException {
                return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
            }
        });
    }

    /** iputils' arping answers {@code -V} with its name; Habets' (package {@code arping}) does not know -V. */
    static boolean isHabetsArping(String arping) {
        try {
            return !exec(List.of(arping, "-V")).output().contains("iputils");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Optional<String> find(String tool) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(SEARCH);
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, tool))
                .filter(Files::isExecutable).map(Path::toString).findFirst();
    }

    @Override
    public void add(String interfaceName, List<VirtualAddress> addresses) {
        for (VirtualAddress a : addresses) {
            // "File exists": already there (e.g. after a crash); the goal state holds.
            submit(List.of(ip, "-4", "addr", "add", a.toString(), "dev", interfaceName),
                    r -> r.output().contains("File exists"));
        }
    }

    @Override
    public void remove(String interfaceName, List<VirtualAddress> addresses) {
        // A garp still going out after we gave the address up would pull traffic back from the new master.
        queue.execute(this::stopAnnouncing);
        for (VirtualAddress a : addresses) {
            // Not there (newer iproute2 says "Address not found"): the goal state holds.
            submit(List.of(ip, "-4", "addr", "del", a.toString(), "dev", interfaceName),
                    r -> r.output().contains("Cannot assign requested address") || r.output().contains("Address not found"));
        }
    }

    @Override
    public void announce(String interfaceName, List<VirtualAddress> addresses) {
        for (VirtualAddress a : addresses) {
            String vip = a.address().getHostAddress();
            // Both send "who-has VIP tell VIP" to broadcast; Habets' exits 1 when nobody replied, as nobody should.
            List<String> argv = habetsArping
                    ? List.of(arping, "-q", "-U", "-c", Integer.toString(GARP_COUNT), "-W", "0.2", "-i", interfaceName,
                            "-S", vip, vip)
                    : List.of(arping, "-U", "-c", Integer.toString(GARP_COUNT), "-I", interfaceName, vip);
            queue.execute(() -> startAnnouncing(argv));
        }
    }

    /** Starts a garp burst without holding up the queue: the first packet goes out at once, the rest follow. */
    private void startAnnouncing(List<String> argv) {
        try {
            Process p = runner.start(argv);
            if (p == null) {
                return;
            }
            announcing.add(p);
            p.onExit().thenAccept(done -> {
                int code = done.exitValue();
                // 143/137: ended by stopAnnouncing(); 1 from Habets' arping: no reply, as expected.
                if (code != 0 && code != 143 && code != 137 && !(habetsArping && code == 1)) {
                    log.error("{} failed with exit code {}", String.join(" ", argv), code);
                }
            });
        } catch (IOException e) {
            log.error("{} could not run: {}", String.join(" ", argv), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopAnnouncing() {
        for (Process p : announcing) {
            p.destroy();
        }
        announcing.clear();
    }

    /** Queues {@code argv}; a non-zero exit is logged unless {@code harmless} says the goal state holds anyway. */
    private void submit(List<String> argv, java.util.function.Predicate<CommandRunner.Result> harmless) {
        queue.execute(() -> {
            try {
                CommandRunner.Result r = runner.run(argv);
                if (r.exitCode() != 0 && !harmless.test(r)) {
                    log.error("{} failed with exit code {}: {}", String.join(" ", argv), r.exitCode(), r.output().strip());
                }
            } catch (IOException e) {
                log.error("{} could not run: {}", String.join(" ", argv), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static CommandRunner.Result exec(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new CommandRunner.Result(-1, "timed out after 30s");
        }
        return new CommandRunner.Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Waits for queued commands to finish (for shutdown after the final remove). */
    @Override
    public void close() {
        queue.execute(this::stopAnnouncing);
        queue.shutdown();
        try {
            queue.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
