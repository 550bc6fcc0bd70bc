package io.bulwark.monitor;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a Nagios plugin without a shell and reads its exit code and output as Nagios Core 4 does, with Nagios's
 * words for a plugin that overruns its time, cannot be started or exits with a code outside 0..3.
 */
public final class PluginProbe implements Probe {
    /** About the size of Nagios's own output buffer; a runaway plugin cannot fill memory past it. */
    static final int OUTPUT_CAP = 64 * 1024;
    /** strerror's text in ProcessBuilder's message: "error=2, No such ..." or, newer, "error: 2 (No such ...)". */
    private static final Pattern ERRNO_TEXT = Pattern.compile("error(?:=\\d+, |: \\d+ \\()([^()]+?)\\)?\\s*$");

    private final List<String> command;

    /** @param command the plugin's path and its arguments */
    public PluginProbe(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty (expected: the plugin's path, then its arguments)");
        }
        this.command = List.copyOf(command);
    }

    @Override
    public CheckResult run(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Process process;
        try {
            // stderr merged into stdout as NRPE does, so a plugin's complaint is what the operator reads.
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException | RuntimeException e) {
            return nagios(Status.UNKNOWN, "(could not run " + command.getFirst() + ": " + startFailure(e) + ")", "");
        }
        Output output = new Output(process.getInputStream());
        Thread reader = Thread.ofVirtual().name("plugin-output-" + process.pid()).start(output);
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(process);
                // Nagios Core 4's words; its service_check_timeout_state is critical unless configured.
                return nagios(Status.CRITICAL, "(Service check timed out after "
                        + ProbeText.decimal(timeout.toNanos() / 1e9, 2) + " seconds)", output.text());
            }
            // A child the plugin left behind may hold the pipe open; wait for the rest only until the deadline.
            reader.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
        int exit = process.exitValue();
        String stdout = output.text();
        if (exit == 126 || exit == 127) {
            // The shell's "not executable" and "not found": a check that cannot run is a broken check.
            return nagios(Status.CRITICAL, "(Return code of " + exit + " is out of bounds - plugin may be missing)",
                    stdout);
        }
        if (exit < 0 || exit > 3) {
            return nagios(Status.UNKNOWN, "(Return code of " + exit + " is out of bounds)", stdout);
        }
        return CheckResult.ofPlugin(exit, stdout);
    }

    /** A result in Nagios's own words; what the plugin printed, if anything, stays as the long text. */
    private static CheckResult nagios(Status status, String text, String stdout) {
        return new CheckResult(status, text, stdout.strip(), List.of());
    }

    /** strerror's text from ProcessBuilder's "Cannot run program ...", which says it in one of two ways. */
    private static String startFailure(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            Matcher m = ERRNO_TEXT.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                return m.group(1);
            }
        }
        return ProbeText.reason(e);
    }

    /** Kills the plugin and whatever it started; its children are listed first, as they are lost once it dies. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Reads the plugin's output up to the cap and drops the rest, so the plugin never blocks on a full pipe. */
    private static final class Output implements Runnable {
        private final InputStream in;
        private final byte[] buffer = new byte[OUTPUT_CAP];
        private int length;

        Output(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    synchronized (this) {
                        int kept = Math.min(n, buffer.length - length);
                        System.arraycopy(chunk, 0, buffer, length, kept);
                        length += kept;
                    }
                }
            } catch (IOException e) {
                // The pipe closed under us (the plugin was killed): what was read stands.
            }
        }

        /** What has been read so far. */
        synchronized String text() {
            return new String(Arrays.copyOf(buffer, length), StandardCharsets.UTF_8);
        }
    }
}
