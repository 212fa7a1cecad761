package dev.bouncewatch.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bouncewatch outbox list|replay}. */
@Command(name = "outbox", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Shows the notification outbox and sends dead letters again.",
            "Every notification waits in the outbox (in the agent's database) until its destination took it;",
            "after its retries are used up it stays there as a dead letter."},
        subcommands = {OutboxListCommand.class, OutboxReplayCommand.class})
public final class OutboxCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
