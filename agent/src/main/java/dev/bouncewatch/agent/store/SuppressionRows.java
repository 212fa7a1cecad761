package dev.bouncewatch.agent.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** How a {@link Suppression} maps to a row of {@code suppressions} and back. */
final class SuppressionRows {

    static final String COLUMNS = "address, origin, reason, category, created_ms, updated_ms, result_id, dsn,"
            + " reply_code, diagnostic, failures";

    static final String SELECT = "SELECT " + COLUMNS + " FROM suppressions";

    static final String UPSERT = "INSERT INTO suppressions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (address) DO UPDATE SET origin = excluded.origin, reason = excluded.reason,"
            + " category = excluded.category, created_ms = excluded.created_ms, updated_ms = excluded.updated_ms,"
            + " result_id = excluded.result_id, dsn = excluded.dsn, reply_code = excluded.reply_code,"
            + " diagnostic = excluded.diagnostic, failures = excluded.failures";

    private SuppressionRows() {
    }

    static void bind(PreparedStatement st, Suppression s) throws SQLException {
        st.setString(1, s.address());
        st.setString(2, s.origin());
        st.setString(3, s.reason());
        st.setString(4, s.category());
        st.setLong(5, s.createdAt().toEpochMilli());
        st.setLong(6, s.updatedAt().toEpochMilli());
        if (s.resultId() == null) {
            st.setNull(7, Types.INTEGER);
        } else {
            st.setLong(7, s.resultId());
        }
        st.setString(8, s.dsn());
        ResultRows.setInteger(st, 9, s.replyCode());
        st.setString(10, s.diagnostic());
        st.setInt(11, s.failures());
    }

    static Suppression read(ResultSet rs) throws SQLException {
        long resultId = rs.getLong(7);
        Long resultIdOrNull = rs.wasNull() ? null : resultId;
        return new Suppression(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6)), resultIdOrNull,
                rs.getString(8), ResultRows.getInteger(rs, 9), rs.getString(10), rs.getInt(11));
    }
}
