package io.bulwark.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code bulwark} command. */
@Command(
        name = "bulwark",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "High-availability HTTP gateway: load balancing, health checks, failover.",
        subcommands = {RunCommand.class, ValidateCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit status for a config that cannot be used. */
    static final int EXIT_BAD_CONFIG = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Exit status when the gateway cannot start (a port in use, a missing capability, ...). */
    static final int EXIT_START_FAILED = 1;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Bulwark's handling of start failures: one clear message, not a stack trace. */
    static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            StringBuilder b = new StringBuilder("bulwark: cannot start: ").append(e.getMessage());
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                if (c.getMessage() != null && !b.toString().contains(c.getMessage())) {
                    b.append(": ").append(c.getMessage());
                }
            }
            cmd.getErr().println(b);
            return EXIT_START_FAILED;
        });
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Reads the version Maven wrote into the resources at build time. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/bulwark-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"bulwark " + p.getProperty("version", "unknown") + " (Java " + Runtime.version() + ")"};
        }
    }
}
