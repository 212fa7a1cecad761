package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.notify.alert.AlertAdmin;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bouncewatch alerts unmute RULE [--scope S]}. */
@Command(name = "unmute", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Ends the mute of a rule in a scope (or the one for every scope) before its time.",
        footer = {"", "Exit status: 0 unmuted, 1 no such mute or bad arguments, 2 the config or the database could not be read."})
public final class AlertsUnmuteCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RULE", description = "The rule id.")
    String rule;

    @Option(names = "--scope", paramLabel = "KEY=VALUE", description = "The scope the mute was given for. Default: the mute for every scope.")
    String scope;

    @Mixin
    AgentConfigOption config = new AgentConfigOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return config.withExistingDatabase(err, (c, store) -> {
                if (new AlertAdmin(store, clock).unmute(rule, scope)) {
                    out.println("unmuted " + rule + (scope == null || scope.isBlank() ? " (every scope)" : " for " + TerminalText.safe(scope)));
                    return 0;
                }
                err.println("no mute of " + rule + (scope == null || scope.isBlank() ? " for every scope" : " for " + TerminalText.safe(scope))
                        + "; bouncewatch alerts list shows the mutes");
                return 1;
            });
        } catch (IllegalArgumentException e) {
            err.println(TerminalText.safe(e.getMessage()));
            return 1;
        }
    }
}
