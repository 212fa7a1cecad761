package dev.bouncewatch.agent.notify.delivery;

import dev.bouncewatch.agent.config.Secret;
import dev.bouncewatch.agent.config.WebhookConfig;
import dev.bouncewatch.agent.notify.DefaultNotifier;
import dev.bouncewatch.agent.notify.Destination;
import dev.bouncewatch.agent.notify.EventFilter;
import dev.bouncewatch.agent.notify.Notifier;
import dev.bouncewatch.agent.notify.Results;
import dev.bouncewatch.agent.notify.console.ConsoleDestination;
import dev.bouncewatch.agent.notify.event.EventFactory;
import dev.bouncewatch.agent.notify.webhook.WebhookDestination;
import dev.bouncewatch.agent.notify.webhook.WebhookReceiver;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoredResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Not a test: prints what notifications cost. (1) the notifier's share of a batch commit (events
 * built, rendered and queued in the batch's transaction), (2) delivered events per second from one
 * worker to a loopback receiver that verifies every signature. Run with the test classpath:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) dev.bouncewatch.agent.notify.delivery.OutboxBenchmark}
 */
public final class OutboxBenchmark {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    public static void main(String[] args) throws Exception {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Path dir = Files.createTempDirectory("outbox-bench");
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            WebhookDestination webhook = new WebhookDestination(new WebhookConfig("bench", receiver.url(),
                    List.of(new Secret(SECRET, "bench")), EventFilter.DEFAULT_TYPES, Set.of(), Set.of(), true,
                    Duration.ofSeconds(15)), WebhookDestination.newHttpClient(), Clock.systemUTC());
            EventFactory factory = new EventFactory("bench", Clock.systemUTC());

            try (Store store = Store.open(dir.resolve("none.db"))) {
                commit(store, Notifier.NONE, batches / 4); // warm up
                long none = commit(store, Notifier.NONE, batches);
                try (Store store2 = Store.open(dir.resolve("console.db"));
                     Store store3 = Store.open(dir.resolve("webhook.db"))) {
                    DefaultNotifier console = notifier(store2, factory, new ConsoleDestination(EventFilter.defaults(), s -> { }));
                    DefaultNotifier hook = notifier(store3, factory, webhook);
                    commit(store2, console, batches / 4);
                    commit(store3, hook, batches / 4);
                    long withConsole = commit(store2, console, batches);
                    long withWebhook = commit(store3, hook, batches);
                    // the same events built and rendered, not queued: what is not SQL
                    Notifier buildOnly = (tx, results, sups) -> results.forEach(r -> {
                        if (r.result().status() != dev.bouncewatch.agent.model.DeliveryStatus.DELIVERED) {
                            webhook.render(factory.fromResult(r, null));
                        }
                    });
                    commit(store, buildOnly, batches / 4);
                    long built = commit(store, buildOnly, batches);
                    double per = batches * 100.0;
                    System.out.printf("commit per result: %.1f us without notifier, %.1f us with console, %.1f us with a webhook,"
                            + " %.1f us building and rendering webhook events without queueing them"
                            + " (2/3 of results are bounces or deferrals)%n", none / per / 1000, withConsole / per / 1000,
                            withWebhook / per / 1000, built / per / 1000);
                }
            }

            try (Store store = Store.open(dir.resolve("deliver.db"))) {
                DefaultNotifier n = notifier(store, factory, webhook);
                while (store.reader().size().outboxPending() < events) {
                    commit(store, n, 1);
                }
                long pending = store.reader().size().outboxPending();
                long t0 = System.nanoTime();
                n.start();
                WebhookReceiver.await("all delivered", Duration.ofMinutes(10), () -> {
                    try {
                        return store.reader().size().outboxPending() == 0;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                double seconds = (System.nanoTime() - t0) / 1e9;
                n.close();
                System.out.printf("delivery: %d signed events in %.1f s = %.0f events/s from one worker (receiver verified %d,"
                        + " bad signatures %d)%n", pending, seconds, pending / seconds, receiver.accepted().size(), receiver.badSignatures());
            }
        }
    }

    private static DefaultNotifier notifier(Store store, EventFactory factory, Destination d) {
        OutboxDispatcher dispatcher = new OutboxDispatcher(store, List.of(d), DeliverySettings.defaults(), Clock.systemUTC());
        return new DefaultNotifier(factory, dispatcher);
    }

    private static long next = 1;

    /** Commits batches of 100 results (bounce, deferral, delivery in turn); returns the nanoseconds taken. */
    private static long commit(Store store, Notifier notifier, int batches) throws Exception {
        long t0 = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            store.write(tx -> {
                List<StoredResult> stored = new ArrayList<>(100);
                for (int i = 0; i < 100; i++) {
                    long n = next++;
                    StoredResult r = switch ((int) (n % 3)) {
                        case 0 -> Results.gmailUserUnknown(0, "u" + n + "@gmail.com");
                        case 1 -> Results.outlookDeferred(0, "u" + n + "@outlook.com");
                        default -> Results.delivered(0, "u" + n + "@example.org");
                    };
                    stored.add(tx.insertResult(r));
                }
                notifier.onBatch(tx, stored, List.of());
                return null;
            });
        }
        return System.nanoTime() - t0;
    }
}
