package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.notify.DisplayFormat;
import dev.bouncewatch.agent.notify.alert.AlertAdmin;
import dev.bouncewatch.agent.notify.alert.GroupState;
import dev.bouncewatch.agent.notify.alert.Mute;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bouncewatch alerts list}: every alert group the agent keeps, and the mutes in force. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Lists the alert groups (active, waiting to be announced, or resolved in the last day) and the mutes.",
            "STATE is pending (active, not announced yet), firing or resolved; HELD BY says why an active alert is",
            "not announced: a mute, or the blocklisting alert that explains it."},
        footer = {"", "Exit status: 0 listed, 2 the config or the database could not be read."})
public final class AlertsListCommand implements Callable<Integer> {

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
        return config.withExistingDatabase(err, (c, store) -> {
            AlertAdmin admin = new AlertAdmin(store, clock);
            print(out, admin.groups(), admin.mutes());
            return 0;
        });
    }

    private void print(PrintWriter out, List<GroupState> groups, List<Mute> mutes) {
        if (groups.isEmpty()) {
            out.println("No alerts.");
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (GroupState g : groups) {
                rows.add(List.of(TerminalText.safe(g.groupKey()), g.phase().wireName(), g.severity().wireName(),
                        time(g.activeSince()), g.resolvedAt() == null ? "-" : time(g.resolvedAt()),
                        g.lastSentAt() == null ? "-" : time(g.lastSentAt()) + " (" + g.told().name().toLowerCase(java.util.Locale.ROOT) + ")",
                        g.heldBy() == null ? "-" : TerminalText.safe(g.heldBy())));
            }
            out.print(TerminalText.table(List.of("GROUP", "STATE", "SEVERITY", "SINCE", "RESOLVED", "LAST MESSAGE", "HELD BY"), rows));
        }
        out.println();
        if (mutes.isEmpty()) {
            out.println("No mutes.");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Mute m : mutes) {
            rows.add(List.of(m.rule(), m.scope().isEmpty() ? "(every scope)" : TerminalText.safe(m.scope()), time(m.until()),
                    m.reason() == null ? "" : TerminalText.safe(m.reason())));
        }
        out.print(TerminalText.table(List.of("MUTED RULE", "SCOPE", "UNTIL", "REASON"), rows));
    }

    private String time(Instant t) {
        return DisplayFormat.dateTime(t, zone);
    }
}
