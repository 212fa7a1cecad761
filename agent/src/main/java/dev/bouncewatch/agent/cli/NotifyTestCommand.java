package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.config.LoadedConfig;
import dev.bouncewatch.agent.notify.DeliveryOutcome;
import dev.bouncewatch.agent.notify.Destination;
import dev.bouncewatch.agent.notify.NotificationEvent;
import dev.bouncewatch.agent.notify.Notifications;
import dev.bouncewatch.agent.notify.delivery.DeliverySettings;
import dev.bouncewatch.agent.notify.delivery.OutboxDispatcher;
import dev.bouncewatch.agent.notify.delivery.OutboxQueue;
import dev.bouncewatch.agent.notify.event.EventFactory;
import dev.bouncewatch.agent.store.OutboxEntry;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bouncewatch notify test}: queues a {@code webhook.test} event for each destination (or
 * one) in the outbox, whatever its event filters say. When the agent is running (its HTTP API
 * answers) its workers send it and this command waits for the outcome; otherwise this command
 * sends it itself, right away, and records the outcome (a failed test is kept as a dead letter,
 * not retried).
 */
@Command(name = "test", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Sends a webhook.test event to every destination, or to the one named, and prints what each answered."},
        footer = {"", "Exit status: 0 every test was delivered, 1 some were not (or none is configured), 2 bad config or database."})
public final class NotifyTestCommand implements Callable<Integer> {

    @Mixin
    AgentConfigOption config = new AgentConfigOption();

    @Option(names = "--destination", paramLabel = "NAME", description = "Only this destination.")
    String destination;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "30", description =
            "Seconds to wait for a running agent to deliver (default ${DEFAULT-VALUE}).")
    int waitSeconds;

    Clock clock = Clock.systemUTC();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<LoadedConfig> found = config.loadOrReport(err);
        if (found.isEmpty()) {
            return 2;
        }
        LoadedConfig loaded = found.get();
        List<Destination> all;
        try {
            all = Notifications.destinations(loaded.config().notifications(), clock);
        } catch (IllegalArgumentException e) {
            err.println(config.describe() + ": " + e.getMessage());
            err.flush();
            return 2;
        }
        List<Destination> targets = destination == null ? all
                : all.stream().filter(d -> d.name().equals(destination)).toList();
        if (targets.isEmpty()) {
            err.println(destination == null ? "no notification destination is configured (" + config.describe() + ")"
                    : "no destination named '" + destination + "'; configured: "
                    + (all.isEmpty() ? "none" : String.join(", ", all.stream().map(Destination::name).toList())));
            err.flush();
            return 1;
        }
        boolean agentRunning = AgentProbe.answers(loaded.config().http(), Duration.ofSeconds(1));
        try (Store store = Store.open(loaded.config().databaseFile())) {
            OutboxDispatcher dispatcher = new OutboxDispatcher(store, targets, DeliverySettings.defaults(), clock);
            EventFactory events = new EventFactory(Notifications.hostName(), clock);
            Map<Destination, OutboxEntry> queued = new LinkedHashMap<>();
            for (Destination d : targets) {
                NotificationEvent event = events.webhookTest(d.name());
                OutboxEntry entry = store.write(tx -> dispatcher.publishTo(tx, event, d.name())).orElse(null);
                if (entry == null) {
                    out.println(d.name() + ": could not render the test event (see the log)");
                } else {
                    queued.put(d, entry);
                }
            }
            boolean allDelivered = queued.size() == targets.size();
            OutboxQueue queue = dispatcher.queue();
            if (agentRunning) {
                out.println("the agent is running: its workers send the test; waiting up to " + waitSeconds + " s");
                out.flush();
                for (Map.Entry<Destination, OutboxEntry> q : queued.entrySet()) {
                    OutboxEntry now = awaitFinished(queue, q.getValue(), Duration.ofSeconds(waitSeconds));
                    allDelivered &= report(out, q.getKey(), now);
                }
            } else {
                for (Map.Entry<Destination, OutboxEntry> q : queued.entrySet()) {
                    allDelivered &= sendNow(out, queue, q.getKey(), q.getValue());
                }
            }
            out.flush();
            return allDelivered ? 0 : 1;
        } catch (StoreException e) {
            return AgentConfigOption.databaseFailed(err, e);
        }
    }

    private boolean sendNow(PrintWriter out, OutboxQueue queue, Destination d, OutboxEntry entry)
            throws StoreException, InterruptedException {
        DeliveryOutcome outcome = d.send(entry);
        String detail = outcome.detail() == null ? "" : outcome.detail();
        if (outcome.kind() == DeliveryOutcome.Kind.DELIVERED) {
            queue.markDelivered(entry, 1, clock.instant());
            out.println(d.name() + " (" + d.kind() + "): delivered" + (detail.isEmpty() ? "" : " (" + detail + ")"));
            return true;
        }
        queue.markDead(entry, 1, clock.instant(), "test: " + detail);
        out.println(d.name() + " (" + d.kind() + "): FAILED, " + describe(outcome.kind()) + ": " + detail);
        return false;
    }

    private static String describe(DeliveryOutcome.Kind kind) {
        return switch (kind) {
            case RETRY -> "the agent would retry this";
            case PAUSE -> "the agent would pause this destination until it is fixed";
            case DEAD -> "the receiver refused this event for good";
            case DELIVERED -> "delivered";
        };
    }

    private boolean report(PrintWriter out, Destination d, OutboxEntry e) {
        String name = d.name() + " (" + d.kind() + "): ";
        switch (e.state()) {
            case OutboxEntry.DELIVERED -> {
                out.println(name + "delivered by the running agent");
                return true;
            }
            case OutboxEntry.DEAD -> out.println(name + "FAILED: " + e.lastError());
            default -> out.println(name + (e.attempts() == 0 ? "still queued (behind other entries of this destination)"
                    : "not delivered yet after " + e.attempts() + " attempt(s): " + e.lastError()
                    + "; the agent keeps retrying, see 'bouncewatch outbox list'"));
        }
        return false;
    }

    private static OutboxEntry awaitFinished(OutboxQueue queue, OutboxEntry entry, Duration wait)
            throws StoreException, InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        OutboxEntry now = entry;
        while (true) {
            now = queue.find(entry.id()).orElse(now);
            if (!OutboxEntry.PENDING.equals(now.state()) || now.attempts() > 0 || System.nanoTime() > end) {
                return now;
            }
            Thread.sleep(200);
        }
    }
}
