package dev.bouncewatch.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bouncewatch config check|defaults}. */
@Command(name = "config", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Checks an agent config file, or prints the documented default config.",
        subcommands = {ConfigCheckCommand.class, ConfigDefaultsCommand.class})
public final class ConfigCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
