package dev.bouncewatch.agent.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Brings a database up to the latest schema version, one migration per transaction. */
final class Migrator {

    private final Path file;
    private final Migrations migrations;

    Migrator(Path file, Migrations migrations) {
        this.file = file;
        this.migrations = migrations;
    }

    /** Applies what is missing and returns the resulting schema version. */
    int migrate(Connection c) throws StoreException {
        int latest = migrations.latestVersion();
        int version = userVersion(c);
        checkNotNewer(version, latest);
        for (Migration m : migrations.list()) {
            if (m.version() > version) {
                apply(c, m);
            }
        }
        return userVersion(c);
    }

    private void apply(Connection c, Migration m) throws StoreException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("BEGIN IMMEDIATE");
            try {
                // another process (a CLI command beside the agent) may have migrated while we waited for the lock
                int current = (int) SqliteConnections.queryLong(st, "PRAGMA user_version");
                checkNotNewer(current, migrations.latestVersion());
                if (current < m.version()) {
                    st.executeUpdate(m.sql());
                    st.executeUpdate("PRAGMA user_version = " + m.version());
                }
                st.executeUpdate("COMMIT");
            } catch (SQLException | StoreException | RuntimeException e) {
                st.executeUpdate("ROLLBACK");
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(file + ": migration " + m.origin() + " to schema version " + m.version()
                    + " failed: " + e.getMessage(), e);
        }
    }

    private int userVersion(Connection c) throws StoreException {
        try (Statement st = c.createStatement()) {
            return (int) SqliteConnections.queryLong(st, "PRAGMA user_version");
        } catch (SQLException e) {
            throw new StoreException(file + ": cannot read the schema version: " + e.getMessage(), e);
        }
    }

    private void checkNotNewer(int version, int latest) throws StoreException {
        if (version > latest) {
            throw new StoreException(file + " has schema version " + version + " but this bouncewatch knows versions"
                    + " up to " + latest + ": it was written by a newer bouncewatch; upgrade, or use another state"
                    + " directory", null);
        }
    }
}
