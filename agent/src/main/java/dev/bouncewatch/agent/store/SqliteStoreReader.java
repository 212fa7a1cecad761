package dev.bouncewatch.agent.store;

import dev.bouncewatch.agent.model.DeliveryStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@link StoreReader} on the read-only connection pool; every value is a bound parameter. */
final class SqliteStoreReader implements StoreReader {

    private final Path file;
    private final ReadConnectionPool pool;

    SqliteStoreReader(Path file, ReadConnectionPool pool) {
        this.file = file;
        this.pool = pool;
    }

    @FunctionalInterface
    interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs one query on a pooled connection; the failure names the database file and what was asked. */
    <T> T query(String what, Query<T> query) throws StoreException {
        Connection c;
        try {
            c = pool.borrow();
        } catch (SQLException e) {
            throw new StoreException(file + ": " + what + ": " + e.getMessage(), e);
        }
        try {
            return query.run(c);
        } catch (SQLException e) {
            throw new StoreException(file + ": " + what + " failed: " + e.getMessage(), e);
        } finally {
            pool.release(c);
        }
    }

    @Override
    public Optional<String> checkpoint(String sourceId) throws StoreException {
        return query("checkpoint of " + sourceId, c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT position FROM checkpoints WHERE source = ?")) {
                st.setString(1, sourceId);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public ResultPage results(ResultQuery q) throws StoreException {
        StringBuilder sql = new StringBuilder(ResultRows.SELECT).append(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.since() != null) {
            sql.append(" AND time_ms >= ?");
            args.add(q.since().toEpochMilli());
        }
        if (q.until() != null) {
            sql.append(" AND time_ms < ?");
            args.add(q.until().toEpochMilli());
        }
        if (!q.statuses().isEmpty()) {
            sql.append(" AND status IN (").append("?, ".repeat(q.statuses().size() - 1)).append("?)");
            q.statuses().stream().map(DeliveryStatus::wireName).sorted().forEach(args::add);
        }
        if (notBlank(q.category())) {
            sql.append(" AND category = ?");
            args.add(q.category().trim().toLowerCase(Locale.ROOT));
        }
        if (notBlank(q.recipient())) {
            sql.append(" AND recipient = ? COLLATE NOCASE");
            args.add(q.recipient().trim());
        }
        if (notBlank(q.domain())) {
            sql.append(" AND recipient_domain = ?");
            args.add(q.domain().trim().toLowerCase(Locale.ROOT));
        }
        if (q.beforeId() != null) {
            sql.append(" AND id < ?");
            args.add(q.beforeId());
        }
        // one more than asked tells whether another page follows
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(q.limit() + 1);
        return query("results query", c -> {
            try (PreparedStatement st = c.prepareStatement(sql.toString())) {
                bind(st, args);
                List<StoredResult> items = new ArrayList<>();
                boolean more = false;
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        if (items.size() == q.limit()) {
                            more = true;
                            break;
                        }
                        items.add(ResultRows.read(rs));
                    }
                }
                return new ResultPage(items, more ? items.get(items.size() - 1).id() : null);
            }
        });
    }

    @Override
    public Stats stats(Instant since, Instant until, Duration bucket, int maxDomains) throws StoreException {
        return query("stats", c -> StatsQuery.run(c, since, until, bucket, maxDomains));
    }

    @Override
    public Optional<Suppression> suppression(String address) throws StoreException {
        return query("suppression lookup", c -> {
            try (PreparedStatement st = c.prepareStatement(SuppressionRows.SELECT + " WHERE address = ?")) {
                st.setString(1, address.trim().toLowerCase(Locale.ROOT));
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(SuppressionRows.read(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Suppression> suppressions(String contains, int limit, int offset) throws StoreException {
        if (limit < 0 || offset < 0) {
            throw new IllegalArgumentException("limit and offset must be >= 0, were " + limit + " and " + offset);
        }
        boolean filter = notBlank(contains);
        String sql = SuppressionRows.SELECT + (filter ? " WHERE address LIKE ? ESCAPE '\\'" : "")
                + " ORDER BY created_ms DESC, address LIMIT ? OFFSET ?";
        return query("suppression list", c -> {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                int i = 1;
                if (filter) {
                    st.setString(i++, "%" + likeEscape(contains.trim().toLowerCase(Locale.ROOT)) + "%");
                }
                st.setInt(i++, limit);
                st.setInt(i, offset);
                return suppressionRows(st);
            }
        });
    }

    @Override
    public List<Suppression> suppressionsByAddress(String afterAddress, int limit) throws StoreException {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
        String sql = SuppressionRows.SELECT + " WHERE address > ? ORDER BY address LIMIT ?";
        return query("suppression export", c -> {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                st.setString(1, afterAddress == null ? "" : afterAddress);
                st.setInt(2, limit);
                return suppressionRows(st);
            }
        });
    }

    private static List<Suppression> suppressionRows(PreparedStatement st) throws SQLException {
        List<Suppression> list = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                list.add(SuppressionRows.read(rs));
            }
        }
        return list;
    }

    @Override
    public long suppressionCount() throws StoreException {
        return query("suppression count", c -> count(c, "SELECT count(*) FROM suppressions"));
    }

    @Override
    public StoreSize size() throws StoreException {
        long bytes = fileSize(file) + fileSize(Path.of(file + "-wal"));
        return query("store size", c -> {
            c.setAutoCommit(false); // one snapshot for all counts
            try {
                return new StoreSize(bytes,
                        count(c, "SELECT count(*) FROM results"),
                        count(c, "SELECT count(*) FROM suppressions"),
                        count(c, "SELECT count(*) FROM outbox WHERE state = 'pending'"),
                        count(c, "SELECT count(*) FROM outbox WHERE state = 'dead'"));
            } finally {
                c.commit();
                c.setAutoCommit(true);
            }
        });
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static void bind(PreparedStatement st, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Long l) {
                st.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                st.setInt(i + 1, n);
            } else {
                st.setString(i + 1, (String) a);
            }
        }
    }

    private static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    static long fileSize(Path p) throws StoreException {
        try {
            return Files.size(p);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new StoreException(p + ": cannot read its size: " + e.getMessage(), e);
        }
    }
}
