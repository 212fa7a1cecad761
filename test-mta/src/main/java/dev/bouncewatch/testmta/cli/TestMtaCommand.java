package dev.bouncewatch.testmta.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of test-mta.jar: {@code serve}, {@code check}, {@code send}. */
@Command(name = "test-mta", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "An SMTP test sink that answers with the codes a scenario asks for.",
        subcommands = {ServeCommand.class, CheckCommand.class, SendCommand.class, CommandLine.HelpCommand.class})
public final class TestMtaCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TestMtaCommand()).execute(args));
    }
}
