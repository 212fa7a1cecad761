package dev.bouncewatch.agent.store;

import dev.bouncewatch.agent.model.DeliveryStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Computes {@link Stats} in SQL, one grouped query per dimension, over results with MTA time in [since, until). */
final class StatsQuery {

    /** More buckets than this is a caller mistake (a 1 s bucket over a month), not a chart. */
    static final int MAX_BUCKETS = 10_000;
    static final int TOP_REASONS = 10;

    private static final String WINDOW = " FROM results WHERE time_ms >= ? AND time_ms < ?";
    // The planner prefers results_category_time to skip the GROUP BY sort, then reads every row for its
    // status; the covering time index filters the window and status without touching rows (6x faster
    // on a month of results). Migration 003 creates it.
    private static final String WINDOW_BY_OUTCOME = " FROM results INDEXED BY results_time_outcome"
            + " WHERE time_ms >= ? AND time_ms < ?";
    private static final String OUTCOMES = "count(*), sum(status = 'delivered'), sum(status = 'deferred'),"
            + " sum(status IN ('bounced', 'expired'))";

    private static final String BY_STATUS = "SELECT status, count(*)" + WINDOW + " GROUP BY status";
    private static final String BY_CATEGORY = "SELECT category, count(*)" + WINDOW_BY_OUTCOME
            + " AND status <> 'delivered' GROUP BY category ORDER BY count(*) DESC, category";
    private static final String BY_DOMAIN = "SELECT recipient_domain, " + OUTCOMES + WINDOW
            + " GROUP BY recipient_domain ORDER BY count(*) DESC, recipient_domain LIMIT ?";
    private static final String TIMELINE = "SELECT (time_ms - ?) / ? AS bucket, " + OUTCOMES + WINDOW
            + " GROUP BY bucket";
    // SQLite returns the bare column (diagnostic) from the row that holds max(id): the newest sample
    private static final String TOP_REASONS_SQL = "SELECT category, dsn, action, count(*), max(id), diagnostic"
            + WINDOW_BY_OUTCOME + " AND status <> 'delivered' GROUP BY category, dsn, action"
            + " ORDER BY count(*) DESC, category, dsn LIMIT " + TOP_REASONS;

    private StatsQuery() {
    }

    static Stats run(Connection c, Instant since, Instant until, Duration bucket, int maxDomains) throws SQLException {
        long from = since.toEpochMilli();
        long to = until.toEpochMilli();
        long width = bucket.toMillis();
        if (to < from) {
            throw new IllegalArgumentException("until " + until + " is before since " + since);
        }
        if (width <= 0) {
            throw new IllegalArgumentException("bucket must be at least 1 ms, was " + bucket);
        }
        long buckets = (to - from + width - 1) / width;
        if (buckets > MAX_BUCKETS) {
            throw new IllegalArgumentException(buckets + " buckets of " + bucket + " from " + since + " to " + until
                    + "; at most " + MAX_BUCKETS);
        }
        if (maxDomains < 0) {
            throw new IllegalArgumentException("maxDomains must be >= 0, was " + maxDomains);
        }
        // one read transaction: all dimensions see the same snapshot even while the writer commits
        c.setAutoCommit(false);
        try {
            Map<DeliveryStatus, Long> byStatus = byStatus(c, from, to);
            long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
            Stats stats = new Stats(since, until, total, byStatus, byCategory(c, from, to),
                    byDomain(c, from, to, maxDomains), timeline(c, from, to, width, (int) buckets),
                    topReasons(c, from, to));
            c.commit();
            return stats;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static Map<DeliveryStatus, Long> byStatus(Connection c, long from, long to) throws SQLException {
        Map<DeliveryStatus, Long> counts = new EnumMap<>(DeliveryStatus.class);
        for (DeliveryStatus s : DeliveryStatus.values()) {
            counts.put(s, 0L);
        }
        try (PreparedStatement st = window(c, BY_STATUS, from, to); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                counts.put(DeliveryStatus.valueOf(rs.getString(1).toUpperCase(Locale.ROOT)), rs.getLong(2));
            }
        }
        return counts;
    }

    private static List<Stats.Count> byCategory(Connection c, long from, long to) throws SQLException {
        List<Stats.Count> list = new ArrayList<>();
        try (PreparedStatement st = window(c, BY_CATEGORY, from, to); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                list.add(new Stats.Count(rs.getString(1), rs.getLong(2)));
            }
        }
        return list;
    }

    private static List<Stats.DomainCounts> byDomain(Connection c, long from, long to, int max) throws SQLException {
        List<Stats.DomainCounts> list = new ArrayList<>();
        try (PreparedStatement st = window(c, BY_DOMAIN, from, to)) {
            st.setInt(3, max);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    list.add(new Stats.DomainCounts(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5)));
                }
            }
        }
        return list;
    }

    private static List<Stats.Bucket> timeline(Connection c, long from, long to, long width, int buckets)
            throws SQLException {
        long[][] counts = new long[buckets][4];
        try (PreparedStatement st = c.prepareStatement(TIMELINE)) {
            st.setLong(1, from);
            st.setLong(2, width);
            st.setLong(3, from);
            st.setLong(4, to);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    int b = rs.getInt(1);
                    for (int k = 0; k < 4; k++) {
                        counts[b][k] = rs.getLong(k + 2);
                    }
                }
            }
        }
        List<Stats.Bucket> list = new ArrayList<>(buckets);
        for (int b = 0; b < buckets; b++) {
            long[] n = counts[b];
            list.add(new Stats.Bucket(Instant.ofEpochMilli(from + b * width), n[0], n[1], n[2], n[3]));
        }
        return list;
    }

    private static List<Stats.Reason> topReasons(Connection c, long from, long to) throws SQLException {
        List<Stats.Reason> list = new ArrayList<>();
        try (PreparedStatement st = window(c, TOP_REASONS_SQL, from, to); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                list.add(new Stats.Reason(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getString(6)));
            }
        }
        return list;
    }

    private static PreparedStatement window(Connection c, String sql, long from, long to) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        st.setLong(1, from);
        st.setLong(2, to);
        return st;
    }
}
