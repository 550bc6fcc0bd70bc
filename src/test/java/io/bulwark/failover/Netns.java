package io.bulwark.failover;

import io.bulwark.testing.HostTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces a test creates for itself, named after the test JVM's pid so concurrent runs cannot
 * clash, and always deleted by {@link #close()} (with every process still running inside them).
 */
final class Netns implements AutoCloseable {
    private final List<String> created = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final String prefix;

    Netns(String tag) {
        this.prefix = "bwk" + ProcessHandle.current().pid() + tag;
    }

    /** Why namespace tests cannot run here, or empty when they can (root, with iproute2). */
    static Optional<String> unavailable(String... tools) {
        Optional<String> notRoot = HostTools.notRoot();
        if (notRoot.isPresent()) {
            return Optional.of(notRoot.get() + ": network namespaces and raw sockets need root");
        }
        List<String> need = new ArrayList<>(List.of("ip"));
        need.addAll(List.of(tools));
        for (String t : need) {
            if (HostTools.find(t).isEmpty()) {
                return Optional.of("`" + t + "` not installed (.ci/run installs iproute2 and keepalived)");
            }
        }
        return Optional.empty();
    }

    /** Creates namespace {@code prefix-name} with loopback up; returns its full name. */
    String add(String name) throws IOException {
        String ns = prefix + "-" + name;
        ip("netns", "add", ns);
        created.add(ns);
        ip("-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /** Runs {@code ip args...}; throws with ip's output on failure. */
    static String ip(String... args) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(HostTools.find("ip").orElse("ip"));
        argv.addAll(List.of(args));
        return run(argv);
    }

    static String run(List<String> argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + ": exit " + p.exitValue() + ": " + out.strip());
        }
        return out;
    }

    /** Starts {@code argv} inside {@code ns}, output to {@code log}; killed by {@link #close()} if still alive. */
    Process exec(String ns, Path log, List<String> argv) throws IOException {
        List<String> full = new ArrayList<>(List.of(HostTools.find("ip").orElse("ip"), "netns", "exec", ns));
        full.addAll(argv);
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    /** Like {@link #exec} but appends to {@code log}, for a daemon restarted within one test. */
    Process execAppend(String ns, Path log, List<String> argv) throws IOException {
        List<String> full = new ArrayList<>(List.of(HostTools.find("ip").orElse("ip"), "netns", "exec", ns));
        full.addAll(argv);
        Process p = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        processes.add(p);
        return p;
    }

    /** Starts {@code argv} inside {@code ns} with its stdout readable by the caller (stderr to {@code log}). */
    Process execPiped(String ns, Path log, List<String> argv) throws IOException {
        List<String> full = new ArrayList<>(List.of(HostTools.find("ip").orElse("ip"), "netns", "exec", ns));
        full.addAll(argv);
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(full).redirectError(log.toFile()).start();
        processes.add(p);
        return p;
    }

    /** A child JVM on this test's classpath running {@code mainClass args...}. */
    static List<String> java(String mainClass, String... args) {
        List<String> argv = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m",
                "-Xss512k", "-cp", System.getProperty("java.class.path"), mainClass));
        argv.addAll(List.of(args));
        return argv;
    }

    /** Whether {@code address} (a.b.c.d) is on an interface in {@code ns}. */
    static boolean holds(String ns, String address) {
        try {
            return ip("-n", ns, "-4", "-o", "addr", "show").contains(" " + address + "/");
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills every process started here (and whatever else runs in the namespaces), deletes the namespaces. */
    @Override
    public void close() {
        for (Process p : processes.reversed()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (String ns : created) {
            try {
                for (String pid : ip("netns", "pids", ns).split("\\s+")) {
                    if (!pid.isBlank()) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            } catch (IOException | NumberFormatException ignored) {
                // deleting the namespace below is what matters
            }
        }
        for (Process p : processes) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String ns : created) {
            try {
                ip("netns", "del", ns);
            } catch (IOException e) {
                System.err.println("could not delete namespace " + ns + ": " + e.getMessage());
            }
        }
    }
}
