package dev.bouncewatch.agent.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@link DatabaseInfo} over a read-only connection: no migration, no write, safe beside a running
 * agent and on a database this bouncewatch would refuse.
 */
public final class DatabaseInspector {

    private static final List<String> COUNTED = List.of("results", "suppressions", "checkpoints", "outbox");

    private DatabaseInspector() {
    }

    public static DatabaseInfo inspect(Path file) throws StoreException {
        return inspect(file, Migrations.builtIn());
    }

    static DatabaseInfo inspect(Path file, Migrations migrations) throws StoreException {
        SqliteConnections connections = new SqliteConnections(file, SqliteConnections.BUSY_TIMEOUT_MS);
        connections.checkHeader();
        if (!Files.isRegularFile(file)) {
            throw new StoreException(file + " does not exist", null);
        }
        try (Connection c = connections.openReader(); Statement st = c.createStatement()) {
            int version = (int) SqliteConnections.queryLong(st, "PRAGMA user_version");
            long free = SqliteConnections.queryLong(st, "PRAGMA freelist_count") * SqliteConnections.queryLong(st, "PRAGMA page_size");
            List<DatabaseInfo.HistoryEntry> history = Migrator.hasHistoryTable(c) ? history(st) : List.of();
            Map<String, Long> rows = new LinkedHashMap<>();
            for (String table : COUNTED) {
                if (Migrator.hasTable(c, table)) {
                    rows.put(table, SqliteConnections.queryLong(st, "SELECT count(*) FROM " + table));
                }
            }
            return new DatabaseInfo(file, Files.size(file), sizeOrZero(file.resolveSibling(file.getFileName() + "-wal")),
                    free, version, migrations.latestVersion(), history, rows, copies(file));
        } catch (SQLException | IOException e) {
            throw new StoreException(file + ": cannot read the database: " + e.getMessage(), e);
        }
    }

    private static List<DatabaseInfo.HistoryEntry> history(Statement st) throws SQLException {
        List<DatabaseInfo.HistoryEntry> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT version, name, applied_ms, agent_version, backup FROM "
                + Migrator.HISTORY_TABLE + " ORDER BY id")) {
            while (rs.next()) {
                out.add(new DatabaseInfo.HistoryEntry(rs.getInt(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                        rs.getString(4), rs.getString(5)));
            }
        }
        return out;
    }

    private static List<DatabaseInfo.Copy> copies(Path file) throws IOException {
        Pattern names = PreMigrationCopy.namesOf(file);
        List<DatabaseInfo.Copy> out = new ArrayList<>();
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(file.toAbsolutePath().getParent())) {
            for (Path p : siblings) {
                if (names.matcher(p.getFileName().toString()).matches()) {
                    out.add(new DatabaseInfo.Copy(p, Files.size(p), Files.getLastModifiedTime(p).toInstant()));
                }
            }
        }
        out.sort(Comparator.comparing(DatabaseInfo.Copy::modified));
        return out;
    }

    private static long sizeOrZero(Path p) throws IOException {
        return Files.isRegularFile(p) ? Files.size(p) : 0;
    }
}
