package dev.bouncewatch.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.classify.Classifier;
import dev.bouncewatch.agent.http.AgentStatus.SourceStatus;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;
import dev.bouncewatch.agent.notify.Notifier;
import dev.bouncewatch.agent.parse.LogParser;
import dev.bouncewatch.agent.source.Source;
import dev.bouncewatch.agent.source.SourceBatch;
import dev.bouncewatch.agent.source.SourceHealth;
import dev.bouncewatch.agent.source.SourceListener;
import dev.bouncewatch.agent.store.ResultQuery;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineTest {

    private static final Classifier CLASSIFIER = Classifier.load();
    private static final String BOUNCE = "2026-11-29T06:41:00.000000+00:00 mta postfix/smtp[4242]: 4F1A2B3C4D: "
            + "to=<gone@example.com>, relay=mx.example.com[192.0.2.1]:25, delay=0.2, delays=0.1/0/0.05/0.05, "
            + "dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 <gone@example.com>: "
            + "Recipient address rejected: User unknown (in reply to RCPT TO command))";
    private static final String SENT = "2026-11-29T06:41:01.000000+00:00 mta postfix/smtp[4242]: 5F1A2B3C4D: "
            + "to=<ok@example.com>, relay=mx.example.com[192.0.2.1]:25, delay=0.2, delays=0.1/0/0.05/0.05, "
            + "dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ABC)";

    @TempDir
    Path dir;
    private Store store;
    private final List<CommittedBatch> committed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        store = Store.open(dir.resolve("test.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Pipeline pipeline(SuppressionDecider decider, Notifier notifier) {
        return new Pipeline(store, CLASSIFIER, decider, notifier, committed::add, Clock.systemUTC(), 16);
    }

    @Test
    void linesBecomeClassifiedResultsCommittedWithTheirPosition() throws Exception {
        try (Pipeline pipeline = pipeline(SuppressionDecider.NEVER, Notifier.NONE)) {
            SourceListener listener = pipeline.register(new NamedSource("file:/x"), LogParser.withDefaults());
            pipeline.start();
            listener.onBatch(SourceBatch.ofLines("file:/x", List.of(BOUNCE, "garbage line", SENT), "pos-1", 300));
            await(() -> committed.size() == 1);

            List<StoredResult> stored = store.reader().results(ResultQuery.latest(10)).items();
            assertThat(stored).hasSize(2);
            StoredResult bounce = stored.stream().filter(r -> r.result().status() == DeliveryStatus.BOUNCED)
                    .findFirst().orElseThrow();
            assertThat(bounce.source()).isEqualTo("file:/x");
            assertThat(bounce.result().recipient()).isEqualTo("gone@example.com");
            assertThat(bounce.classification().category()).isEqualTo("userunknown");
            assertThat(store.reader().checkpoint("file:/x")).contains("pos-1");

            SourceStatus status = pipeline.sourceStatuses().get(0);
            assertThat(status.committedLines()).isEqualTo(3);
            assertThat(status.results()).isEqualTo(2);
            assertThat(status.lastLineTime()).isEqualTo(Instant.parse("2026-11-29T06:41:01Z"));
            assertThat(status.skipped().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
            assertThat(status.lagSeconds()).isZero();
        }
    }

    @Test
    void sinkResultsAreStoredWithoutParsingAndWithoutPosition() throws Exception {
        try (Pipeline pipeline = pipeline(SuppressionDecider.NEVER, Notifier.NONE)) {
            SourceListener listener = pipeline.register(new NamedSource("sink:127.0.0.1:2525"), LogParser.withDefaults());
            pipeline.start();
            DeliveryResult r = new DeliveryResult(Instant.parse("2026-11-29T07:00:00Z"), "sink", Mta.SINK, "s1", null,
                    "a@example.test", "b-550@example.test", null, "127.0.0.1:2525", "127.0.0.1", DeliveryStatus.BOUNCED,
                    "550", "5.1.1", 550, "5.1.1 no such user", SmtpStage.RCPT, null, 1);
            listener.onBatch(SourceBatch.ofResults("sink:127.0.0.1:2525", List.of(r)));
            await(() -> committed.size() == 1);
            assertThat(store.reader().results(ResultQuery.latest(10)).items())
                    .singleElement().satisfies(s -> assertThat(s.result()).isEqualTo(r));
            assertThat(store.reader().checkpoint("sink:127.0.0.1:2525")).isEmpty();
        }
    }

    @Test
    void aFailedTransactionIsRetriedWithoutDuplicatesOrAnEarlyCheckpoint() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Notifier failingTwice = (tx, results, added) -> {
            if (calls.incrementAndGet() <= 2) {
                throw new SQLException("outbox unavailable");
            }
        };
        try (Pipeline pipeline = pipeline(SuppressionDecider.NEVER, failingTwice)) {
            SourceListener listener = pipeline.register(new NamedSource("file:/x"), LogParser.withDefaults());
            pipeline.start();
            listener.onBatch(SourceBatch.ofLines("file:/x", List.of(BOUNCE), "pos-7", 100));
            await(() -> committed.size() == 1);
            assertThat(calls).hasValue(3);
            assertThat(store.reader().results(ResultQuery.latest(10)).items()).hasSize(1);
            assertThat(store.reader().checkpoint("file:/x")).contains("pos-7");
        }
    }

    @Test
    void suppressionDecisionsSeeStoredIdsAndReachTheNotifierInTheSameTransaction() throws Exception {
        List<Long> decidedIds = new CopyOnWriteArrayList<>();
        List<Integer> notifiedSuppressions = new CopyOnWriteArrayList<>();
        SuppressionDecider decider = (tx, result) -> {
            decidedIds.add(result.id());
            if (!result.classification().hardBounce()) {
                return Optional.empty();
            }
            Suppression s = new Suppression(result.result().recipient(), Suppression.ORIGIN_BOUNCE, "test", "userunknown",
                    Instant.now(), Instant.now(), result.id(), null, null, null, 1);
            tx.suppress(s);
            return Optional.of(s);
        };
        Notifier notifier = (tx, results, added) -> notifiedSuppressions.add(added.size());
        try (Pipeline pipeline = pipeline(decider, notifier)) {
            SourceListener listener = pipeline.register(new NamedSource("file:/x"), LogParser.withDefaults());
            pipeline.start();
            listener.onBatch(SourceBatch.ofLines("file:/x", List.of(BOUNCE, SENT), "p", 10));
            await(() -> committed.size() == 1);
        }
        assertThat(decidedIds).hasSize(2).allSatisfy(id -> assertThat(id).isPositive());
        assertThat(notifiedSuppressions).containsExactly(1);
        assertThat(committed.get(0).newSuppressions()).singleElement()
                .satisfies(s -> assertThat(s.address()).isEqualTo("gone@example.com"));
        assertThat(store.reader().suppression("gone@example.com")).isPresent();
    }

    @Test
    void closeCommitsWhatIsQueued() throws Exception {
        Pipeline pipeline = pipeline(SuppressionDecider.NEVER, Notifier.NONE);
        SourceListener listener = pipeline.register(new NamedSource("file:/x"), LogParser.withDefaults());
        for (int i = 0; i < 10; i++) {
            listener.onBatch(SourceBatch.ofLines("file:/x", List.of(BOUNCE), "pos-" + i, 10));
        }
        pipeline.start();
        pipeline.close();
        assertThat(store.reader().results(ResultQuery.latest(100)).items()).hasSize(10);
        assertThat(store.reader().checkpoint("file:/x")).contains("pos-9");
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(10);
        }
    }

    /** A source that reads nothing: the test hands batches to the listener itself. */
    private record NamedSource(String id) implements Source {
        @Override
        public void start(String storedPosition, SourceListener listener) {
        }

        @Override
        public SourceHealth health() {
            return new SourceHealth(id, "test", id, SourceHealth.State.RUNNING, null, null, 0, 0, null);
        }

        @Override
        public void close() {
        }
    }
}
