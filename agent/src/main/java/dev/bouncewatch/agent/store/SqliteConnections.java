package dev.bouncewatch.agent.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/** Opens the writer and reader connections with the settings every connection of the store needs. */
final class SqliteConnections {

    /** How long a statement waits for a lock held by another connection or process before SQLITE_BUSY. */
    static final int BUSY_TIMEOUT_MS = 5_000;

    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final int busyTimeoutMs;

    SqliteConnections(Path file, int busyTimeoutMs) {
        this.file = file;
        this.busyTimeoutMs = busyTimeoutMs;
    }

    /**
     * The one read-write connection. On a new file auto_vacuum is switched to INCREMENTAL first (it can
     * only be chosen before the first table), so retention can hand freed pages back to the file system.
     */
    Connection openWriter() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(busyTimeoutMs);
        config.enforceForeignKeys(true);
        Connection c = config.createConnection(url());
        try (Statement st = c.createStatement()) {
            if (queryLong(st, "PRAGMA page_count") == 0) {
                st.executeUpdate("PRAGMA auto_vacuum = INCREMENTAL");
            }
            String mode = queryString(st, "PRAGMA journal_mode = WAL");
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new SQLException("could not switch to WAL journal mode (got " + mode + ")");
            }
            // In WAL mode NORMAL still survives a killed process: a commit is in the WAL file when COMMIT
            // returns, and the next open replays it. Only a power loss or OS crash can drop the last
            // commits (never corrupt the file); FULL would fsync every batch for that.
            st.executeUpdate("PRAGMA synchronous = NORMAL");
            // 8 MiB of page cache (default 2): the recipient index takes inserts at random places
            st.executeUpdate("PRAGMA cache_size = -8192");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** A read-only connection; WAL lets it read a consistent snapshot while the writer commits. */
    Connection openReader() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(busyTimeoutMs);
        config.enforceForeignKeys(true);
        config.setReadOnly(true);
        config.setOpenMode(SQLiteOpenMode.READONLY);
        return config.createConnection(url());
    }

    /** Fails with a message naming the file when it exists, is not empty and is not an SQLite database. */
    void checkHeader() throws StoreException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        byte[] head = new byte[MAGIC.length];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new StoreException(file + ": cannot read the database file: " + e.getMessage(), e);
        }
        if (n > 0 && !Arrays.equals(head, MAGIC)) {
            throw new StoreException(file + " is not an SQLite database (its first bytes are not"
                    + " \"SQLite format 3\"); move it away or choose another state directory", null);
        }
    }

    /**
     * The schema version of an existing database, read over a read-only connection so that a database
     * the store will refuse is never written to (the writer switches the journal mode); 0 for a new file.
     */
    int existingUserVersion() throws StoreException {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                return 0;
            }
        } catch (IOException e) {
            throw new StoreException(file + ": cannot read the database file: " + e.getMessage(), e);
        }
        try (Connection c = openReader(); Statement st = c.createStatement()) {
            return (int) queryLong(st, "PRAGMA user_version");
        } catch (SQLException e) {
            throw new StoreException(file + ": cannot read the schema version: " + e.getMessage(), e);
        }
    }

    String url() {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }

    static long queryLong(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    static String queryString(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
