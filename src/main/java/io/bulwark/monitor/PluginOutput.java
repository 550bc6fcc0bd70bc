package io.bulwark.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * What a Nagios plugin printed, split the way Nagios splits it (Nagios Core "Plugin API"): the first line's
 * text, the long output of the lines after it, and the performance data after the {@code |} of the first line
 * and after the first {@code |} of a later line.
 *
 * @param text the first line up to its {@code |}, trimmed; empty when the plugin printed nothing
 * @param longText the later lines up to the first {@code |} among them, joined with {@code \n}; blank lines at
 *     either end and trailing spaces dropped, empty when none
 * @param perfData every well-formed performance data item, in the order printed
 */
public record PluginOutput(String text, String longText, List<PerfDatum> perfData) {
    public PluginOutput {
        perfData = List.copyOf(perfData);
    }

    /** The plugin's standard output split into text, long text and performance data; never throws. */
    public static PluginOutput parse(String stdout) {
        String[] lines = (stdout == null ? "" : stdout).split("\r?\n", -1);
        List<String> perf = new ArrayList<>();
        String text = beforePipe(lines[0], perf).strip();
        List<String> longLines = new ArrayList<>();
        boolean inPerf = false;
        for (int i = 1; i < lines.length; i++) {
            if (inPerf) {
                // Once long output has had its |, every later line continues the performance data.
                perf.add(lines[i]);
            } else {
                int pipe = lines[i].indexOf('|');
                longLines.add(beforePipe(lines[i], perf).stripTrailing());
                inPerf = pipe >= 0;
            }
        }
        // Nagios glues the parts together without a space, which would run the first part's last item into the
        // next part's first; a space keeps them apart.
        return new PluginOutput(text, joinTrimmed(longLines), PerfDatum.parseAll(String.join(" ", perf)));
    }

    private static String beforePipe(String line, List<String> perf) {
        int pipe = line.indexOf('|');
        if (pipe < 0) {
            return line;
        }
        perf.add(line.substring(pipe + 1));
        return line.substring(0, pipe);
    }

    // Blank lines go from the ends only, and leading spaces stay, so indented long output keeps its shape.
    private static String joinTrimmed(List<String> lines) {
        int from = 0;
        int to = lines.size();
        while (from < to && lines.get(from).isBlank()) {
            from++;
        }
        while (to > from && lines.get(to - 1).isBlank()) {
            to--;
        }
        return String.join("\n", lines.subList(from, to));
    }
}
