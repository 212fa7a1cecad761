package dev.bouncewatch.agent.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database up to the latest schema version, one migration per transaction. An existing database
 * is copied first ({@link PreMigrationCopy}); every migration applied is recorded in {@code schema_history}
 * once that table exists (those applied before it, in the same run, are written with the one that creates it).
 */
final class Migrator {

    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

    static final String HISTORY_TABLE = "schema_history";
    /** The history row's name for the version a database had when the history began. */
    static final String FOUND = "found";

    private static final String INSERT_HISTORY = "INSERT INTO " + HISTORY_TABLE
            + " (version, name, applied_ms, agent_version, backup) VALUES (?, ?, ?, ?, ?)";

    private record HistoryRow(int version, String name, long appliedMs) {
    }

    private final Path file;
    private final Migrations migrations;
    private final Clock clock;
    private final MigrationOptions options;

    Migrator(Path file, Migrations migrations, Clock clock, MigrationOptions options) {
        this.file = file;
        this.migrations = migrations;
        this.clock = clock;
        this.options = options;
    }

    /** Applies what is missing and returns the resulting schema version. */
    int migrate(Connection c) throws StoreException {
        int latest = migrations.latestVersion();
        int version = userVersion(c);
        checkNotNewer(version);
        if (version == latest) {
            return version;
        }
        // version 0 is a new file: nothing to keep a copy of
        Optional<Path> copy = version == 0 ? Optional.empty()
                : new PreMigrationCopy(file, options.freeSpace()).take(c, version, version + 1);
        List<HistoryRow> unwritten = new ArrayList<>();
        if (version > 0 && !historyTableExists(c)) {
            unwritten.add(new HistoryRow(version, FOUND, clock.millis()));
        }
        for (Migration m : migrations.list()) {
            if (m.version() > version) {
                apply(c, m, unwritten, copy.map(Path::toString).orElse(null));
            }
        }
        int now = userVersion(c);
        LOG.info("{}: schema version {} -> {} ({})", file, version, now,
                version == 0 ? "new database" : copy.map(p -> "copy before: " + p).orElse("no copy taken"));
        return now;
    }

    /**
     * Refuses a version above the latest known migration, naming both and what to do. Called before the
     * writer connection is opened too, so a refused database is never written to.
     */
    void checkNotNewer(int version) throws SchemaTooNewException {
        int latest = migrations.latestVersion();
        if (version > latest) {
            throw new SchemaTooNewException(file + " has schema version " + version + ", but this bouncewatch ("
                    + options.agentVersion() + ") knows schema versions up to " + latest + ": a newer bouncewatch"
                    + " wrote it (was the package downgraded?). The database was not changed. Install the newer"
                    + " bouncewatch again, or, to go back to this version, stop the agent and put the copy "
                    + PreMigrationCopy.pathFor(file, latest + 1).getFileName() + " taken before the upgrade in place of "
                    + file.getFileName() + " (results since the upgrade are lost), or move the database away to start"
                    + " afresh", version, latest);
        }
    }

    private void apply(Connection c, Migration m, List<HistoryRow> unwritten, String copy) throws StoreException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("BEGIN IMMEDIATE");
            boolean recorded = false;
            try {
                // another process (a CLI command beside the agent) may have migrated while we waited for the lock
                int current = (int) SqliteConnections.queryLong(st, "PRAGMA user_version");
                checkNotNewer(current);
                if (current < m.version()) {
                    st.executeUpdate(m.sql());
                    st.executeUpdate("PRAGMA user_version = " + m.version());
                    unwritten.add(new HistoryRow(m.version(), m.name(), clock.millis()));
                    recorded = true;
                    if (hasHistoryTable(c)) {
                        writeHistory(c, unwritten, copy);
                    }
                }
                st.executeUpdate("COMMIT");
                if (recorded && hasHistoryTable(c)) {
                    unwritten.clear();
                }
            } catch (SQLException | StoreException | RuntimeException e) {
                st.executeUpdate("ROLLBACK");
                if (recorded) {
                    unwritten.remove(unwritten.size() - 1);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(file + ": migration " + m.origin() + " to schema version " + m.version()
                    + " failed: " + e.getMessage(), e);
        }
    }

    private void writeHistory(Connection c, List<HistoryRow> rows, String copy) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT_HISTORY)) {
            for (HistoryRow row : rows) {
                insert.setInt(1, row.version());
                insert.setString(2, row.name());
                insert.setLong(3, row.appliedMs());
                insert.setString(4, options.agentVersion());
                insert.setString(5, copy);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private boolean historyTableExists(Connection c) throws StoreException {
        try {
            return hasHistoryTable(c);
        } catch (SQLException e) {
            throw new StoreException(file + ": cannot read the schema: " + e.getMessage(), e);
        }
    }

    static boolean hasHistoryTable(Connection c) throws SQLException {
        return hasTable(c, HISTORY_TABLE);
    }

    static boolean hasTable(Connection c, String table) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            st.setString(1, table);
            try (var rs = st.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }
    }

    private int userVersion(Connection c) throws StoreException {
        try (Statement st = c.createStatement()) {
            return (int) SqliteConnections.queryLong(st, "PRAGMA user_version");
        } catch (SQLException e) {
            throw new StoreException(file + ": cannot read the schema version: " + e.getMessage(), e);
        }
    }
}
