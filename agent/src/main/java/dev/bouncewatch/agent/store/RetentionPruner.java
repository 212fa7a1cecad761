package dev.bouncewatch.agent.store;

import dev.bouncewatch.agent.config.RetentionConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the database bounded: deletes old results (delivered ones sooner when configured), finished
 * outbox rows after a week, and the oldest results while the data is over the size cap; then gives
 * the freed pages back to the file system. Deletes run in small transactions so ingestion never waits
 * long for the write lock. Suppressions are never deleted.
 */
public final class RetentionPruner {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionPruner.class);

    /** Rows per delete transaction: a few milliseconds of write lock each. */
    static final int CHUNK = 2_000;
    /** Pages freed per incremental_vacuum step. */
    static final int VACUUM_PAGES = 2_048;
    /** Delivered and dead notifications are kept this long for inspection and replay. */
    static final Duration OUTBOX_KEEP = Duration.ofDays(7);

    private static final String DELETE_OLDER = "DELETE FROM results WHERE id IN"
            + " (SELECT id FROM results WHERE time_ms < ? LIMIT " + CHUNK + ")";
    private static final String DELETE_DELIVERED_OLDER = "DELETE FROM results WHERE id IN"
            + " (SELECT id FROM results WHERE status = 'delivered' AND time_ms < ? LIMIT " + CHUNK + ")";
    private static final String DELETE_OUTBOX = "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox"
            + " WHERE state IN ('delivered', 'dead') AND coalesce(finished_ms, created_ms) < ? LIMIT " + CHUNK + ")";
    private static final String DELETE_OLDEST = "DELETE FROM results WHERE id IN"
            + " (SELECT id FROM results ORDER BY time_ms, id LIMIT ?)";
    /** The smallest chunk while over the cap: fewer rows would make too many transactions. */
    static final int MIN_CAP_CHUNK = 50;

    private final Store store;
    private final RetentionConfig config;
    private final Clock clock;

    public RetentionPruner(Store store, RetentionConfig config, Clock clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    /**
     * What one run removed.
     *
     * @param capHit     the data was over {@code maxDatabase} and the oldest results were deleted for it
     * @param bytesAfter database file plus WAL after vacuum and checkpoint
     */
    public record Report(long expired, long expiredDelivered, long outbox, long overCap, boolean capHit,
                         long bytesAfter) {

        public long results() {
            return expired + expiredDelivered + overCap;
        }
    }

    /** Runs every {@code pruneInterval}, the first time right away. Errors are logged, the schedule goes on. */
    public ScheduledFuture<?> start(ScheduledExecutorService scheduler) {
        long every = Math.max(1, config.pruneInterval().toMillis());
        return scheduler.scheduleWithFixedDelay(this::pruneLogged, 0, every, TimeUnit.MILLISECONDS);
    }

    private void pruneLogged() {
        try {
            Report r = pruneNow();
            if (r.results() + r.outbox() > 0) {
                LOG.info("retention: deleted {} results ({} expired, {} delivered, {} over the size cap) and {}"
                        + " outbox rows; database now {} bytes", r.results(), r.expired(), r.expiredDelivered(),
                        r.overCap(), r.outbox(), r.bytesAfter());
            }
        } catch (StoreException | RuntimeException e) {
            LOG.error("retention run failed: {}", e.getMessage(), e);
        }
    }

    /** One run now; safe beside ingestion and the scheduled run (they take turns). */
    public synchronized Report pruneNow() throws StoreException {
        Instant now = clock.instant();
        long expired = deleteInChunks(DELETE_OLDER, now.minus(config.results()));
        long delivered = 0;
        if (config.delivered() != null && config.delivered().compareTo(config.results()) < 0) {
            delivered = deleteInChunks(DELETE_DELIVERED_OLDER, now.minus(config.delivered()));
        }
        long outbox = deleteInChunks(DELETE_OUTBOX, now.minus(OUTBOX_KEEP));
        long overCap = 0;
        boolean capHit = false;
        if (config.maxDatabase() > 0) {
            long used = usedBytes();
            if (used > config.maxDatabase()) {
                capHit = true;
                LOG.warn("{}: the data is over the retention.maxDatabase cap of {} bytes; deleting the oldest"
                        + " results until it fits", store.file(), config.maxDatabase());
                long rows = store.reader().size().results();
                // rows per chunk from the average row size, so the last chunk does not overshoot by much
                double bytesPerRow = rows == 0 ? 1 : Math.max(1.0, (double) used / rows);
                while (used > config.maxDatabase()) {
                    long excessRows = (long) Math.ceil((used - config.maxDatabase()) / bytesPerRow);
                    int limit = (int) Math.max(MIN_CAP_CHUNK, Math.min(CHUNK, excessRows));
                    int n = store.write(tx -> deleteOldest(tx.connection(), limit));
                    if (n == 0) {
                        break; // only suppressions, checkpoints and the outbox are left: those stay
                    }
                    overCap += n;
                    used = usedBytes();
                }
            }
        }
        vacuumAndCheckpoint();
        return new Report(expired, delivered, outbox, overCap, capHit, store.reader().size().fileBytes());
    }

    /** Bytes in pages that hold data: what the file shrinks to after a full incremental vacuum. */
    long usedBytes() throws StoreException {
        return store.maintain("size check", c -> {
            try (Statement st = c.createStatement()) {
                long pageSize = SqliteConnections.queryLong(st, "PRAGMA page_size");
                long pages = SqliteConnections.queryLong(st, "PRAGMA page_count");
                long free = SqliteConnections.queryLong(st, "PRAGMA freelist_count");
                return (pages - free) * pageSize;
            }
        });
    }

    private long deleteInChunks(String sql, Instant before) throws StoreException {
        long total = 0;
        int n;
        do {
            n = store.write(tx -> execute(tx.connection(), sql, before));
            total += n;
        } while (n == CHUNK);
        return total;
    }

    private static int deleteOldest(Connection c, int limit) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(DELETE_OLDEST)) {
            st.setInt(1, limit);
            return st.executeUpdate();
        }
    }

    private static int execute(Connection c, String sql, Instant before) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            if (before != null) {
                st.setLong(1, before.toEpochMilli());
            }
            return st.executeUpdate();
        }
    }

    /**
     * Hands free pages back in steps (each its own short transaction), then empties the WAL so the
     * file sizes on disk reflect what is left.
     */
    private void vacuumAndCheckpoint() throws StoreException {
        long before = Long.MAX_VALUE;
        while (true) {
            long free = store.maintain("incremental vacuum", c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA incremental_vacuum(" + VACUUM_PAGES + ")");
                    return SqliteConnections.queryLong(st, "PRAGMA freelist_count");
                }
            });
            if (free == 0 || free >= before) {
                break; // done, or a file without auto_vacuum where the free list cannot shrink
            }
            before = free;
        }
        store.maintain("WAL checkpoint", c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                if (rs.next() && rs.getInt(1) != 0) {
                    LOG.debug("{}: WAL checkpoint could not finish while readers were active", store.file());
                }
                return null;
            }
        });
    }
}
