package dev.bouncewatch.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bouncewatch notify test}. */
@Command(name = "notify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Checks the notification destinations.",
        subcommands = {NotifyTestCommand.class})
public final class NotifyCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
