package dev.bouncewatch.agent.notify.alert;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * SQL over the results of a recent time window (by MTA time), for one evaluation: rules share the
 * aggregated outcome rows of a window instead of each scanning the table. Every query is an
 * aggregate on the time index; rows are never fetched one by one.
 */
final class ResultWindows {

    /**
     * Results with the same recipient domain, sender domain, status and category in a window.
     *
     * @param recipientScope the provider when the domain's MX belongs to a known one, else the domain
     */
    record Outcome(String recipientDomain, Scope recipientScope, String senderDomain, String status, String category,
                   long count) {

        boolean finished() {
            return !status.equals("deferred") && !category.equals("suppressed");
        }

        boolean failed() {
            return (status.equals("bounced") || status.equals("expired")) && !category.equals("suppressed");
        }
    }

    /** The first items of a ranking and how many more there were. */
    record Top<T>(List<T> items, long more) {
    }

    private static final String OUTCOMES = "SELECT recipient_domain, " + ResultFilter.SENDER_DOMAIN + " AS sender_domain,"
            + " status, category, count(*), max(relay) FROM results WHERE time_ms >= ? AND time_ms < ?"
            + " GROUP BY recipient_domain, sender_domain, status, category";

    private final Connection connection;
    private final Instant now;
    private final ProviderDirectory providers;
    private final Map<Duration, List<Outcome>> cache = new HashMap<>();

    ResultWindows(Connection connection, Instant now, ProviderDirectory providers) {
        this.connection = connection;
        this.now = now;
        this.providers = providers;
    }

    Instant now() {
        return now;
    }

    Connection connection() {
        return connection;
    }

    /** Outcomes of the last {@code window} (results logged up to a minute "in the future" count too: clock skew). */
    List<Outcome> outcomes(Duration window) throws SQLException {
        List<Outcome> hit = cache.get(window);
        if (hit == null) {
            hit = outcomes(now.minus(window), now.plus(Duration.ofMinutes(1)));
            cache.put(window, hit);
        }
        return hit;
    }

    List<Outcome> outcomes(Instant since, Instant until) throws SQLException {
        record Row(String domain, String sender, String status, String category, long count, String relay) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(OUTCOMES)) {
            st.setLong(1, since.toEpochMilli());
            st.setLong(2, until.toEpochMilli());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                            rs.getString(6)));
                }
            }
        }
        // one scope per domain: a row without a relay (no connection) belongs where the domain's other rows went
        Map<String, Scope> scopes = new HashMap<>();
        for (Row r : rows) {
            if (r.relay() != null && !scopes.containsKey(r.domain())) {
                providers.providerOf(r.domain(), r.relay()).ifPresent(p -> scopes.put(r.domain(), new Scope("provider", p)));
            }
        }
        List<Outcome> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Scope scope = scopes.computeIfAbsent(r.domain(), d -> providers.providerOf(d, null)
                    .map(p -> new Scope("provider", p)).orElse(new Scope("domain", d)));
            out.add(new Outcome(r.domain(), scope, r.sender(), r.status(), r.category(), r.count()));
        }
        return out;
    }

    /** The most frequent kinds of reply among rows matching {@code filter} since {@code since}, with the newest sample. */
    Top<Alert.Reason> topReasons(Instant since, ResultFilter filter, int limit) throws SQLException {
        String sql = "SELECT category, dsn, reply_code, count(*) AS n, max(id) AS newest, count(*) OVER () AS kinds"
                + " FROM results WHERE time_ms >= ? AND (" + filter.sql() + ")"
                + " GROUP BY category, dsn, reply_code ORDER BY n DESC, newest DESC LIMIT ?";
        record Row(String category, String dsn, Integer code, long count, long newest) {
        }
        List<Row> rows = new ArrayList<>();
        long kinds = 0;
        try (PreparedStatement st = prepare(sql, since, filter, limit); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                int code = rs.getInt(3);
                Integer replyCode = rs.wasNull() ? null : code;
                rows.add(new Row(rs.getString(1), rs.getString(2), replyCode, rs.getLong(4), rs.getLong(5)));
                kinds = rs.getLong(6);
            }
        }
        List<Alert.Reason> reasons = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement("SELECT diagnostic, action, advice FROM results WHERE id = ?")) {
            for (Row r : rows) {
                st.setLong(1, r.newest());
                try (ResultSet rs = st.executeQuery()) {
                    String sample = null;
                    String action = null;
                    String advice = null;
                    if (rs.next()) {
                        sample = rs.getString(1);
                        action = rs.getString(2);
                        advice = rs.getString(3);
                    }
                    reasons.add(new Alert.Reason(r.category(), r.dsn(), r.code(), action, r.count(), sample, advice));
                }
            }
        }
        return new Top<>(reasons, Math.max(0, kinds - reasons.size()));
    }

    /** Recipient domains with the most rows matching {@code filter} since {@code since}. */
    Top<Alert.DomainCount> topDomains(Instant since, ResultFilter filter, int limit) throws SQLException {
        String sql = "SELECT recipient_domain, count(*) AS n, count(*) OVER () FROM results WHERE time_ms >= ? AND ("
                + filter.sql() + ") GROUP BY recipient_domain ORDER BY n DESC, recipient_domain LIMIT ?";
        return top(sql, since, filter, limit, rs -> new Alert.DomainCount(rs.getString(1), rs.getLong(2)));
    }

    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    <T> Top<T> top(String sql, Instant since, ResultFilter filter, int limit, RowReader<T> reader) throws SQLException {
        List<T> items = new ArrayList<>();
        long total = 0;
        try (PreparedStatement st = prepare(sql, since, filter, limit); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                items.add(reader.read(rs));
                total = rs.getLong(3);
            }
        }
        return new Top<>(items, Math.max(0, total - items.size()));
    }

    /** Rows of a query whose parameters are: since, the filter's arguments, then {@code extra}. */
    <T> List<T> query(String sql, Instant since, ResultFilter filter, RowReader<T> reader, Object... extra) throws SQLException {
        List<T> out = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            int i = 1;
            st.setLong(i++, since.toEpochMilli());
            for (Object a : filter.args()) {
                st.setObject(i++, a);
            }
            for (Object a : extra) {
                st.setObject(i++, a);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
            }
        }
        return out;
    }

    private PreparedStatement prepare(String sql, Instant since, ResultFilter filter, int limit) throws SQLException {
        PreparedStatement st = connection.prepareStatement(sql);
        try {
            int i = 1;
            st.setLong(i++, since.toEpochMilli());
            for (Object a : filter.args()) {
                st.setObject(i++, a);
            }
            st.setInt(i, limit);
            return st;
        } catch (SQLException e) {
            st.close();
            throw e;
        }
    }

    /** Groups items by a key, keeping first-seen order. */
    static <T, K> Map<K, List<T>> groupBy(List<T> items, Function<T, K> key) {
        Map<K, List<T>> out = new LinkedHashMap<>();
        for (T t : items) {
            out.computeIfAbsent(key.apply(t), k -> new ArrayList<>()).add(t);
        }
        return out;
    }
}
