package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.config.ConfigLoader;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bouncewatch config defaults}: the packaged agent.yml, every key with its default and meaning. */
@Command(name = "defaults", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Prints the documented default config (what the package installs as "
                + "/etc/bouncewatch/agent.yml): every key, its default and what it does."},
        footer = {"", "Example:", "  bouncewatch config defaults > agent.yml"})
public final class ConfigDefaultsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(ConfigLoader.packagedConfigText());
        out.flush();
        return 0;
    }
}
