package dev.bouncewatch.agent.notify.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.store.OutboxEntry;
import dev.bouncewatch.agent.store.Store;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxQueueTest {

    private static final Instant T0 = Instant.parse("2026-11-28T14:00:00Z");

    @TempDir
    Path dir;
    private Store store;
    private OutboxQueue queue;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(dir.resolve("bouncewatch.db"));
        queue = new OutboxQueue(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private OutboxEntry enqueue(String destination, String eventId, String groupKey) throws Exception {
        return store.write(tx -> tx.enqueue(OutboxEntry.pending(destination, eventId, "message.bounced", groupKey,
                "{\"id\":\"" + eventId + "\"}", T0)));
    }

    @Test
    void headIsTheDestinationsPendingEntriesInIdOrder() throws Exception {
        enqueue("a", "evt_1", null);
        enqueue("b", "evt_2", null);
        enqueue("a", "evt_3", null);
        enqueue("a", "evt_4", null);
        assertThat(queue.head("a", 10)).extracting(OutboxEntry::eventId).containsExactly("evt_1", "evt_3", "evt_4");
        assertThat(queue.head("a", 2)).extracting(OutboxEntry::eventId).containsExactly("evt_1", "evt_3");
        assertThat(queue.head("b", 10)).extracting(OutboxEntry::eventId).containsExactly("evt_2");
        assertThat(queue.head("c", 10)).isEmpty();
        assertThat(queue.pendingCounts()).isEqualTo(Map.of("a", 3L, "b", 1L));
    }

    @Test
    void deliveredAndDeadLeaveTheQueueRetriesStayWithTheirSchedule() throws Exception {
        OutboxEntry e1 = enqueue("a", "evt_1", null);
        OutboxEntry e2 = enqueue("a", "evt_2", null);
        OutboxEntry e3 = enqueue("a", "evt_3", null);
        assertThat(queue.markDelivered(e1, 1, T0.plusSeconds(1))).isTrue();
        assertThat(queue.scheduleRetry(e2, 1, T0.plusSeconds(5), "HTTP 500")).isTrue();
        assertThat(queue.markDead(e3, 1, T0.plusSeconds(2), "HTTP 400: bad payload")).isTrue();

        List<OutboxEntry> head = queue.head("a", 10);
        assertThat(head).hasSize(1);
        assertThat(head.get(0).eventId()).isEqualTo("evt_2");
        assertThat(head.get(0).attempts()).isEqualTo(1);
        assertThat(head.get(0).nextAttemptAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(head.get(0).lastError()).isEqualTo("HTTP 500");

        OutboxEntry delivered = queue.find(e1.id()).orElseThrow();
        assertThat(delivered.state()).isEqualTo("delivered");
        assertThat(delivered.finishedAt()).isEqualTo(T0.plusSeconds(1));
        OutboxEntry dead = queue.find(e3.id()).orElseThrow();
        assertThat(dead.state()).isEqualTo("dead");
        assertThat(dead.lastError()).isEqualTo("HTTP 400: bad payload");
        // a second worker (or a second process) recording the same entry finds nothing to change
        assertThat(queue.markDelivered(e1, 2, T0.plusSeconds(3))).isFalse();
        assertThat(queue.find(e1.id()).orElseThrow().attempts()).isEqualTo(1);
    }

    @Test
    void aRunOfSuccessesIsMarkedInOneGoSkippingRowsThatChanged() throws Exception {
        OutboxEntry a = enqueue("slack", "evt_a", null);
        OutboxEntry old = enqueue("slack", "evt_old", "g");
        OutboxEntry c = enqueue("slack", "evt_c", null);
        enqueue("slack", "evt_new", "g"); // replaces evt_old while it was being sent
        int marked = queue.markDelivered(List.of(new OutboxQueue.Delivered(a, 1, T0.plusSeconds(1)),
                new OutboxQueue.Delivered(old, 1, T0.plusSeconds(2)), new OutboxQueue.Delivered(c, 3, T0.plusSeconds(3))));
        assertThat(marked).isEqualTo(2);
        assertThat(queue.list("delivered", "slack", 10)).extracting(OutboxEntry::eventId, OutboxEntry::attempts)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("evt_c", 3), org.assertj.core.groups.Tuple.tuple("evt_a", 1));
        assertThat(queue.head("slack", 10)).extracting(OutboxEntry::eventId).containsExactly("evt_new");
        assertThat(queue.markDelivered(List.of())).isZero();
    }

    @Test
    void anEntryReplacedByNewerGroupStateIsNotMarked() throws Exception {
        OutboxEntry old = enqueue("slack", "evt_old", "deferral_spike/provider=microsoft");
        OutboxEntry newer = enqueue("slack", "evt_new", "deferral_spike/provider=microsoft");
        assertThat(queue.markDelivered(old, 1, T0)).as("the old state is gone").isFalse();
        assertThat(queue.head("slack", 10)).extracting(OutboxEntry::eventId).containsExactly("evt_new");
        assertThat(queue.find(newer.id()).orElseThrow().state()).isEqualTo("pending");
    }

    @Test
    void replayRevivesDeadLettersWithAFreshBudget() throws Exception {
        OutboxEntry a1 = enqueue("a", "evt_1", null);
        OutboxEntry a2 = enqueue("a", "evt_2", null);
        OutboxEntry b1 = enqueue("b", "evt_3", null);
        OutboxEntry a3 = enqueue("a", "evt_4", null);
        queue.markDead(a1, 8, T0, "gave up");
        queue.markDead(a2, 8, T0, "gave up");
        queue.markDead(b1, 8, T0, "gave up");
        queue.markDelivered(a3, 1, T0);

        assertThat(queue.replay("a", a2.id(), T0.plusSeconds(60))).isEqualTo(1);
        OutboxEntry revived = queue.find(a2.id()).orElseThrow();
        assertThat(revived.state()).isEqualTo("pending");
        assertThat(revived.attempts()).isZero();
        assertThat(revived.nextAttemptAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(revived.finishedAt()).isNull();

        assertThat(queue.replay("a", a3.id(), T0)).as("delivered entries are never resent").isZero();
        assertThat(queue.replay("a", null, T0)).isEqualTo(1);
        assertThat(queue.list("dead", null, 10)).extracting(OutboxEntry::eventId).containsExactly("evt_3");
        assertThat(queue.replay(null, null, T0)).isEqualTo(1);
        assertThat(queue.list("dead", null, 10)).isEmpty();
        assertThat(queue.head("a", 10)).extracting(OutboxEntry::eventId).containsExactly("evt_1", "evt_2");
    }

    @Test
    void listFiltersByStateAndDestinationNewestFirst() throws Exception {
        OutboxEntry a1 = enqueue("a", "evt_1", null);
        enqueue("b", "evt_2", null);
        enqueue("a", "evt_3", null);
        queue.markDelivered(a1, 1, T0);
        assertThat(queue.list(null, null, 10)).extracting(OutboxEntry::eventId).containsExactly("evt_3", "evt_2", "evt_1");
        assertThat(queue.list("pending", "a", 10)).extracting(OutboxEntry::eventId).containsExactly("evt_3");
        assertThat(queue.list("delivered", null, 10)).extracting(OutboxEntry::eventId).containsExactly("evt_1");
        assertThat(queue.list(null, null, 1)).hasSize(1);
    }

    @Test
    void longErrorsAreBounded() throws Exception {
        OutboxEntry e = enqueue("a", "evt_1", null);
        queue.scheduleRetry(e, 1, T0, "x".repeat(10_000));
        assertThat(queue.find(e.id()).orElseThrow().lastError()).hasSize(500);
    }
}
