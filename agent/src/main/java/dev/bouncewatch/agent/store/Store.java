package dev.bouncewatch.agent.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one SQLite database (WAL mode): results, checkpoints, suppressions, outbox. One writer
 * connection used by {@link #write} (callers are serialised), read connections for {@link #reader()}.
 */
public final class Store implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(Store.class);

    /** Read connections kept open; the API and the metrics scrape rarely need more at once. */
    static final int READERS = 4;
    /** Extra attempts after SQLITE_BUSY outlasted the busy timeout (another process holds the write lock). */
    private static final int BUSY_RETRIES = 4;
    private static final long BUSY_BACKOFF_MS = 100;

    private final Path file;
    private final Clock clock;
    private final Connection writer;
    private final Map<String, PreparedStatement> statements = WriterTransaction.newStatementCache();
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final ReadConnectionPool readers;
    private final SqliteStoreReader reader;
    private final int schemaVersion;
    private volatile boolean closed;

    private Store(Path file, Clock clock, Connection writer, ReadConnectionPool readers, int schemaVersion) {
        this.file = file;
        this.clock = clock;
        this.writer = writer;
        this.readers = readers;
        this.reader = new SqliteStoreReader(file, readers);
        this.schemaVersion = schemaVersion;
    }

    /**
     * Opens or creates the file, applies pending migrations (copying an existing database first, see
     * {@link PreMigrationCopy}), switches to WAL. A database newer than every known migration is refused
     * with {@link SchemaTooNewException} before anything is written to it.
     */
    public static Store open(Path file) throws StoreException {
        return open(file, Migrations.builtIn(), Clock.systemUTC());
    }

    /**
     * Opens with a given migration set and clock (tests upgrade a database with extra migrations).
     *
     * @param clock stamps checkpoints; results and suppressions carry their own times
     */
    public static Store open(Path file, Migrations migrations, Clock clock) throws StoreException {
        return open(file, migrations, clock, SqliteConnections.BUSY_TIMEOUT_MS);
    }

    /** @param busyTimeoutMs how long one statement waits for another connection's lock (tests shorten it) */
    static Store open(Path file, Migrations migrations, Clock clock, int busyTimeoutMs) throws StoreException {
        return open(file, migrations, clock, busyTimeoutMs, MigrationOptions.defaults());
    }

    /** @param options the version recorded in the schema history, the free-space probe (tests replace both) */
    static Store open(Path file, Migrations migrations, Clock clock, int busyTimeoutMs, MigrationOptions options)
            throws StoreException {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException(file + ": cannot create the directory " + dir + ": " + e.getMessage(), e);
        }
        SqliteConnections connections = new SqliteConnections(file, busyTimeoutMs);
        connections.checkHeader();
        Migrator migrator = new Migrator(file, migrations, clock, options);
        migrator.checkNotNewer(connections.existingUserVersion());
        Connection writer;
        try {
            writer = connections.openWriter();
        } catch (SQLException e) {
            throw new StoreException(file + ": cannot open the database: " + e.getMessage(), e);
        }
        try {
            int version = migrator.migrate(writer);
            return new Store(file, clock, writer, new ReadConnectionPool(connections, READERS), version);
        } catch (StoreException | RuntimeException e) {
            try {
                writer.close();
            } catch (SQLException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /**
     * Runs the work in one transaction: commits when it returns, rolls back when it throws. The work
     * must not call {@code write} again (it would deadlock on a single connection): use the transaction.
     */
    public <T> T write(StoreWork<T> work) throws StoreException {
        if (writeLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("Store.write called inside a write: use the StoreTransaction given");
        }
        writeLock.lock();
        try {
            checkOpen();
            try (Statement st = writer.createStatement()) {
                retryBusy(st, "BEGIN IMMEDIATE");
                WriterTransaction tx = new WriterTransaction(writer, statements, clock);
                T value;
                try {
                    value = work.run(tx);
                    retryBusy(st, "COMMIT");
                } catch (Throwable e) {
                    rollback(st, e);
                    throw e;
                } finally {
                    tx.end();
                }
                return value;
            } catch (SQLException e) {
                throw new StoreException(file + ": write failed, nothing of it was kept: " + e.getMessage(), e);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Work on the writer connection outside a transaction, for statements that cannot run inside one. */
    @FunctionalInterface
    interface Maintenance<T> {
        T run(Connection writer) throws SQLException;
    }

    /** Runs maintenance (vacuum, checkpoint) under the write lock, between transactions. */
    <T> T maintain(String what, Maintenance<T> work) throws StoreException {
        writeLock.lock();
        try {
            checkOpen();
            return work.run(writer);
        } catch (SQLException e) {
            throw new StoreException(file + ": " + what + " failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    public StoreReader reader() {
        return reader;
    }

    /** The schema version (PRAGMA user_version) after migrations. */
    public int schemaVersion() {
        return schemaVersion;
    }

    public Path file() {
        return file;
    }

    public Clock clock() {
        return clock;
    }

    /** Waits for a running write, then closes every connection; SQLite checkpoints the WAL into the file. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            readers.close();
            for (PreparedStatement st : statements.values()) {
                st.close();
            }
            statements.clear();
            try (Statement st = writer.createStatement()) {
                st.execute("PRAGMA optimize"); // keeps the planner's statistics current, cheap at close
            }
            writer.close();
        } catch (SQLException e) {
            LOG.warn("{}: closing the database: {}", file, e.getMessage());
        } finally {
            writeLock.unlock();
        }
    }

    private void retryBusy(Statement st, String sql) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            try {
                st.executeUpdate(sql);
                return;
            } catch (SQLException e) {
                if (!isBusy(e) || attempt >= BUSY_RETRIES) {
                    throw e;
                }
                LOG.debug("{}: {} got SQLITE_BUSY, retrying ({})", file, sql, attempt + 1);
                sleep(BUSY_BACKOFF_MS << attempt);
            }
        }
    }

    private static void rollback(Statement st, Throwable cause) {
        try {
            st.executeUpdate("ROLLBACK");
        } catch (SQLException e) {
            // SQLite may already have rolled back (e.g. after an I/O error); the cause is what matters
            cause.addSuppressed(e);
        }
    }

    static boolean isBusy(SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        return primary == 5 || primary == 6; // SQLITE_BUSY, SQLITE_LOCKED
    }

    private static void sleep(long millis) throws SQLException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the database lock", e);
        }
    }

    private void checkOpen() throws StoreException {
        if (closed) {
            throw new StoreException(file + ": the store is closed", null);
        }
    }
}
