package dev.bouncewatch.agent.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@link StoreTransaction} on the writer connection. Prepared statements are kept for the life of the
 * connection: preparing is the costly part of a small insert, and batches run back to back.
 */
final class WriterTransaction implements StoreTransaction {

    private static final String SAVE_CHECKPOINT = "INSERT INTO checkpoints (source, position, updated_ms)"
            + " VALUES (?, ?, ?) ON CONFLICT (source) DO UPDATE SET position = excluded.position,"
            + " updated_ms = excluded.updated_ms";
    private static final String COUNT_FAILURES = "SELECT count(*) FROM results"
            + " WHERE recipient = ? COLLATE NOCASE AND category = ? AND time_ms >= ?"
            + " AND severity = 'permanent' AND status IN ('bounced', 'expired')";
    private static final String FIND_SUPPRESSION = SuppressionRows.SELECT + " WHERE address = ?";
    private static final String DELETE_SUPPRESSION = "DELETE FROM suppressions WHERE address = ?";
    private static final String FIND_OUTBOX = OutboxRows.SELECT + " WHERE destination = ? AND event_id = ?";
    private static final String REPLACE_GROUP = "DELETE FROM outbox"
            + " WHERE destination = ? AND group_key = ? AND state = 'pending'";

    private final Connection connection;
    private final Map<String, PreparedStatement> statements;
    private final Clock clock;
    private boolean open = true;

    /** @param statements the writer's statement cache, keyed by SQL; filled on first use */
    WriterTransaction(Connection connection, Map<String, PreparedStatement> statements, Clock clock) {
        this.connection = connection;
        this.statements = statements;
        this.clock = clock;
    }

    static Map<String, PreparedStatement> newStatementCache() {
        return new HashMap<>();
    }

    void end() {
        open = false;
    }

    @Override
    public StoredResult insertResult(StoredResult result) throws SQLException {
        PreparedStatement st = statement(ResultRows.INSERT);
        ResultRows.bind(st, result);
        try (ResultSet rs = st.executeQuery()) {
            rs.next();
            return result.withId(rs.getLong(1));
        }
    }

    @Override
    public void saveCheckpoint(String sourceId, String position) throws SQLException {
        PreparedStatement st = statement(SAVE_CHECKPOINT);
        st.setString(1, sourceId);
        st.setString(2, position);
        st.setLong(3, clock.millis());
        st.executeUpdate();
    }

    @Override
    public int countFailures(String recipient, String category, Instant since) throws SQLException {
        PreparedStatement st = statement(COUNT_FAILURES);
        st.setString(1, recipient);
        st.setString(2, category);
        st.setLong(3, since.toEpochMilli());
        try (ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public Optional<Suppression> suppression(String address) throws SQLException {
        PreparedStatement st = statement(FIND_SUPPRESSION);
        st.setString(1, lower(address));
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(SuppressionRows.read(rs)) : Optional.empty();
        }
    }

    @Override
    public boolean suppress(Suppression suppression) throws SQLException {
        Suppression s = suppression.address().equals(lower(suppression.address())) ? suppression
                : new Suppression(lower(suppression.address()), suppression.origin(), suppression.reason(),
                suppression.category(), suppression.createdAt(), suppression.updatedAt(), suppression.resultId(),
                suppression.dsn(), suppression.replyCode(), suppression.diagnostic(), suppression.failures());
        boolean isNew = suppression(s.address()).isEmpty();
        PreparedStatement st = statement(SuppressionRows.UPSERT);
        SuppressionRows.bind(st, s);
        st.executeUpdate();
        return isNew;
    }

    @Override
    public boolean unsuppress(String address) throws SQLException {
        PreparedStatement st = statement(DELETE_SUPPRESSION);
        st.setString(1, lower(address));
        return st.executeUpdate() > 0;
    }

    @Override
    public OutboxEntry enqueue(OutboxEntry entry) throws SQLException {
        PreparedStatement find = statement(FIND_OUTBOX);
        find.setString(1, entry.destination());
        find.setString(2, entry.eventId());
        try (ResultSet rs = find.executeQuery()) {
            if (rs.next()) {
                return OutboxRows.read(rs); // a retry of the same event: the first one stands
            }
        }
        if (entry.groupKey() != null) {
            PreparedStatement replace = statement(REPLACE_GROUP);
            replace.setString(1, entry.destination());
            replace.setString(2, entry.groupKey());
            replace.executeUpdate();
        }
        PreparedStatement insert = statement(OutboxRows.INSERT);
        OutboxRows.bind(insert, entry);
        try (ResultSet rs = insert.executeQuery()) {
            rs.next();
            long id = rs.getLong(1);
            return new OutboxEntry(id, entry.destination(), entry.eventId(), entry.eventType(), entry.groupKey(),
                    entry.payload(), entry.createdAt(),
                    entry.nextAttemptAt() != null ? entry.nextAttemptAt() : entry.createdAt(), entry.attempts(),
                    entry.state(), entry.lastError(), entry.finishedAt());
        }
    }

    @Override
    public Connection connection() {
        checkOpen();
        return connection;
    }

    private PreparedStatement statement(String sql) throws SQLException {
        checkOpen();
        PreparedStatement st = statements.get(sql);
        if (st == null) {
            st = connection.prepareStatement(sql);
            statements.put(sql, st);
        }
        return st;
    }

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException("this transaction has ended; use the StoreTransaction only inside Store.write");
        }
    }

    static String lower(String address) {
        return address.toLowerCase(Locale.ROOT);
    }
}
