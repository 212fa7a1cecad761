package dev.bouncewatch.agent.notify;

import dev.bouncewatch.agent.config.ConfigValues;
import dev.bouncewatch.agent.notify.delivery.OutboxDispatcher;
import dev.bouncewatch.agent.notify.event.EventFactory;
import dev.bouncewatch.agent.store.StoreTransaction;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's notifier: each result becomes a message event, each new suppression a
 * {@code recipient.suppressed} event, queued in the batch's own transaction for every destination
 * that wants it; the dispatcher's workers deliver them after the commit. A result logged longer
 * ago than {@code notify.maxEventAge} (a first start reading old logs) makes no message event.
 */
public final class DefaultNotifier implements Notifier {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultNotifier.class);
    private static final Duration SKIPPED_LOG_INTERVAL = Duration.ofMinutes(1);

    private final EventFactory events;
    private final OutboxDispatcher dispatcher;
    /** Types some destination may take; results of other types are not even turned into events. */
    private final Set<EventType> wanted = EnumSet.noneOf(EventType.class);

    private final Duration maxEventAge;
    private final Clock clock;
    /** Old results left without a message event since the last log line about them. */
    private long skippedOld;
    private Instant skippedLoggedAt = Instant.MIN;

    /** Every result makes its event, however old. */
    public DefaultNotifier(EventFactory events, OutboxDispatcher dispatcher) {
        this(events, dispatcher, Duration.ZERO, Clock.systemUTC());
    }

    /**
     * @param maxEventAge results logged longer ago than this make no message event (zero: no limit);
     *                    their suppressions still do
     */
    public DefaultNotifier(EventFactory events, OutboxDispatcher dispatcher, Duration maxEventAge, Clock clock) {
        this.events = events;
        this.dispatcher = dispatcher;
        this.maxEventAge = maxEventAge;
        this.clock = clock;
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
        Instant oldest = maxEventAge.isZero() ? Instant.MIN : clock.instant().minus(maxEventAge);
        for (StoredResult r : results) {
            if (!wanted.contains(EventFactory.typeOf(r.result().status()))) {
                continue;
            }
            if (r.result().time() != null && r.result().time().isBefore(oldest)) {
                skippedOld++;
                continue;
            }
            dispatcher.publish(tx, events.fromResult(r, byResult.get(r.id())));
        }
        reportSkipped();
        if (wanted.contains(EventType.RECIPIENT_SUPPRESSED)) {
            for (Suppression s : newSuppressions) {
                dispatcher.publish(tx, events.fromSuppression(s));
            }
        }
    }

    /** One line a minute while a backlog is read, so the missing webhooks are not a mystery. */
    private void reportSkipped() {
        Instant now = clock.instant();
        if (skippedOld > 0 && Duration.between(skippedLoggedAt, now).compareTo(SKIPPED_LOG_INTERVAL) >= 0) {
            LOG.info("{} message events not sent: their results were logged more than {} ago (a backlog being read;"
                    + " stored, counted and suppressing as usual; notify.maxEventAge)", skippedOld,
                    ConfigValues.formatDuration(maxEventAge));
            skippedOld = 0;
            skippedLoggedAt = now;
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
