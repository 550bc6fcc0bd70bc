package io.bulwark.cli;

import io.bulwark.app.Preflight;
import io.bulwark.config.Config;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bulwark validate}: checks a config and says what is wrong, without starting anything. */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a config file; exit 2 when it is invalid.")
final class ValidateCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The YAML config file.")
    Path config;

    @Override
    public Integer call() {
        Config c = ConfigFiles.loadOrReport(config, System.err);
        if (c == null) {
            return Main.EXIT_BAD_CONFIG;
        }
        System.out.println(config + ": ok (" + c.listeners().size() + " listeners, " + c.routes().size() + " routes, "
                + c.upstreams().size() + " upstreams)");
        // Valid but worth a look: printed, the exit code stays 0 (the gateway starts with them and WARNs).
        for (Preflight.Finding f : Preflight.check(c)) {
            (f.warning() ? System.err : System.out).println(config + ": " + (f.warning() ? "warning: " : "") + f.message());
        }
        return 0;
    }
}
