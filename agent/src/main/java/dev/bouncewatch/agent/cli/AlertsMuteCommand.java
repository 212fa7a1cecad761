package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.config.ConfigValues;
import dev.bouncewatch.agent.notify.DisplayFormat;
import dev.bouncewatch.agent.notify.alert.AlertAdmin;
import dev.bouncewatch.agent.notify.alert.Mute;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bouncewatch alerts mute RULE [--scope S] --for 2h [--reason TEXT]}. */
@Command(name = "mute", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Mutes an alert rule, in one scope or in all, for a while: no messages about it until the mute ends",
            "(a resolved message that falls due meanwhile waits for the end). The running agent applies it at its next",
            "evaluation (30 s by default). Muting again replaces the earlier mute."},
        footer = {"", "Rules: bounce_rate_sender, bounce_rate_recipient, blocklisted, deferral_spike, auth_failure,",
            "suppression_surge, source_lag, notifier_paused, notifier_failing, dead_letters.",
            "Example: bouncewatch alerts mute deferral_spike --scope provider=microsoft --for 2h --reason \"ticket 4711\"",
            "", "Exit status: 0 muted, 1 bad arguments, 2 the config or the database could not be read."})
public final class AlertsMuteCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RULE", description = "The rule id, as alerts list and the messages show it.")
    String rule;

    @Option(names = "--scope", paramLabel = "KEY=VALUE", description = "Only this scope, e.g. provider=microsoft or sender_domain=example.com. Default: every scope.")
    String scope;

    @Option(names = "--for", required = true, paramLabel = "DURATION", description = "How long: 30m, 2h, 1d ...")
    String duration;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for whoever reads alerts list.")
    String reason;

    @Mixin
    AgentConfigOption config = new AgentConfigOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Clock clock = Clock.systemUTC();
    ZoneId zone = ZoneId.systemDefault();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration d;
        try {
            d = ConfigValues.parseDuration(duration);
        } catch (IllegalArgumentException e) {
            err.println("--for: " + e.getMessage());
            return 1;
        }
        try {
            return config.withExistingDatabase(err, (c, store) -> {
                Mute m = new AlertAdmin(store, clock).mute(rule, scope, d, reason);
                out.println("muted " + m.rule() + (m.scope().isEmpty() ? " in every scope" : " for " + TerminalText.safe(m.scope()))
                        + " until " + DisplayFormat.dateTime(m.until(), zone));
                return 0;
            });
        } catch (IllegalArgumentException e) {
            err.println(TerminalText.safe(e.getMessage()));
            return 1;
        }
    }
}
