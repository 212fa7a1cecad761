package dev.bouncewatch.agent.notify;

import dev.bouncewatch.agent.notify.delivery.OutboxDispatcher;
import dev.bouncewatch.agent.notify.event.EventFactory;
import dev.bouncewatch.agent.store.StoreTransaction;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's notifier: each result becomes a message event, each new suppression a
 * {@code recipient.suppressed} event, queued in the batch's own transaction for every destination
 * that wants it; the dispatcher's workers deliver them after the commit.
 */
public final class DefaultNotifier implements Notifier {

    private final EventFactory events;
    private final OutboxDispatcher dispatcher;
    /** Types some destination may take; results of other types are not even turned into events. */
    private final Set<EventType> wanted = EnumSet.noneOf(EventType.class);

    public DefaultNotifier(EventFactory events, OutboxDispatcher dispatcher) {
        this.events = events;
        this.dispatcher = dispatcher;
        for (EventType t : EventType.values()) {
            if (dispatcher.destinations().stream().anyMatch(d -> d.mayAccept(t))) {
                wanted.add(t);
            }
        }
    }

    public OutboxDispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public void onBatch(StoreTransaction tx, List<StoredResult> results, List<Suppression> newSuppressions)
            throws SQLException {
        if (wanted.isEmpty()) {
            return;
        }
        Map<Long, Suppression> byResult = new HashMap<>();
        for (Suppression s : newSuppressions) {
            if (s.resultId() != null) {
                byResult.put(s.resultId(), s);
            }
        }
        for (StoredResult r : results) {
            if (wanted.contains(EventFactory.typeOf(r.result().status()))) {
                dispatcher.publish(tx, events.fromResult(r, byResult.get(r.id())));
            }
        }
        if (wanted.contains(EventType.RECIPIENT_SUPPRESSED)) {
            for (Suppression s : newSuppressions) {
                dispatcher.publish(tx, events.fromSuppression(s));
            }
        }
    }

    @Override
    public void start() {
        dispatcher.start();
    }

    @Override
    public void close() {
        dispatcher.close();
    }
}
