package dev.bouncewatch.agent.notify;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * A read-only connection to the store's file for the alert rules and the digest, which run
 * aggregate SQL the {@code StoreReader} interface does not offer. In WAL mode it reads a consistent
 * snapshot beside the writer and never holds up ingestion, which running these queries inside a
 * write transaction would. Opened per evaluation: every 30 s, opening costs far less than the queries.
 */
public final class ReadOnlyDatabase {

    private static final int BUSY_TIMEOUT_MS = 5_000;

    private ReadOnlyDatabase() {
    }

    public static Connection open(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setReadOnly(true);
        config.setOpenMode(SQLiteOpenMode.READONLY);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }
}
