package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.notify.delivery.OutboxQueue;
import dev.bouncewatch.agent.store.OutboxEntry;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bouncewatch outbox replay}: dead letters back into the queue with a fresh retry budget.
 * The running agent finds them at its next poll (within a second); without a running agent they go
 * out at its next start.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Puts dead letters back into the queue with a fresh retry budget.",
            "A running agent sends them within a second, after what is already queued for that destination."},
        footer = {"", "Exit status: 0 something was replayed, 1 nothing matched, 2 bad config or database."})
public final class OutboxReplayCommand implements Callable<Integer> {

    @Mixin
    AgentConfigOption config = new AgentConfigOption();

    @Option(names = "--destination", paramLabel = "NAME", description = "Only dead letters of this destination.")
    String destination;

    static final class Which {
        @Option(names = "--id", paramLabel = "N", required = true, description = "The entry with this id (see outbox list).")
        Long id;

        @Option(names = "--all-dead", required = true, description = "Every dead letter (of --destination, if given).")
        boolean allDead;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    Clock clock = Clock.systemUTC();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return config.withExistingDatabase(err, db -> "no database at " + db + ": nothing to replay",
                (c, store) -> replay(out, err, store));
    }

    private int replay(PrintWriter out, PrintWriter err, Store store) throws StoreException {
        OutboxQueue queue = new OutboxQueue(store);
        if (which.id != null) {
            Optional<OutboxEntry> entry = queue.find(which.id);
            if (entry.isEmpty() || (destination != null && !destination.equals(entry.get().destination()))) {
                err.println("no outbox entry " + which.id + (destination == null ? "" : " for " + destination));
                err.flush();
                return 1;
            }
            if (!OutboxEntry.DEAD.equals(entry.get().state())) {
                err.println("entry " + which.id + " is " + entry.get().state() + ", not dead: nothing to replay"
                        + (OutboxEntry.DELIVERED.equals(entry.get().state()) ? " (delivered entries are never resent)" : ""));
                err.flush();
                return 1;
            }
        }
        int n = queue.replay(destination, which.id, clock.instant());
        if (n == 0) {
            err.println("no dead letters" + (destination == null ? "" : " for " + destination));
            err.flush();
            return 1;
        }
        out.println(n + (n == 1 ? " entry is" : " entries are") + " pending again; a running agent sends "
                + (n == 1 ? "it" : "them") + " within a second, else at its next start");
        out.flush();
        return 0;
    }
}
