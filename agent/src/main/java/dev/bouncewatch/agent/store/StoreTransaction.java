package dev.bouncewatch.agent.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything written in one SQLite transaction: a batch's results, the checkpoint that covers them,
 * the suppressions they cause and the notifications they trigger commit together or not at all.
 */
public interface StoreTransaction {

    /** Inserts the result and returns it with its id. */
    StoredResult insertResult(StoredResult result) throws SQLException;

    void saveCheckpoint(String sourceId, String position) throws SQLException;

    /**
     * Permanent failures for this recipient (case-insensitive) in this category since the given time,
     * counting rows already inserted in this transaction.
     */
    int countFailures(String recipient, String category, Instant since) throws SQLException;

    Optional<Suppression> suppression(String address) throws SQLException;

    /** Adds or replaces the entry; true when the address was not suppressed before. */
    boolean suppress(Suppression suppression) throws SQLException;

    /** True when the address was on the list. */
    boolean unsuppress(String address) throws SQLException;

    /**
     * Queues a notification. With a group key, pending entries of the same destination and key are
     * replaced (they are older state). Returns the entry with its id; an entry whose (destination,
     * eventId) exists already is left as it is and returned unchanged.
     */
    OutboxEntry enqueue(OutboxEntry entry) throws SQLException;

    /** The transaction's connection, for tables a later stage owns (alert state). Do not commit it. */
    Connection connection();
}
