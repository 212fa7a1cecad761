package dev.bouncewatch.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bouncewatch alerts list|mute|unmute}. */
@Command(name = "alerts", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Shows the agent's alerts and mutes one rule (in one scope or all) for a while.",
        subcommands = {AlertsListCommand.class, AlertsMuteCommand.class, AlertsUnmuteCommand.class})
public final class AlertsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
