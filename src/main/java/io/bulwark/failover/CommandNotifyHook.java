package io.bulwark.failover;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured command as keepalived runs a {@code notify} script: arguments {@code INSTANCE <name>
 * <STATE> <priority>}, so existing keepalived scripts work unchanged. Calls run one after another on a
 * virtual thread, in transition order, never on the state machine's thread.
 */
final class CommandNotifyHook implements NotifyHook {
    private static final Logger log = LoggerFactory.getLogger(CommandNotifyHook.class);
    private static final long TIMEOUT_SECONDS = 30;
    private final List<String> command;
    // One thread: a MASTER script must not race the BACKUP script that follows it.
    private final ExecutorService runner = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("vrrp-notify").factory());

    CommandNotifyHook(List<String> command) {
        this.command = List.copyOf(command);
    }

    @Override
    public void stateChanged(String instance, VrrpState state, int effectivePriority) {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("INSTANCE", instance, state.notifyName(), Integer.toString(effectivePriority)));
        runner.execute(() -> run(args));
    }

    private static void run(List<String> args) {
        try {
            Process p = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                log.warn("notify {} killed after {}s", args, TIMEOUT_SECONDS);
            } else if (p.exitValue() != 0) {
                log.warn("notify {} exited with {}", args, p.exitValue());
            }
        } catch (IOException e) {
            log.error("notify command {} could not be started (expected: an executable path): {}", args.getFirst(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
