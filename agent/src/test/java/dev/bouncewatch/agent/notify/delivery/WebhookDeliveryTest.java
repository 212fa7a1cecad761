package dev.bouncewatch.agent.notify.delivery;

import static dev.bouncewatch.agent.notify.webhook.WebhookReceiver.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.config.Secret;
import dev.bouncewatch.agent.config.WebhookConfig;
import dev.bouncewatch.agent.notify.DefaultNotifier;
import dev.bouncewatch.agent.notify.Destination;
import dev.bouncewatch.agent.notify.EventFilter;
import dev.bouncewatch.agent.notify.EventType;
import dev.bouncewatch.agent.notify.Results;
import dev.bouncewatch.agent.notify.event.EventFactory;
import dev.bouncewatch.agent.notify.webhook.WebhookDestination;
import dev.bouncewatch.agent.notify.webhook.WebhookReceiver;
import dev.bouncewatch.agent.notify.webhook.WebhookReceiver.Reply;
import dev.bouncewatch.agent.store.OutboxEntry;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on loopback: results committed with their outbox entries, workers on their own
 * threads, the JDK HTTP client, receivers that verify signatures with the official Standard
 * Webhooks library and dedupe on webhook-id. Schedules are shortened to milliseconds; every wait is
 * a poll with a generous deadline.
 */
class WebhookDeliveryTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final HttpClient CLIENT = WebhookDestination.newHttpClient();
    /** Many short steps: a down receiver does not exhaust the budget during a test. */
    private static final RetrySchedule FAST = new RetrySchedule(Collections.nCopies(10_000, Duration.ofMillis(50)), 0.2);
    /** The circuit breaker's probe intervals shrink with the schedule, so an outage in a test heals in time. */
    private static final DeliverySettings SETTINGS = DeliverySettings.defaults().withSchedule(FAST)
            .withPollInterval(Duration.ofMillis(100))
            .withBreaker(() -> new CircuitBreaker(5, Duration.ofMillis(200), Duration.ofSeconds(1)));

    @TempDir
    Path dir;
    private Store store;
    private final List<WebhookReceiver> receivers = new ArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final EventFactory events = new EventFactory("mx1.example.net", Clock.systemUTC());
    private long nextResultId = 1;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(dir.resolve("bouncewatch.db"));
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        receivers.forEach(WebhookReceiver::close);
        store.close();
    }

    private WebhookReceiver receiver() {
        WebhookReceiver r = new WebhookReceiver(SECRET);
        receivers.add(r);
        return r;
    }

    private static WebhookDestination webhook(String name, URI url) {
        return new WebhookDestination(new WebhookConfig(name, url, List.of(new Secret(SECRET, "config")),
                EventFilter.DEFAULT_TYPES, Set.of(), Set.of(), true, Duration.ofSeconds(10)), CLIENT, Clock.systemUTC());
    }

    private DefaultNotifier notifier(DeliverySettings settings, Destination... destinations) {
        OutboxDispatcher dispatcher = new OutboxDispatcher(store, List.of(destinations), settings, Clock.systemUTC());
        dispatcher.healthReporter(new HealthEvents(dispatcher, "mx1.example.net", Clock.systemUTC()));
        DefaultNotifier n = new DefaultNotifier(events, dispatcher);
        toClose.add(n);
        return n;
    }

    /** Commits a batch of bounces the way the pipeline does: results, then the notifier, one transaction. */
    private List<String> commitBounces(DefaultNotifier notifier, int count) throws Exception {
        return store.write(tx -> {
            List<StoredResult> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long n = nextResultId++;
                StoredResult r = tx.insertResult(n % 2 == 0 ? Results.outlookDeferred(0, "user" + n + "@outlook.com")
                        : Results.gmailUserUnknown(0, "user" + n + "@gmail.com"));
                batch.add(r);
            }
            notifier.onBatch(tx, batch, List.of());
            return batch.stream().map(r -> events.fromResult(r, null).id()).toList();
        });
    }

    @Test
    void resultsBecomeSignedEventsInCommitOrder() throws Exception {
        WebhookReceiver receiver = receiver();
        DefaultNotifier notifier = notifier(SETTINGS, webhook("ops", receiver.url()));
        notifier.start();

        List<String> expected = new ArrayList<>();
        StoredResult[] hard = new StoredResult[1];
        expected.addAll(store.write(tx -> {
            StoredResult bounce = tx.insertResult(Results.gmailUserUnknown(0, "jane@gmail.com"));
            StoredResult delivered = tx.insertResult(Results.delivered(0, "ok@example.org"));
            StoredResult deferred = tx.insertResult(Results.outlookDeferred(0, "bob@outlook.com"));
            hard[0] = bounce;
            Suppression s = Results.suppressionFor(bounce);
            tx.suppress(s);
            notifier.onBatch(tx, List.of(bounce, delivered, deferred), List.of(s));
            return List.of(events.fromResult(bounce, s).id(), events.fromResult(deferred, null).id(),
                    events.fromSuppression(s).id());
        }));
        await("three events", DEADLINE, () -> receiver.accepted().size() == 3);

        assertThat(receiver.acceptedIds()).containsExactlyElementsOf(expected);
        assertThat(receiver.accepted()).extracting(WebhookReceiver.Received::type)
                .containsExactly("message.bounced", "message.deferred", "recipient.suppressed");
        assertThat(receiver.accepted().get(0).json().path("data").path("suppression").path("added").asBoolean()).isTrue();
        assertThat(receiver.accepted().get(0).json().path("data").path("resultId").asLong()).isEqualTo(hard[0].id());
        assertThat(receiver.badSignatures()).isZero();
        // the worker records a run of successes after the last answer; wait for that rather than race it
        await("all marked delivered", DEADLINE, () -> uncheckedList(notifier.dispatcher().queue(), "pending").isEmpty());
        assertThat(uncheckedList(notifier.dispatcher().queue(), "delivered")).hasSize(3);
    }

    @Test
    void serverErrorsAndRateLimitsAreRetriedUntilDeliveredHonouringRetryAfter() throws Exception {
        WebhookReceiver receiver = receiver();
        DefaultNotifier notifier = notifier(SETTINGS, webhook("ops", receiver.url()));
        List<String> ids = commitBounces(notifier, 2);
        String first = ids.get(0);
        receiver.script((n, id) -> !id.equals(first) ? Reply.ok()
                : n == 1 ? Reply.status(500)
                : n == 2 ? Reply.status(429, Map.of("Retry-After", "1"))
                : Reply.ok());
        notifier.start();
        OutboxQueue queue = notifier.dispatcher().queue();
        await("both delivered", DEADLINE, () -> uncheckedList(queue, "delivered").size() == 2);

        assertThat(receiver.acceptedIds()).as("the second waited behind the first").containsExactlyElementsOf(ids);
        assertThat(receiver.attempts(first)).isEqualTo(3);
        assertThat(receiver.attempts(ids.get(1))).isEqualTo(1);
        OutboxEntry delivered = uncheckedList(queue, "delivered").stream().filter(e -> e.eventId().equals(first))
                .findFirst().orElseThrow();
        assertThat(delivered.attempts()).isEqualTo(3);
        List<java.time.Instant> arrivals = receiver.arrivals(first);
        assertThat(Duration.between(arrivals.get(1), arrivals.get(2)))
                .as("the 429 asked for a second, longer than the schedule's 50 ms").isGreaterThan(Duration.ofMillis(950));
    }

    @Test
    void redirectsAreFailuresThenDeadLettersThatAReplaySendsOnceFixed() throws Exception {
        WebhookReceiver receiver = receiver();
        WebhookReceiver elsewhere = receiver();
        receiver.script((n, id) -> Reply.status(308, Map.of("Location", elsewhere.url().toString())));
        RetrySchedule three = new RetrySchedule(List.of(Duration.ofMillis(20), Duration.ofMillis(20)), 0);
        DefaultNotifier notifier = notifier(SETTINGS.withSchedule(three)
                .withBreaker(() -> new CircuitBreaker(1000, Duration.ofMinutes(1), Duration.ofMinutes(1))), webhook("ops", receiver.url()));
        List<String> ids = commitBounces(notifier, 3);
        notifier.start();
        OutboxQueue queue = notifier.dispatcher().queue();
        await("three dead letters", DEADLINE, () -> uncheckedList(queue, "dead").size() == 3);

        assertThat(elsewhere.requests()).as("never followed").isZero();
        assertThat(receiver.requests()).isEqualTo(9);
        assertThat(uncheckedList(queue, "dead")).allSatisfy(e -> {
            assertThat(e.attempts()).isEqualTo(3);
            assertThat(e.lastError()).startsWith("gave up after 3 attempts; last: HTTP 308").contains("not followed");
        });

        receiver.script((n, id) -> Reply.ok());
        assertThat(queue.replay("ops", null, Clock.systemUTC().instant())).isEqualTo(3);
        notifier.dispatcher().wakeAll();
        await("replayed events", DEADLINE, () -> receiver.accepted().size() == 3);
        assertThat(receiver.acceptedIds()).containsExactlyElementsOf(ids);
        assertThat(uncheckedList(queue, "dead")).isEmpty();
    }

    @Test
    void eachDestinationGetsItsEventsInOrderWhateverTheOtherDoes() throws Exception {
        WebhookReceiver flaky = receiver();
        WebhookReceiver steady = receiver();
        // the first attempt of every third event fails: retries interleave, yet never five failures in a row
        java.util.concurrent.atomic.AtomicInteger firstAttempts = new java.util.concurrent.atomic.AtomicInteger();
        flaky.script((n, id) -> n == 1 && firstAttempts.incrementAndGet() % 3 == 0 ? Reply.status(503) : Reply.ok());
        DefaultNotifier notifier = notifier(SETTINGS, webhook("flaky", flaky.url()), webhook("steady", steady.url()));
        notifier.start();
        List<String> ids = new ArrayList<>();
        for (int batch = 0; batch < 20; batch++) {
            ids.addAll(commitBounces(notifier, 10));
        }
        await("200 events at both", DEADLINE, () -> flaky.accepted().size() == 200 && steady.accepted().size() == 200);
        assertThat(flaky.acceptedIds()).containsExactlyElementsOf(ids);
        assertThat(steady.acceptedIds()).containsExactlyElementsOf(ids);
        assertThat(flaky.requests()).isEqualTo(200 + 200 / 3); // it did fail now and then
        assertThat(steady.requests()).isEqualTo(200);
    }

    @Test
    void aFailingDestinationOpensItsCircuitAndTheOthersHearAboutIt() throws Exception {
        WebhookReceiver broken = receiver();
        WebhookReceiver ops = receiver();
        broken.script((n, id) -> Reply.status(502));
        DeliverySettings settings = SETTINGS.withBreaker(() -> new CircuitBreaker(3, Duration.ofMillis(300), Duration.ofSeconds(1)));
        DefaultNotifier notifier = notifier(settings, webhook("broken", broken.url()), webhook("ops", ops.url()));
        notifier.start();
        List<String> ids = commitBounces(notifier, 2);

        await("failing", DEADLINE, () -> notifier.dispatcher().worker("broken").status().state().equals("failing"));
        await("health event at ops", DEADLINE, () -> ops.accepted().stream().anyMatch(r -> r.type().equals("agent.health")));
        WebhookReceiver.Received health = ops.accepted().stream().filter(r -> r.type().equals("agent.health")).findFirst().orElseThrow();
        assertThat(health.json().path("data").path("condition").asText()).isEqualTo("failing");
        assertThat(health.json().path("data").path("destination").asText()).isEqualTo("broken");
        assertThat(health.json().path("data").path("detail").asText()).startsWith("HTTP 502");
        assertThat(broken.accepted()).as("never about itself").isEmpty();

        broken.script((n, id) -> Reply.ok());
        await("recovered", DEADLINE, () -> broken.accepted().size() == 2);
        assertThat(broken.acceptedIds()).containsExactlyElementsOf(ids);
        await("recovery news", DEADLINE, () -> ops.accepted().stream()
                .anyMatch(r -> r.json().path("data").path("condition").asText().equals("recovered")));
        assertThat(notifier.dispatcher().worker("broken").status().state()).isEqualTo("ok");
    }

    @Test
    void aPausedDestinationKeepsItsEntriesAndSaysSoThroughTheOthers() throws Exception {
        WebhookReceiver gone = receiver();
        WebhookReceiver ops = receiver();
        gone.script((n, id) -> Reply.status(404));
        DefaultNotifier notifier = notifier(SETTINGS.withPauseProbe(Duration.ofMillis(200), Duration.ofMillis(400)),
                webhook("gone", gone.url()), webhook("ops", ops.url()));
        notifier.start();
        List<String> ids = commitBounces(notifier, 3);
        await("paused", DEADLINE, () -> notifier.dispatcher().worker("gone").status().state().equals("paused"));
        await("health event", DEADLINE, () -> ops.accepted().stream().anyMatch(r -> r.type().equals("agent.health")));
        assertThat(uncheckedList(notifier.dispatcher().queue(), "pending")).filteredOn(e -> e.destination().equals("gone"))
                .hasSize(3).allMatch(e -> e.attempts() == 0);

        gone.script((n, id) -> Reply.ok());
        await("delivered after the pause", DEADLINE, () -> gone.accepted().size() == 3);
        assertThat(gone.acceptedIds()).containsExactlyElementsOf(ids);
    }

    @Test
    void anOutageLosesNothingAndKeepsTheOrder() throws Exception {
        WebhookReceiver receiver = receiver();
        DefaultNotifier notifier = notifier(SETTINGS, webhook("ops", receiver.url()));
        notifier.start();
        List<String> ids = new ArrayList<>(commitBounces(notifier, 5));
        await("before the outage", DEADLINE, () -> receiver.accepted().size() == 5);

        receiver.stop();
        for (int i = 0; i < 10; i++) {
            ids.addAll(commitBounces(notifier, 5));
        }
        await("a failed attempt during the outage", DEADLINE,
                () -> uncheckedList(notifier.dispatcher().queue(), "pending").stream().anyMatch(e -> e.attempts() > 0));
        receiver.restart();

        await("everything", DEADLINE, () -> receiver.accepted().size() == ids.size());
        assertThat(receiver.acceptedIds()).containsExactlyElementsOf(ids);
        assertThat(receiver.badSignatures()).isZero();
    }

    @Test
    void aRestartMidOutageResendsNothingDeliveredAndForgetsNothingPending() throws Exception {
        WebhookReceiver receiver = receiver();
        DefaultNotifier first = notifier(SETTINGS, webhook("ops", receiver.url()));
        first.start();
        List<String> ids = new ArrayList<>(commitBounces(first, 10));
        await("before the outage", DEADLINE, () -> receiver.accepted().size() == 10);
        // the receiver counts a request before its answer reaches us; stopping it then would turn a
        // delivery into a retry (at least once, legitimately): wait until all ten are recorded
        await("recorded as delivered", DEADLINE,
                () -> uncheckedList(first.dispatcher().queue(), "delivered").size() == 10);

        receiver.stop();
        ids.addAll(commitBounces(first, 10));
        await("a failed attempt", DEADLINE,
                () -> uncheckedList(first.dispatcher().queue(), "pending").stream().anyMatch(e -> e.attempts() > 0));
        first.close(); // the "kill": workers stop without delivering the rest
        store.close();

        store = Store.open(dir.resolve("bouncewatch.db"));
        DefaultNotifier second = notifier(SETTINGS, webhook("ops", receiver.url()));
        ids.addAll(commitBounces(second, 10));
        receiver.restart();
        second.start();

        await("everything", DEADLINE, () -> receiver.accepted().size() == 30);
        assertThat(receiver.acceptedIds()).containsExactlyElementsOf(ids);
        for (String id : ids.subList(0, 10)) {
            assertThat(receiver.attempts(id)).as("delivered before the restart, never again").isEqualTo(1);
        }
        assertThat(receiver.duplicates()).isZero();
    }

    @Test
    void aCrashBetweenTheReceiversCommitAndOurRecordMeansOneDuplicateThatTheReceiverDrops() throws Exception {
        WebhookReceiver receiver = receiver();
        WebhookDestination real = webhook("ops", receiver.url());
        java.util.Set<String> crashedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        // the receiver has the event, then the agent "dies" before it records the delivery
        Destination crashing = new Destination() {
            @Override
            public String name() {
                return real.name();
            }

            @Override
            public String kind() {
                return real.kind();
            }

            @Override
            public boolean accepts(dev.bouncewatch.agent.notify.NotificationEvent event) {
                return real.accepts(event);
            }

            @Override
            public String render(dev.bouncewatch.agent.notify.NotificationEvent event) {
                return real.render(event);
            }

            @Override
            public dev.bouncewatch.agent.notify.DeliveryOutcome send(OutboxEntry entry) throws InterruptedException {
                var outcome = real.send(entry);
                if (crashedOnce.add(entry.eventId())) {
                    throw new IllegalStateException("simulated crash after the receiver committed");
                }
                return outcome;
            }
        };
        DefaultNotifier notifier = notifier(SETTINGS, crashing);
        notifier.start();
        List<String> ids = commitBounces(notifier, 3);
        await("all delivered", DEADLINE, () -> uncheckedList(notifier.dispatcher().queue(), "delivered").size() == 3);
        assertThat(receiver.acceptedIds()).containsExactlyElementsOf(ids);
        assertThat(receiver.duplicates()).as("each event arrived twice; the receiver kept one").isEqualTo(3);
    }

    private static List<OutboxEntry> uncheckedList(OutboxQueue queue, String state) {
        try {
            return queue.list(state, null, 1000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
