package dev.bouncewatch.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of bouncewatch.jar. */
@Command(name = "bouncewatch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Bounce intelligence for self-hosted mail.",
        subcommands = {RunCommand.class, ParseCommand.class, ClassifyCommand.class, ReportCommand.class,
            StatusCommand.class, AlertsCommand.class, ConfigCommand.class, DbCommand.class, OutboxCommand.class, NotifyCommand.class,
            CommandLine.HelpCommand.class})
public final class BouncewatchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BouncewatchCommand()).execute(args));
    }
}
