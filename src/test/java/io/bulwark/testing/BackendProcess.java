package io.bulwark.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TestBackend} answering 200 in a child JVM, so a test can fail it for real: SIGKILL (the kernel
 * resets its connections, its port refuses) or SIGSTOP (it accepts and then never answers). The child exits
 * when its standard input closes, so it never outlives the test JVM.
 */
public final class BackendProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private BackendProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The child's entry point: prints {@code PORT n}, then serves until stdin closes. */
    public static void main(String[] args) throws Exception {
        try (TestBackend backend = TestBackend.ok()) {
            System.out.println("PORT " + backend.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to go away
            }
        }
    }

    /** Starts a child JVM with this test class path; returns once it listens. */
    public static BackendProcess start() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), BackendProcess.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("PORT ")) {
                return new BackendProcess(p, Integer.parseInt(line.substring(5).strip()));
            }
        }
        p.destroyForcibly();
        throw new IOException("backend process exited before listening: " + p.waitFor(Duration.ofSeconds(5)));
    }

    public int port() {
        return port;
    }

    /** SIGKILL. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGSTOP: the process stays, its sockets keep accepting, nothing answers. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT. */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            thaw();
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
