package io.bulwark.monitor;

import java.util.List;

/**
 * What one run of a check found: its status and what a Nagios plugin would have printed for it, the first
 * line's text, the long output and the performance data, so built-in checks and plugins read alike.
 */
public record CheckResult(Status status, String text, String longText, List<PerfDatum> perfData) {
    public CheckResult {
        text = text == null ? "" : text;
        longText = longText == null ? "" : longText;
        perfData = List.copyOf(perfData);
    }

    /** A result with a one-line text and its performance data. */
    public static CheckResult of(Status status, String text, PerfDatum... perfData) {
        return new CheckResult(status, text, "", List.of(perfData));
    }

    /** What a plugin's exit code and standard output say, as Nagios reads them. */
    public static CheckResult ofPlugin(int exitCode, String stdout) {
        PluginOutput out = PluginOutput.parse(stdout);
        return new CheckResult(Status.ofExitCode(exitCode), out.text(), out.longText(), out.perfData());
    }
}
