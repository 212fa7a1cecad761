package dev.bouncewatch.agent.notify;

import dev.bouncewatch.agent.store.StoreTransaction;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import java.sql.SQLException;
import java.util.List;

/**
 * Turns committed results into notifications. {@link #onBatch} runs inside the write transaction of
 * a batch, so what it queues in the outbox commits with the results or not at all; it must not do
 * network I/O. Sending happens on the notifier's own workers after {@link #start()}.
 */
public interface Notifier extends AutoCloseable {

    /**
     * @param results         the batch's results, with ids
     * @param newSuppressions addresses this batch put on the suppression list
     */
    void onBatch(StoreTransaction tx, List<StoredResult> results, List<Suppression> newSuppressions)
            throws SQLException;

    /** Starts delivery workers and timers (alert evaluation, digest). */
    default void start() {
    }

    /** Stops workers; what is pending stays in the outbox for the next start. */
    @Override
    default void close() {
    }

    Notifier NONE = (tx, results, newSuppressions) -> {
    };
}
