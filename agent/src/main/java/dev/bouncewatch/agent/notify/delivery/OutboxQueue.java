package dev.bouncewatch.agent.notify.delivery;

import dev.bouncewatch.agent.store.OutboxEntry;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outbox table as a queue per destination. Entries go in through
 * {@link dev.bouncewatch.agent.store.StoreTransaction#enqueue} in the transaction of whatever caused
 * them; this class reads the head of a destination's queue and records what each attempt gave.
 *
 * <p>Every change is conditional on the row still being the pending entry that was read
 * ({@code id}, {@code event_id}, {@code state = 'pending'}): a newer state of the same group may
 * have replaced it meanwhile, and an operator may have replayed or a second process delivered it.
 * A change that finds nothing to change returns false and the worker reads the head again.
 *
 * <p>All statements go through {@link Store#write}: the worker's reads are tiny and serialising
 * them with the writer keeps this free of any second connection setup.
 */
public final class OutboxQueue {

    private static final String COLUMNS = "id, destination, event_id, event_type, group_key, payload, created_ms,"
            + " next_attempt_ms, attempts, state, last_error, finished_ms";
    private static final String SAME_PENDING_ROW = " WHERE id = ? AND event_id = ? AND state = 'pending'";
    /** What an operator sees of an error; the outbox is not a log. */
    private static final int MAX_ERROR = 500;

    private final Store store;

    public OutboxQueue(Store store) {
        this.store = store;
    }

    public Store store() {
        return store;
    }

    /** The first {@code limit} pending entries of the destination in id order (due or not). */
    public List<OutboxEntry> head(String destination, int limit) throws StoreException {
        return store.write(tx -> select(tx.connection(),
                "SELECT " + COLUMNS + " FROM outbox WHERE destination = ? AND state = 'pending' ORDER BY id LIMIT ?",
                destination, limit));
    }

    public boolean markDelivered(OutboxEntry e, int attempts, Instant now) throws StoreException {
        return finish(e, OutboxEntry.DELIVERED, attempts, now, null);
    }

    /** An entry that went through, with the attempt count to record and when. */
    public record Delivered(OutboxEntry entry, int attempts, Instant at) {
    }

    /**
     * Marks several delivered entries in one transaction: a fast destination (the console, a
     * receiver on loopback) then costs the writer one short transaction per run of successes
     * rather than one per entry.
     *
     * @return how many were still the pending rows that were sent (the others changed meanwhile)
     */
    public int markDelivered(List<Delivered> delivered) throws StoreException {
        if (delivered.isEmpty()) {
            return 0;
        }
        return store.write(tx -> {
            int changed = 0;
            try (PreparedStatement st = tx.connection().prepareStatement(
                    "UPDATE outbox SET state = 'delivered', attempts = ?, finished_ms = ?, last_error = NULL" + SAME_PENDING_ROW)) {
                for (Delivered d : delivered) {
                    bind(st, d.attempts(), d.at().toEpochMilli(), d.entry().id(), d.entry().eventId());
                    changed += st.executeUpdate();
                }
            }
            return changed;
        });
    }

    /** Dead letter: kept for {@code outbox list} and {@code outbox replay}, never sent again by itself. */
    public boolean markDead(OutboxEntry e, int attempts, Instant now, String error) throws StoreException {
        return finish(e, OutboxEntry.DEAD, attempts, now, error);
    }

    public boolean scheduleRetry(OutboxEntry e, int attempts, Instant nextAttempt, String error) throws StoreException {
        return store.write(tx -> update(tx.connection(),
                "UPDATE outbox SET attempts = ?, next_attempt_ms = ?, last_error = ?" + SAME_PENDING_ROW,
                attempts, nextAttempt.toEpochMilli(), bound(error), e.id(), e.eventId()) == 1);
    }

    /** Keeps the entry as it is but notes why it was not sent (a paused destination does not use up attempts). */
    public boolean noteError(OutboxEntry e, String error) throws StoreException {
        return store.write(tx -> update(tx.connection(), "UPDATE outbox SET last_error = ?" + SAME_PENDING_ROW,
                bound(error), e.id(), e.eventId()) == 1);
    }

    private boolean finish(OutboxEntry e, String state, int attempts, Instant now, String error) throws StoreException {
        return store.write(tx -> update(tx.connection(),
                "UPDATE outbox SET state = ?, attempts = ?, finished_ms = ?, last_error = ?" + SAME_PENDING_ROW,
                state, attempts, now.toEpochMilli(), bound(error), e.id(), e.eventId()) == 1);
    }

    public Optional<OutboxEntry> find(long id) throws StoreException {
        return store.write(tx -> select(tx.connection(), "SELECT " + COLUMNS + " FROM outbox WHERE id = ?", id))
                .stream().findFirst();
    }

    /**
     * Entries for {@code outbox list}, newest first.
     *
     * @param state       pending, delivered or dead; null for all
     * @param destination null for all
     */
    public List<OutboxEntry> list(String state, String destination, int limit) throws StoreException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM outbox WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (state != null) {
            sql.append(" AND state = ?");
            args.add(state);
        }
        if (destination != null) {
            sql.append(" AND destination = ?");
            args.add(destination);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
        return store.write(tx -> select(tx.connection(), sql.toString(), args.toArray()));
    }

    /**
     * Dead letters back to pending with a fresh retry budget, due now. They keep their id, so they
     * go out in their original order relative to each other; the worker sends them after whatever
     * of that destination is pending with a smaller id.
     *
     * @param destination null for every destination
     * @param id          one entry, or null for every dead entry (of the destination)
     * @return how many entries were revived
     */
    public int replay(String destination, Long id, Instant now) throws StoreException {
        StringBuilder sql = new StringBuilder(
                "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_ms = ?, finished_ms = NULL WHERE state = 'dead'");
        List<Object> args = new ArrayList<>();
        args.add(now.toEpochMilli());
        if (destination != null) {
            sql.append(" AND destination = ?");
            args.add(destination);
        }
        if (id != null) {
            sql.append(" AND id = ?");
            args.add(id);
        }
        return store.write(tx -> update(tx.connection(), sql.toString(), args.toArray()));
    }

    /** Pending entries per destination (destinations with none are absent). */
    public Map<String, Long> pendingCounts() throws StoreException {
        return store.write(tx -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            try (PreparedStatement st = tx.connection().prepareStatement(
                    "SELECT destination, count(*) FROM outbox WHERE state = 'pending' GROUP BY destination ORDER BY destination");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
            return counts;
        });
    }

    private static List<OutboxEntry> select(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, args);
            List<OutboxEntry> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, args);
            return st.executeUpdate();
        }
    }

    private static void bind(PreparedStatement st, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                st.setNull(i + 1, Types.VARCHAR);
            } else if (a instanceof Long l) {
                st.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                st.setInt(i + 1, n);
            } else {
                st.setString(i + 1, a.toString());
            }
        }
    }

    private static OutboxEntry read(ResultSet rs) throws SQLException {
        long finished = rs.getLong(12);
        Instant finishedAt = rs.wasNull() ? null : Instant.ofEpochMilli(finished);
        return new OutboxEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)), rs.getInt(9),
                rs.getString(10), rs.getString(11), finishedAt);
    }

    private static String bound(String error) {
        return error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR - 1) + "…";
    }
}
