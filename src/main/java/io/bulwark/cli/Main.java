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

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
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
