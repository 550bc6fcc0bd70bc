package io.bulwark.alert;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a command for each alert, without a shell, as Nagios runs a notification command: the alert in
 * {@code NAGIOS_*} environment variables (so existing Nagios notification scripts work unchanged) plus
 * {@code BULWARK_*} ones, and the alert's text on stdin.
 */
public final class ExecChannel implements Channel {
    /** Nagios's $LONGDATETIME$ ({@code "%a %b %d %H:%M:%S %Z %Y"}, the day unpadded), in UTC as Bulwark's times. */
    static final DateTimeFormatter LONG_DATE_TIME =
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss 'UTC' yyyy", Locale.US).withZone(ZoneOffset.UTC);
    /** How much of the command's output is kept for the error; the rest is read and dropped. */
    private static final int OUTPUT_CAP = 8 * 1024;
    /** How long the output may still take once the command ended (a child it left may hold the pipe open). */
    private static final Duration OUTPUT_GRACE = Duration.ofMillis(500);

    private final String name;
    private final List<String> command;
    private final Duration timeout;

    /**
     * @param command the program's path and its arguments
     * @param timeout how long the command may run before it is killed and the delivery failed
     */
    public ExecChannel(String name, List<String> command, Duration timeout) {
        this.name = Objects.requireNonNull(name, "name");
        this.command = List.copyOf(command);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (this.command.isEmpty()) {
            throw new IllegalArgumentException("exec channel " + name
                    + ": the command is empty (expected: the program's path, then its arguments)");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Alert alert) throws DeliveryException, InterruptedException {
        // Only the program is named in errors: its arguments may carry a token.
        String where = "exec " + command.getFirst();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // A NUL cannot be in an environment variable; ProcessBuilder would refuse the whole command.
        environment(alert).forEach((k, v) -> builder.environment().put(k, v.replace('\0', ' ')));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new DeliveryException(where + ": cannot run it: " + e.getMessage(), e);
        }
        Thread.ofVirtual().name("exec-stdin-" + process.pid()).start(() -> feed(process, alert.body()));
        Output output = new Output(process.getInputStream());
        Thread reader = Thread.ofVirtual().name("exec-output-" + process.pid()).start(output);
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(process);
                reader.join(OUTPUT_GRACE);
                throw new DeliveryException(where + ": still running after " + timeout.toMillis()
                        + " ms, killed" + said(output));
            }
            int exit = process.exitValue();
            if (exit != 0) {
                reader.join(OUTPUT_GRACE);
                throw new DeliveryException(where + ": exit " + exit + said(output));
            }
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
    }

    /** The alert as Nagios's environment macros for a service notification, and Bulwark's own. */
    static Map<String, String> environment(Alert alert) {
        Alert.Item first = alert.items().getFirst();
        return Map.ofEntries(
                Map.entry("NAGIOS_NOTIFICATIONTYPE", notificationType(alert.kind())),
                Map.entry("NAGIOS_SERVICEDESC", first.source()),
                Map.entry("NAGIOS_SERVICESTATE", first.current()),
                Map.entry("NAGIOS_LASTSERVICESTATE", first.previous()),
                Map.entry("NAGIOS_SERVICEOUTPUT", first.reason()),
                Map.entry("NAGIOS_HOSTNAME", alert.node()),
                Map.entry("NAGIOS_LONGDATETIME", LONG_DATE_TIME.format(Instant.ofEpochMilli(alert.timestampMillis()))),
                Map.entry("NAGIOS_TIMET", Long.toString(alert.timestampMillis() / 1000)),
                Map.entry("BULWARK_ALERT_ID", alert.id()),
                Map.entry("BULWARK_KIND", alert.kind().name()),
                Map.entry("BULWARK_SEVERITY", alert.severity().label()),
                Map.entry("BULWARK_SUMMARY", alert.summary()),
                Map.entry("BULWARK_SOURCES", alert.items().stream().map(Alert.Item::source)
                        .collect(Collectors.joining("\n"))),
                Map.entry("BULWARK_ALERT_JSON", alert.toJson()));
    }

    /**
     * Nagios's word for the kind. Nagios has no reminder type: a repeated notification is a PROBLEM again, so a
     * script that acts on PROBLEM acts on a reminder too ({@code BULWARK_KIND} tells them apart).
     */
    static String notificationType(Alert.Kind kind) {
        return switch (kind) {
            case PROBLEM, REMINDER -> "PROBLEM";
            case RECOVERY -> "RECOVERY";
            case FLAPPING_START -> "FLAPPINGSTART";
            case FLAPPING_STOP -> "FLAPPINGSTOP";
        };
    }

    private static void feed(Process process, String text) {
        try (OutputStream in = process.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The command does not read its stdin, or ended first: its exit code says whether that mattered.
        }
    }

    private static String said(Output output) {
        String line = output.firstLine();
        return line.isEmpty() ? "" : ": " + line;
    }

    /** Kills the command and whatever it started; its children are listed first, as they are lost once it dies. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Reads the command's output up to the cap and drops the rest, so the command never blocks on a full pipe. */
    private static final class Output implements Runnable {
        private final InputStream in;
        private final byte[] buffer = new byte[OUTPUT_CAP];
        private int length;

        Output(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[4096];
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
                // The pipe closed under us (the command was killed): what was read stands.
            }
        }

        /** The first non-blank line read so far, stripped. */
        synchronized String firstLine() {
            return new String(Arrays.copyOf(buffer, length), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        }
    }
}
