package dev.bouncewatch.agent.notify.delivery;

import dev.bouncewatch.agent.notify.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.notify.DeliveryOutcome;
import dev.bouncewatch.agent.notify.DeliveryOutcome.Kind;
import dev.bouncewatch.agent.notify.delivery.DestinationHealth.Condition;
import dev.bouncewatch.agent.store.OutboxEntry;
import dev.bouncewatch.agent.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's decisions, one {@code deliverDue} at a time on a clock the test moves. */
class OutboxWorkerTest {

    private static final Instant T0 = Instant.parse("2026-11-28T14:00:00Z");
    private static final RetrySchedule NO_JITTER = new RetrySchedule(RetrySchedule.WEBHOOK.delays(), 0);

    @TempDir
    Path dir;
    private Store store;
    private OutboxQueue queue;
    private final TestClock clock = new TestClock(T0);
    private final ScriptedDestination dest = new ScriptedDestination("ops");
    private final List<DestinationHealth> health = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void open() throws Exception {
        store = Store.open(dir.resolve("bouncewatch.db"));
        queue = new OutboxQueue(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private OutboxWorker worker(RetrySchedule schedule, CircuitBreaker breaker) {
        return new OutboxWorker(dest, queue, schedule, breaker, health::add, clock, new Random(1), Duration.ofSeconds(1),
                Duration.ofMinutes(5), Duration.ofHours(1));
    }

    private OutboxWorker worker() {
        return worker(NO_JITTER, new CircuitBreaker(1000, Duration.ofMinutes(1), Duration.ofMinutes(5)));
    }

    private List<OutboxEntry> enqueue(String... eventIds) throws Exception {
        List<OutboxEntry> out = new ArrayList<>();
        for (String id : eventIds) {
            out.add(store.write(tx -> tx.enqueue(OutboxEntry.pending("ops", id, "message.bounced", null, "body " + id,
                    clock.instant()))));
        }
        return out;
    }

    private static DeliveryOutcome retry(String detail) {
        return new DeliveryOutcome(Kind.RETRY, null, detail);
    }

    @Test
    void deliversEverythingDueInOrder() throws Exception {
        enqueue("evt_1", "evt_2", "evt_3");
        Instant next = worker().deliverDue();
        assertThat(dest.sentEventIds()).containsExactly("evt_1", "evt_2", "evt_3");
        assertThat(queue.head("ops", 10)).isEmpty();
        assertThat(queue.list("delivered", "ops", 10)).allMatch(e -> e.attempts() == 1 && T0.equals(e.finishedAt()));
        assertThat(next).as("empty queue: look again after a poll").isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void aFailingHeadBlocksLaterEntriesUntilItIsThrough() throws Exception {
        enqueue("evt_1", "evt_2");
        dest.script(e -> e.eventId().equals("evt_1") && e.attempts() < 2 ? retry("HTTP 500") : DeliveryOutcome.delivered("ok"));
        OutboxWorker w = worker();

        assertThat(w.deliverDue()).isEqualTo(T0.plusSeconds(5));
        assertThat(dest.sentEventIds()).containsExactly("evt_1");
        clock.advance(Duration.ofSeconds(4));
        w.deliverDue();
        assertThat(dest.sentEventIds()).as("not yet due: evt_2 must wait too").containsExactly("evt_1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(w.deliverDue()).isEqualTo(T0.plusSeconds(5 + 300));
        assertThat(dest.sentEventIds()).containsExactly("evt_1", "evt_1");
        clock.advance(Duration.ofSeconds(300));
        w.deliverDue();
        assertThat(dest.sentEventIds()).containsExactly("evt_1", "evt_1", "evt_1", "evt_2");
        assertThat(queue.list("delivered", "ops", 10)).extracting(OutboxEntry::eventId, OutboxEntry::attempts)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("evt_2", 1), org.assertj.core.groups.Tuple.tuple("evt_1", 3));
    }

    @Test
    void followsTheScheduleThenKeepsTheEntryAsADeadLetterAndMovesOn() throws Exception {
        enqueue("evt_1", "evt_2");
        dest.script(e -> e.eventId().equals("evt_1") ? retry("HTTP 503") : DeliveryOutcome.delivered("ok"));
        OutboxWorker w = worker();
        List<Duration> waits = new ArrayList<>();
        Instant next = w.deliverDue();
        while (dest.sentEventIds().stream().noneMatch("evt_2"::equals)) {
            waits.add(Duration.between(clock.instant(), next));
            clock.set(next);
            next = w.deliverDue();
        }
        assertThat(waits).containsExactlyElementsOf(RetrySchedule.WEBHOOK.delays());
        OutboxEntry dead = queue.list("dead", "ops", 10).get(0);
        assertThat(dead.eventId()).isEqualTo("evt_1");
        assertThat(dead.attempts()).isEqualTo(8);
        assertThat(dead.lastError()).isEqualTo("gave up after 8 attempts; last: HTTP 503");
        assertThat(health).extracting(DestinationHealth::condition).containsExactly(Condition.DEAD_LETTER);
        assertThat(health.get(0).deadLetters()).isEqualTo(1);
    }

    @Test
    void retryAfterLongerThanTheStepWins() throws Exception {
        enqueue("evt_1");
        dest.script(e -> e.attempts() == 0 ? new DeliveryOutcome(Kind.RETRY, Duration.ofSeconds(90), "HTTP 429")
                : DeliveryOutcome.delivered("ok"));
        OutboxWorker w = worker();
        assertThat(w.deliverDue()).isEqualTo(T0.plusSeconds(90));
        assertThat(queue.head("ops", 1).get(0).nextAttemptAt()).as("persisted").isEqualTo(T0.plusSeconds(90));
    }

    @Test
    void refusedBodiesDieAtOnceAndBurstsOfDeadLettersAreReportedOnceAnHour() throws Exception {
        enqueue("evt_1", "evt_2", "evt_3");
        dest.script(e -> new DeliveryOutcome(Kind.DEAD, null, "HTTP 422"));
        OutboxWorker w = worker();
        w.deliverDue();
        assertThat(queue.list("dead", "ops", 10)).hasSize(3).allMatch(e -> e.attempts() == 1);
        assertThat(health).hasSize(1);
        clock.advance(Duration.ofMinutes(61));
        enqueue("evt_4");
        w.deliverDue();
        assertThat(health).hasSize(2);
        assertThat(health.get(1).deadLetters()).as("the three since the last report").isEqualTo(3);
        assertThat(w.status().dead()).isEqualTo(4);
    }

    @Test
    void pauseKeepsEntriesWithoutUsingAttemptsProbesLaterAndReportsRecovery() throws Exception {
        enqueue("evt_1", "evt_2");
        dest.script(e -> new DeliveryOutcome(Kind.PAUSE, null, "HTTP 410"));
        OutboxWorker w = worker();

        assertThat(w.deliverDue()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(w.status().state()).isEqualTo("paused");
        assertThat(health).extracting(DestinationHealth::condition).containsExactly(Condition.PAUSED);
        OutboxEntry head = queue.head("ops", 10).get(0);
        assertThat(head.attempts()).isZero();
        assertThat(head.lastError()).isEqualTo("paused: HTTP 410");

        clock.advance(Duration.ofMinutes(4));
        w.deliverDue();
        assertThat(dest.sent()).as("nothing while paused").hasSize(1);
        clock.advance(Duration.ofMinutes(1));
        assertThat(w.deliverDue()).as("probe failed: twice the wait").isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(health).as("reported once").hasSize(1);

        dest.script(e -> DeliveryOutcome.delivered("ok"));
        clock.advance(Duration.ofMinutes(10));
        w.deliverDue();
        assertThat(dest.sentEventIds()).containsExactly("evt_1", "evt_1", "evt_1", "evt_2");
        assertThat(w.status().state()).isEqualTo("ok");
        assertThat(health).extracting(DestinationHealth::condition).containsExactly(Condition.PAUSED, Condition.RECOVERED);
        assertThat(queue.list("delivered", "ops", 10)).extracting(OutboxEntry::attempts).containsExactly(1, 1);
    }

    @Test
    void circuitOpensAfterConsecutiveFailuresAndOnlyProbesUntilItWorks() throws Exception {
        // a schedule shorter than the probe interval shows the breaker holding sends back
        RetrySchedule fast = new RetrySchedule(Collections.nCopies(50, Duration.ofSeconds(1)), 0);
        OutboxWorker w = worker(fast, new CircuitBreaker(3, Duration.ofMinutes(1), Duration.ofMinutes(5)));
        enqueue("evt_1", "evt_2");
        dest.script(e -> retry("connection refused"));
        clock.set(w.deliverDue());
        clock.set(w.deliverDue());
        Instant returned = w.deliverDue(); // the third failure in a row opens the circuit
        assertThat(dest.sent()).hasSize(3);
        assertThat(w.status().state()).isEqualTo("failing");
        assertThat(health).extracting(DestinationHealth::condition).containsExactly(Condition.FAILING);
        assertThat(health.get(0).consecutiveFailures()).isEqualTo(3);

        Instant probeAt = w.status().nextProbe();
        assertThat(probeAt).isEqualTo(T0.plusSeconds(2).plus(Duration.ofMinutes(1))).isEqualTo(returned);
        clock.advance(Duration.ofSeconds(30)); // the entry is due, the circuit is not
        assertThat(w.deliverDue()).isEqualTo(probeAt);
        assertThat(dest.sent()).hasSize(3);

        clock.set(probeAt);
        w.deliverDue(); // the probe fails: open again for twice as long
        assertThat(dest.sent()).hasSize(4);
        assertThat(w.status().nextProbe()).isEqualTo(probeAt.plus(Duration.ofMinutes(2)));

        dest.script(e -> DeliveryOutcome.delivered("ok"));
        clock.set(w.status().nextProbe());
        w.deliverDue();
        assertThat(dest.sentEventIds()).endsWith("evt_1", "evt_2");
        assertThat(w.status().state()).isEqualTo("ok");
        assertThat(health).extracting(DestinationHealth::condition).containsExactly(Condition.FAILING, Condition.RECOVERED);
    }

    @Test
    void aDestinationThatThrowsIsRetriedNotFatal() throws Exception {
        enqueue("evt_1");
        dest.script(e -> {
            throw new IllegalStateException("bug");
        });
        OutboxWorker w = worker();
        w.deliverDue();
        OutboxEntry head = queue.head("ops", 1).get(0);
        assertThat(head.attempts()).isEqualTo(1);
        assertThat(head.lastError()).isEqualTo("internal error: IllegalStateException");
    }

    @Test
    void entriesOfOtherDestinationsAreNotTouched() throws Exception {
        store.write(tx -> tx.enqueue(OutboxEntry.pending("slack", "evt_s", "alert.firing", "g", "x", T0)));
        enqueue("evt_1");
        worker().deliverDue();
        assertThat(dest.sentEventIds()).containsExactly("evt_1");
        assertThat(queue.head("slack", 10)).hasSize(1);
        assertThat(Set.copyOf(queue.pendingCounts().keySet())).containsExactly("slack");
    }
}
