package dev.bouncewatch.agent.notify.alert;

import dev.bouncewatch.agent.classify.Action;
import dev.bouncewatch.agent.config.AlertsConfig.SuppressionSurge;
import dev.bouncewatch.agent.notify.AlertSeverity;
import dev.bouncewatch.agent.notify.DisplayFormat;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Many addresses put on the suppression list at once, compared with the usual pace: an imported
 * stale list, or a receiver-side fault that looks like "user unknown". Either way someone should
 * look before the list shrinks further.
 */
final class SuppressionSurgeRule implements AlertRule {

    static final String ID = "suppression_surge";
    /**
     * Suppressions decided by a result logged around the time they were made. A first start reading
     * a week of mail.log suppresses that week's unknown users within minutes: a backlog, not a surge.
     * %d is the window in milliseconds; a suppression whose result is gone (retention) counts.
     */
    private static final String FRESH = " AND coalesce((SELECT r.time_ms FROM results r WHERE r.id = s.result_id),"
            + " s.created_ms) >= s.created_ms - %d";
    private static final String COUNT = "SELECT count(*) FROM suppressions s WHERE origin = 'bounce'"
            + " AND created_ms >= ? AND created_ms < ?" + FRESH;
    private static final String REASONS = "SELECT category, dsn, reply_code, count(*) AS n, max(created_ms),"
            + " count(*) OVER () FROM suppressions s WHERE origin = 'bounce' AND created_ms >= ?" + FRESH
            + " GROUP BY category, dsn, reply_code ORDER BY n DESC LIMIT ?";
    private static final String SAMPLE = "SELECT diagnostic FROM suppressions s WHERE origin = 'bounce' AND created_ms >= ?"
            + FRESH + " AND category IS ? AND dsn IS ? AND reply_code IS ? ORDER BY created_ms DESC LIMIT 1";
    private static final String DOMAINS = "SELECT substr(address, instr(address, '@') + 1) AS domain, count(*) AS n,"
            + " count(*) OVER () FROM suppressions s WHERE origin = 'bounce' AND created_ms >= ?" + FRESH
            + " GROUP BY domain ORDER BY n DESC, domain LIMIT ?";

    private final SuppressionSurge settings;
    private final String countSql;
    private final String reasonsSql;
    private final String sampleSql;
    private final String domainsSql;

    SuppressionSurgeRule(SuppressionSurge settings) {
        this.settings = settings;
        long window = settings.window().toMillis();
        this.countSql = COUNT.formatted(window);
        this.reasonsSql = REASONS.formatted(window);
        this.sampleSql = SAMPLE.formatted(window);
        this.domainsSql = DOMAINS.formatted(window);
    }

    @Override
    public Set<String> ids() {
        return Set.of(ID);
    }

    @Override
    public List<Alert> evaluate(ResultWindows w) throws SQLException {
        Instant since = w.now().minus(settings.window());
        long n = count(w, countSql, since, w.now().plusSeconds(60));
        if (n < settings.minCount()) {
            return List.of();
        }
        long before = count(w, countSql, since.minus(settings.baselineWindow()), since);
        double usual = (double) before * settings.window().toMillis() / settings.baselineWindow().toMillis();
        if (n < settings.factor() * usual) {
            return List.of();
        }
        List<Alert.Reason> reasons = new ArrayList<>();
        long kinds = 0;
        try (PreparedStatement st = w.connection().prepareStatement(reasonsSql);
             PreparedStatement sample = w.connection().prepareStatement(sampleSql)) {
            st.setLong(1, since.toEpochMilli());
            st.setInt(2, AlertDetails.MAX_ITEMS);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String category = rs.getString(1);
                    String dsn = rs.getString(2);
                    int code = rs.getInt(3);
                    Integer replyCode = rs.wasNull() ? null : code;
                    sample.setLong(1, since.toEpochMilli());
                    sample.setString(2, category);
                    sample.setString(3, dsn);
                    sample.setObject(4, replyCode);
                    String text = null;
                    try (ResultSet s = sample.executeQuery()) {
                        if (s.next()) {
                            text = s.getString(1);
                        }
                    }
                    reasons.add(new Alert.Reason(category, dsn, replyCode, Action.SUPPRESS.wireName(), rs.getLong(4), text, null));
                    kinds = rs.getLong(6);
                }
            }
        }
        var domains = w.top(domainsSql, since, new ResultFilter("1", List.of()), AlertDetails.MAX_ITEMS,
                rs -> new Alert.DomainCount(rs.getString(1), rs.getLong(2)));
        String window = DisplayFormat.duration(settings.window());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("suppressed", n);
        metrics.put("usual", usual);
        metrics.put("window", settings.window().toString());
        return List.of(new Alert(ID, Scope.ALL, "Suppression surge", AlertSeverity.WARNING, false,
                DisplayFormat.count(n) + " addresses suppressed in the last " + window + "; usually about "
                        + DisplayFormat.count(Math.round(usual)),
                List.of(new Alert.Fact("Suppressed", DisplayFormat.count(n)),
                        new Alert.Fact("Usual", "about " + DisplayFormat.count(Math.round(usual)) + " per " + window),
                        new Alert.Fact("Window", window)),
                metrics, Action.INVESTIGATE.wireName(),
                "Check whether a stale list was imported or a receiver answers \"user unknown\" by mistake before the"
                        + " suppression list grows further; `bouncewatch` never removes entries by itself.",
                reasons, Math.max(0, kinds - reasons.size()), domains.items(), domains.more(), Set.of()));
    }

    private static long count(ResultWindows w, String sql, Instant since, Instant until) throws SQLException {
        try (PreparedStatement st = w.connection().prepareStatement(sql)) {
            st.setLong(1, since.toEpochMilli());
            st.setLong(2, until.toEpochMilli());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
