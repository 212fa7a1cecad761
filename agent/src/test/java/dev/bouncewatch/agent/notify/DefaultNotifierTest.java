package dev.bouncewatch.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bouncewatch.agent.notify.delivery.DeliverySettings;
import dev.bouncewatch.agent.notify.delivery.OutboxDispatcher;
import dev.bouncewatch.agent.notify.event.EventFactory;
import dev.bouncewatch.agent.store.OutboxEntry;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultNotifierTest {

    @TempDir
    Path dir;
    private Store store;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(dir.resolve("bouncewatch.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A destination that keeps what it is given; optionally fails to render. */
    static final class Recording implements Destination {
        final String name;
        final EventFilter filter;
        final boolean brokenRenderer;

        Recording(String name, EventFilter filter, boolean brokenRenderer) {
            this.name = name;
            this.filter = filter;
            this.brokenRenderer = brokenRenderer;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String kind() {
            return "webhook";
        }

        @Override
        public boolean accepts(NotificationEvent event) {
            return filter.accepts(event);
        }

        @Override
        public boolean mayAccept(EventType type) {
            return filter.types().contains(type);
        }

        @Override
        public String render(NotificationEvent event) {
            if (brokenRenderer) {
                throw new IllegalStateException("renderer bug");
            }
            return event.type() + " " + event.id();
        }

        @Override
        public DeliveryOutcome send(OutboxEntry entry) {
            return DeliveryOutcome.delivered("ok");
        }
    }

    private DefaultNotifier notifier(Destination... destinations) {
        EventFactory events = new EventFactory("mx1", Clock.systemUTC());
        return new DefaultNotifier(events, new OutboxDispatcher(store, List.of(destinations), DeliverySettings.defaults(),
                Clock.systemUTC()));
    }

    private List<StoredResult> commit(DefaultNotifier notifier, boolean suppressFirst, StoredResult... results) throws StoreException {
        return store.write(tx -> {
            List<StoredResult> stored = new ArrayList<>();
            for (StoredResult r : results) {
                stored.add(tx.insertResult(r));
            }
            List<Suppression> sups = new ArrayList<>();
            if (suppressFirst) {
                Suppression s = Results.suppressionFor(stored.get(0));
                tx.suppress(s);
                sups.add(s);
            }
            notifier.onBatch(tx, stored, sups);
            return stored;
        });
    }

    private List<OutboxEntry> queued() throws StoreException {
        List<OutboxEntry> all = new ArrayList<>(new OutboxDispatcher(store, List.of(), DeliverySettings.defaults(),
                Clock.systemUTC()).queue().list(null, null, 1000));
        java.util.Collections.reverse(all);
        return all;
    }

    @Test
    void queuesOneEntryPerAcceptingDestinationInTheBatchTransaction() throws Exception {
        DefaultNotifier n = notifier(new Recording("all", EventFilter.types(EnumSet.allOf(EventType.class)), false),
                new Recording("bounces", EventFilter.types(Set.of(EventType.MESSAGE_BOUNCED)), false));
        commit(n, true, Results.gmailUserUnknown(0, "jane@gmail.com"), Results.delivered(0, "ok@example.org"),
                Results.outlookDeferred(0, "bob@outlook.com"));
        assertThat(queued()).extracting(e -> e.destination() + " " + e.eventType()).containsExactly(
                "all message.bounced", "bounces message.bounced", "all message.delivered", "all message.deferred",
                "all recipient.suppressed");
        assertThat(queued().get(0).payload()).startsWith("message.bounced evt_");
    }

    @Test
    void resultsLoggedLongerAgoThanMaxEventAgeMakeNoMessageEventButTheirSuppressionsStillDo() throws Exception {
        // the clock stands 2 hours after T0: the bounce at T0 is old, the deferral at T0+120 s is too,
        // with a 1-hour limit; a 3-hour limit lets both through
        Clock clock = Clock.fixed(Results.T0.plusSeconds(7200), java.time.ZoneOffset.UTC);
        Recording all = new Recording("all", EventFilter.types(EnumSet.allOf(EventType.class)), false);
        DefaultNotifier oneHour = new DefaultNotifier(new EventFactory("mx1", clock), new OutboxDispatcher(store,
                List.of(all), DeliverySettings.defaults(), clock), java.time.Duration.ofHours(1), clock);
        commit(oneHour, true, Results.gmailUserUnknown(0, "jane@gmail.com"), Results.outlookDeferred(0, "bob@outlook.com"));
        assertThat(queued()).extracting(OutboxEntry::eventType).containsExactly("recipient.suppressed");

        DefaultNotifier threeHours = new DefaultNotifier(new EventFactory("mx1", clock), new OutboxDispatcher(store,
                List.of(all), DeliverySettings.defaults(), clock), java.time.Duration.ofHours(3), clock);
        commit(threeHours, false, Results.gmailUserUnknown(0, "ann@gmail.com"));
        assertThat(queued()).extracting(OutboxEntry::eventType).containsExactly("recipient.suppressed", "message.bounced");
    }

    @Test
    void resultsNobodyWantsAreSkippedAndSoAreTheirEvents() throws Exception {
        DefaultNotifier n = notifier(new Recording("default", EventFilter.defaults(), false));
        commit(n, false, Results.delivered(0, "a@example.org"), Results.delivered(0, "b@example.org"));
        assertThat(queued()).isEmpty();
    }

    @Test
    void aRollbackTakesTheEntriesWithIt() throws Exception {
        DefaultNotifier n = notifier(new Recording("all", EventFilter.defaults(), false));
        assertThatThrownBy(() -> store.write(tx -> {
            StoredResult r = tx.insertResult(Results.gmailUserUnknown(0, "jane@gmail.com"));
            n.onBatch(tx, List.of(r), List.of());
            throw new java.sql.SQLException("disk full");
        })).isInstanceOf(StoreException.class);
        assertThat(queued()).isEmpty();
    }

    @Test
    void aDestinationThatCannotRenderLosesItsEntryNotTheBatch() throws Exception {
        DefaultNotifier n = notifier(new Recording("broken", EventFilter.defaults(), true),
                new Recording("fine", EventFilter.defaults(), false));
        List<StoredResult> stored = commit(n, false, Results.gmailUserUnknown(0, "jane@gmail.com"));
        assertThat(stored.get(0).id()).isPositive();
        assertThat(queued()).extracting(OutboxEntry::destination).containsExactly("fine");
    }

    @Test
    void notifyingTheSameResultAgainQueuesNothingNew() throws Exception {
        DefaultNotifier n = notifier(new Recording("all", EventFilter.defaults(), false));
        List<StoredResult> stored = commit(n, false, Results.gmailUserUnknown(0, "jane@gmail.com"));
        store.write(tx -> {
            n.onBatch(tx, stored, List.of()); // e.g. a pipeline re-run over the same committed batch
            return null;
        });
        assertThat(queued()).hasSize(1);
    }
}
