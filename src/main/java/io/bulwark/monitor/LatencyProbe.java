package io.bulwark.monitor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

/** The time a TCP connect to a host and port takes, in milliseconds; a connect that fails is CRITICAL. */
public final class LatencyProbe implements Probe {
    private static final String NAME = "LATENCY";

    private final Levels levels;
    private final String host;
    private final int port;
    private final String target;

    public LatencyProbe(Levels levels, String host, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (expected: 1 to 65535)");
        }
        this.levels = levels;
        this.host = host;
        this.port = port;
        this.target = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public CheckResult run(Duration timeout) throws InterruptedException {
        InetAddress address;
        try {
            // Resolved on every run, so a moved name is followed, and its resolution failing is news too.
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return critical("cannot resolve " + host);
        }
        // Socket.connect takes 0 as "no limit"; the shortest real limit is a millisecond.
        int millis = Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE);
        long elapsed;
        try (Socket socket = new Socket()) {
            long start = System.nanoTime();
            socket.connect(new InetSocketAddress(address, port), millis);
            elapsed = System.nanoTime() - start;
        } catch (SocketTimeoutException e) {
            return critical("timed out after " + millis + " ms");
        } catch (IOException e) {
            // A virtual thread interrupted in connect gets a closed socket, not an InterruptedException.
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while connecting to " + target);
            }
            return critical(ProbeText.reason(e));
        }
        double ms = ProbeText.rounded(elapsed / 1e6, 2);
        Status status = levels.judge(ms);
        return ProbeText.result(NAME, status, target + " connected in " + ProbeText.decimal(ms, 2) + " ms",
                ProbeText.datum("time", ms, "ms", levels, 0.0, null));
    }

    private CheckResult critical(String reason) {
        return ProbeText.result(NAME, Status.CRITICAL, target + ": " + reason);
    }
}
