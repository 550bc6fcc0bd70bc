package io.bulwark.health;

import io.bulwark.upstream.Cause;
import io.bulwark.upstream.CauseKind;
import io.bulwark.upstream.Server;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs a Nagios-compatible plugin on a virtual thread, without a shell, and maps its exit code: 0 OK,
 * 1 WARNING (a pass: degraded but serving), 2 CRITICAL, 3 and anything else UNKNOWN. The first output line,
 * without performance data, is kept as the detail. A plugin that overruns the timeout is killed.
 */
final class ExecProbe implements Probe {
    /** Plugins print one status line and some perfdata; anything longer is not read. */
    static final int OUTPUT_CAP = 4096;

    private final List<String> command;
    private final long timeoutNanos;

    ExecProbe(List<String> command, Duration timeout) {
        this.command = List.copyOf(command);
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void run(Server server, Consumer<Cause> done) {
        List<String> argv = argv(server);
        Thread.ofVirtual()
                .name("health-exec-" + server.upstream() + "-" + server.index())
                .start(() -> done.accept(exec(argv)));
    }

    List<String> argv(Server server) {
        List<String> argv = new ArrayList<>(command.size());
        for (String arg : command) {
            argv.add(arg.replace("{host}", server.address().host())
                    .replace("{port}", Integer.toString(server.address().port())));
        }
        return argv;
    }

    Cause exec(List<String> argv) {
        Process process;
        try {
            process = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            return Cause.of(CauseKind.EXEC_UNKNOWN, "cannot run " + argv.getFirst() + ": " + e.getMessage());
        }
        CompletableFuture<String> output = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> output.complete(firstLine(process.getInputStream())));
        try {
            if (!process.waitFor(timeoutNanos, TimeUnit.NANOSECONDS)) {
                kill(process);
                return Cause.of(CauseKind.EXEC_UNKNOWN,
                        "timed out after " + Duration.ofNanos(timeoutNanos).toMillis() + "ms, killed");
            }
            // A grandchild may hold the pipe open after the plugin exited; do not wait for it long.
            String line = output.get(100, TimeUnit.MILLISECONDS);
            return classify(process.exitValue(), line);
        } catch (TimeoutException e) {
            return classify(process.exitValue(), "");
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            return Cause.of(CauseKind.EXEC_UNKNOWN, "interrupted");
        } catch (ExecutionException e) {
            return classify(process.exitValue(), "");
        }
    }

    static Cause classify(int exit, String line) {
        return switch (exit) {
            case 0 -> Cause.of(CauseKind.EXEC_OK, line);
            case 1 -> Cause.of(CauseKind.EXEC_WARNING, line);
            case 2 -> Cause.of(CauseKind.EXEC_CRITICAL, line);
            case 3 -> Cause.of(CauseKind.EXEC_UNKNOWN, line);
            default -> Cause.of(CauseKind.EXEC_UNKNOWN, "exit " + exit + (line.isEmpty() ? "" : ": " + line));
        };
    }

    /** The first line without Nagios performance data (after {@code |}). */
    static String firstLine(InputStream in) {
        try (in) {
            String text = new String(in.readNBytes(OUTPUT_CAP), StandardCharsets.UTF_8);
            // Drain the rest so a chatty plugin never blocks on a full pipe.
            in.transferTo(OutputStream.nullOutputStream());
            int nl = text.indexOf('\n');
            String line = nl < 0 ? text : text.substring(0, nl);
            int pipe = line.indexOf('|');
            return (pipe < 0 ? line : line.substring(0, pipe)).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
