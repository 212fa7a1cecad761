package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.notify.RemoteText;
import dev.bouncewatch.agent.notify.delivery.OutboxQueue;
import dev.bouncewatch.agent.store.OutboxEntry;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bouncewatch outbox list}: the newest outbox entries, one line each. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Lists outbox entries, newest first, with their attempts and last error.",
        footer = {"", "Exit status: 0 listed (possibly nothing), 1 no database yet, 2 bad config or database."})
public final class OutboxListCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    enum State { pending, dead, delivered }

    @Mixin
    AgentConfigOption config = new AgentConfigOption();

    @Option(names = "--state", paramLabel = "STATE", description = "Only entries in this state: ${COMPLETION-CANDIDATES}.")
    State state;

    @Option(names = "--destination", paramLabel = "NAME", description = "Only entries for this destination.")
    String destination;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N entries (default ${DEFAULT-VALUE}).")
    int limit;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (limit < 1 || limit > 100_000) {
            err.println("--limit must be 1..100000");
            err.flush();
            return 2;
        }
        return config.withExistingDatabase(err,
                db -> "no database at " + db + " (config: " + config.describe() + "): the agent has not run with this config yet",
                (c, store) -> list(out, store));
    }

    private int list(PrintWriter out, Store store) throws StoreException {
        OutboxQueue queue = new OutboxQueue(store);
        List<OutboxEntry> entries = queue.list(state == null ? null : state.name(), destination, limit);
        Map<String, Long> pending = queue.pendingCounts();
        out.printf("%-7s %-16s %-9s %-20s %8s  %-20s  %-20s  %s%n", "ID", "DESTINATION", "STATE", "TYPE", "ATTEMPTS",
                "CREATED", "NEXT/FINISHED", "LAST ERROR");
        for (OutboxEntry e : entries) {
            Instant when = OutboxEntry.PENDING.equals(e.state()) ? e.nextAttemptAt() : e.finishedAt();
            out.printf("%-7d %-16s %-9s %-20s %8d  %-20s  %-20s  %s%n", e.id(), e.destination(), e.state(),
                    e.eventType(), e.attempts(), TIME.format(e.createdAt()), when == null ? "-" : TIME.format(when),
                    e.lastError() == null ? "" : RemoteText.escapeControls(RemoteText.bounded(e.lastError(), 160)));
        }
        out.println(entries.size() + (entries.size() == 1 ? " entry" : " entries") + " shown; pending per destination: "
                + (pending.isEmpty() ? "none" : pending.toString()));
        out.flush();
        return 0;
    }
}
