package io.bulwark.cli;

import io.bulwark.app.Gateway;
import io.bulwark.config.Config;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bulwark run}: serves a config in the foreground until SIGTERM or SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the gateway in the foreground.")
final class RunCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The YAML config file.")
    Path config;

    @Override
    public Integer call() throws Exception {
        Config c = ConfigFiles.loadOrReport(config, System.err);
        if (c == null) {
            return Main.EXIT_BAD_CONFIG;
        }
        Gateway gateway = Gateway.start(c);
        Foreground.runUntilSignalled(gateway::close);
        return 0;
    }
}
