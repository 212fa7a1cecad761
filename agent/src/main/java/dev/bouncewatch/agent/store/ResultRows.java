package dev.bouncewatch.agent.store;

import dev.bouncewatch.agent.classify.Action;
import dev.bouncewatch.agent.classify.Classification;
import dev.bouncewatch.agent.classify.Severity;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import dev.bouncewatch.agent.model.SmtpStage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How a {@link StoredResult} maps to a row of {@code results} and back. */
final class ResultRows {

    /** Every column but id, in the order {@link #bind} sets them. */
    static final String COLUMNS = "source, time_ms, ingested_ms, host, mta, queue_id, message_id, sender, recipient,"
            + " recipient_domain, orig_recipient, relay, relay_ip, status, mta_status, dsn, reply_code, diagnostic,"
            + " stage, delay_seconds, attempts, severity, category, hard_bounce, action, rule_id, signals, advice";

    static final String INSERT = "INSERT INTO results (" + COLUMNS + ") VALUES ("
            + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

    static final String SELECT = "SELECT id, " + COLUMNS + " FROM results";

    private ResultRows() {
    }

    static void bind(PreparedStatement st, StoredResult stored) throws SQLException {
        DeliveryResult r = stored.result();
        Classification c = stored.classification();
        Instant time = r.time() != null ? r.time() : stored.ingestedAt();
        int i = 1;
        st.setString(i++, stored.source());
        st.setLong(i++, time.toEpochMilli());
        st.setLong(i++, stored.ingestedAt().toEpochMilli());
        st.setString(i++, r.host());
        st.setString(i++, r.mta().wireName());
        st.setString(i++, r.queueId());
        st.setString(i++, r.messageId());
        st.setString(i++, r.sender());
        st.setString(i++, r.recipient());
        st.setString(i++, r.recipientDomain());
        st.setString(i++, r.origRecipient());
        st.setString(i++, r.relay());
        st.setString(i++, r.relayIp());
        st.setString(i++, r.status().wireName());
        st.setString(i++, r.mtaStatus());
        st.setString(i++, r.dsn());
        setInteger(st, i++, r.replyCode());
        st.setString(i++, r.diagnostic());
        st.setString(i++, r.stage().wireName());
        if (r.delaySeconds() == null) {
            st.setNull(i++, Types.REAL);
        } else {
            st.setDouble(i++, r.delaySeconds());
        }
        st.setInt(i++, r.attempts());
        st.setString(i++, c.severity().wireName());
        st.setString(i++, c.category());
        st.setInt(i++, c.hardBounce() ? 1 : 0);
        st.setString(i++, c.action().wireName());
        st.setString(i++, c.ruleId());
        st.setString(i++, String.join(" ", c.signals()));
        st.setString(i, c.advice());
    }

    /** The row the result set is on, read with {@link #SELECT}'s column order. */
    static StoredResult read(ResultSet rs) throws SQLException {
        long id = rs.getLong(1);
        try {
            int i = 2;
            String source = rs.getString(i++);
            Instant time = Instant.ofEpochMilli(rs.getLong(i++));
            Instant ingested = Instant.ofEpochMilli(rs.getLong(i++));
            String host = rs.getString(i++);
            Mta mta = Mta.valueOf(upper(rs.getString(i++)));
            String queueId = rs.getString(i++);
            String messageId = rs.getString(i++);
            String sender = rs.getString(i++);
            String recipient = rs.getString(i++);
            i++; // recipient_domain: derived from recipient
            String origRecipient = rs.getString(i++);
            String relay = rs.getString(i++);
            String relayIp = rs.getString(i++);
            DeliveryStatus status = DeliveryStatus.valueOf(upper(rs.getString(i++)));
            String mtaStatus = rs.getString(i++);
            String dsn = rs.getString(i++);
            Integer replyCode = getInteger(rs, i++);
            String diagnostic = rs.getString(i++);
            SmtpStage stage = SmtpStage.fromWireName(rs.getString(i++));
            double delay = rs.getDouble(i);
            Double delaySeconds = rs.wasNull() ? null : delay;
            i++;
            int attempts = rs.getInt(i++);
            Severity severity = Severity.fromWireName(rs.getString(i++));
            String category = rs.getString(i++);
            boolean hardBounce = rs.getInt(i++) != 0;
            Action action = Action.fromWireName(rs.getString(i++));
            String ruleId = rs.getString(i++);
            String signals = rs.getString(i++);
            String advice = rs.getString(i);
            DeliveryResult result = new DeliveryResult(time, host, mta, queueId, messageId, sender, recipient,
                    origRecipient, relay, relayIp, status, mtaStatus, dsn, replyCode, diagnostic, stage, delaySeconds,
                    attempts);
            Classification classification = new Classification(severity, category, hardBounce, action,
                    splitSignals(signals), ruleId, advice);
            return new StoredResult(id, source, ingested, result, classification);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SQLException("results row " + id + " holds a value this version cannot read: " + e.getMessage(), e);
        }
    }

    static void setInteger(PreparedStatement st, int index, Integer value) throws SQLException {
        if (value == null) {
            st.setNull(index, Types.INTEGER);
        } else {
            st.setInt(index, value);
        }
    }

    static Integer getInteger(ResultSet rs, int index) throws SQLException {
        int v = rs.getInt(index);
        return rs.wasNull() ? null : v;
    }

    private static List<String> splitSignals(String signals) {
        if (signals == null || signals.isBlank()) {
            return List.of();
        }
        return Arrays.asList(signals.trim().split(" +"));
    }

    private static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}
