package io.bulwark.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps a command in the foreground and runs its clean-up when the JVM is asked to stop. */
final class Foreground {
    private static final Logger log = LoggerFactory.getLogger(Foreground.class);

    private Foreground() {}

    /** Blocks until SIGTERM/SIGINT; the JVM's shutdown hook runs {@code stop} and only then lets the process end. */
    static void runUntilSignalled(Runnable stop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping");
            try {
                stop.run();
            } finally {
                log.info("stopped");
                stopped.countDown();
            }
        }, "bulwark-shutdown"));
        stopped.await();
    }
}
