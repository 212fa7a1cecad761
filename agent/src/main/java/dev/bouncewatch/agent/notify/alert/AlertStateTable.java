package dev.bouncewatch.agent.notify.alert;

import dev.bouncewatch.agent.notify.AlertSeverity;
import dev.bouncewatch.agent.notify.alert.GroupState.Phase;
import dev.bouncewatch.agent.notify.alert.GroupState.Told;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SQL over {@code alert_groups}, {@code alert_mutes} and {@code alert_history} (migration 004-alerts.sql). */
final class AlertStateTable {

    private static final String GROUP_COLUMNS = "group_key, rule, scope, state, severity, active_since_ms, resolved_ms,"
            + " updated_ms, last_sent_ms, last_sent_status, last_sent_severity, sent_count, held_by, details";

    private final Connection c;

    AlertStateTable(Connection c) {
        this.c = c;
    }

    Map<String, GroupState> groups() throws SQLException {
        Map<String, GroupState> out = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT " + GROUP_COLUMNS + " FROM alert_groups ORDER BY group_key");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                GroupState g = read(rs);
                out.put(g.groupKey(), g);
            }
        }
        return out;
    }

    void save(GroupState g) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT OR REPLACE INTO alert_groups (" + GROUP_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = 1;
            st.setString(i++, g.groupKey());
            st.setString(i++, g.rule());
            st.setString(i++, g.scope());
            st.setString(i++, g.phase().wireName());
            st.setString(i++, g.severity().wireName());
            st.setLong(i++, g.activeSince().toEpochMilli());
            setTime(st, i++, g.resolvedAt());
            st.setLong(i++, g.updatedAt().toEpochMilli());
            setTime(st, i++, g.lastSentAt());
            st.setString(i++, g.told().wireName());
            st.setString(i++, g.lastSentSeverity() == null ? null : g.lastSentSeverity().wireName());
            st.setInt(i++, g.sentCount());
            st.setString(i++, g.heldBy());
            st.setString(i, g.details() == null ? "{}" : g.details());
            st.executeUpdate();
        }
    }

    void delete(String groupKey) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM alert_groups WHERE group_key = ?")) {
            st.setString(1, groupKey);
            st.executeUpdate();
        }
    }

    /** Mutes still in force at {@code now}. */
    List<Mute> mutes(Instant now) throws SQLException {
        List<Mute> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT rule, scope, until_ms, reason, created_ms FROM alert_mutes WHERE until_ms > ? ORDER BY rule, scope")) {
            st.setLong(1, now.toEpochMilli());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Mute(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4),
                            Instant.ofEpochMilli(rs.getLong(5))));
                }
            }
        }
        return out;
    }

    void saveMute(Mute m) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT OR REPLACE INTO alert_mutes (rule, scope, until_ms, reason,"
                + " created_ms) VALUES (?, ?, ?, ?, ?)")) {
            st.setString(1, m.rule());
            st.setString(2, m.scope());
            st.setLong(3, m.until().toEpochMilli());
            st.setString(4, m.reason());
            st.setLong(5, m.createdAt().toEpochMilli());
            st.executeUpdate();
        }
    }

    /** Removes the mute of exactly this rule and scope; true when there was one. */
    boolean deleteMute(String rule, String scope) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM alert_mutes WHERE rule = ? AND scope = ?")) {
            st.setString(1, rule);
            st.setString(2, scope);
            return st.executeUpdate() > 0;
        }
    }

    int deleteExpiredMutes(Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM alert_mutes WHERE until_ms <= ?")) {
            st.setLong(1, now.toEpochMilli());
            return st.executeUpdate();
        }
    }

    void recordFired(GroupState g, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO alert_history (group_key, rule, scope, severity, fired_ms)"
                + " VALUES (?, ?, ?, ?, ?)")) {
            st.setString(1, g.groupKey());
            st.setString(2, g.rule());
            st.setString(3, g.scope());
            st.setString(4, g.severity().wireName());
            st.setLong(5, now.toEpochMilli());
            st.executeUpdate();
        }
    }

    void recordResolved(GroupState g, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE alert_history SET resolved_ms = ?"
                + " WHERE group_key = ? AND resolved_ms IS NULL")) {
            st.setLong(1, now.toEpochMilli());
            st.setString(2, g.groupKey());
            st.executeUpdate();
        }
    }

    /** History older than this goes: the digest looks back a day, `alerts list` a little more. */
    void pruneHistory(Instant before) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM alert_history WHERE fired_ms < ?"
                + " AND (resolved_ms IS NOT NULL OR fired_ms < ?)")) {
            st.setLong(1, before.toEpochMilli());
            st.setLong(2, before.minus(Duration.ofDays(30)).toEpochMilli());
            st.executeUpdate();
        }
    }

    private static GroupState read(ResultSet rs) throws SQLException {
        int i = 1;
        String key = rs.getString(i++);
        String rule = rs.getString(i++);
        String scope = rs.getString(i++);
        Phase phase = Phase.fromWireName(rs.getString(i++));
        AlertSeverity severity = AlertSeverity.fromWireName(rs.getString(i++));
        Instant since = Instant.ofEpochMilli(rs.getLong(i++));
        Instant resolved = time(rs, i++);
        Instant updated = Instant.ofEpochMilli(rs.getLong(i++));
        Instant lastSent = time(rs, i++);
        Told told = Told.fromWireName(rs.getString(i++));
        String lastSeverity = rs.getString(i++);
        int sent = rs.getInt(i++);
        String held = rs.getString(i++);
        String details = rs.getString(i);
        return new GroupState(key, rule, scope, phase, severity, since, resolved, updated, lastSent, told,
                lastSeverity == null ? null : AlertSeverity.fromWireName(lastSeverity), sent, held, details);
    }

    private static Instant time(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static void setTime(PreparedStatement st, int i, Instant t) throws SQLException {
        if (t == null) {
            st.setNull(i, Types.INTEGER);
        } else {
            st.setLong(i, t.toEpochMilli());
        }
    }
}
