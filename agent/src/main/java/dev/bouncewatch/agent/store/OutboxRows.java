package dev.bouncewatch.agent.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** How an {@link OutboxEntry} maps to a row of {@code outbox} and back. */
final class OutboxRows {

    static final String COLUMNS = "destination, event_id, event_type, group_key, payload, created_ms,"
            + " next_attempt_ms, attempts, state, last_error, finished_ms";

    static final String SELECT = "SELECT id, " + COLUMNS + " FROM outbox";

    static final String INSERT = "INSERT INTO outbox (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " RETURNING id";

    private OutboxRows() {
    }

    static void bind(PreparedStatement st, OutboxEntry e) throws SQLException {
        st.setString(1, e.destination());
        st.setString(2, e.eventId());
        st.setString(3, e.eventType());
        st.setString(4, e.groupKey());
        st.setString(5, e.payload());
        st.setLong(6, e.createdAt().toEpochMilli());
        st.setLong(7, (e.nextAttemptAt() != null ? e.nextAttemptAt() : e.createdAt()).toEpochMilli());
        st.setInt(8, e.attempts());
        st.setString(9, e.state());
        st.setString(10, e.lastError());
        if (e.finishedAt() == null) {
            st.setNull(11, Types.INTEGER);
        } else {
            st.setLong(11, e.finishedAt().toEpochMilli());
        }
    }

    static OutboxEntry read(ResultSet rs) throws SQLException {
        long finished = rs.getLong(12);
        Instant finishedAt = rs.wasNull() ? null : Instant.ofEpochMilli(finished);
        return new OutboxEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)),
                rs.getInt(9), rs.getString(10), rs.getString(11), finishedAt);
    }
}
