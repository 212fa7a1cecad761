package dev.bouncewatch.agent.store;

import java.io.Closeable;
import java.nio.file.Path;

/**
 * The agent's one SQLite database (WAL mode): results, checkpoints, suppressions, outbox. One writer
 * connection used by {@link #write} (callers are serialised), read connections for {@link #reader()}.
 */
public final class Store implements Closeable {

    private Store() {
    }

    /** Opens or creates the file, applies pending migrations, switches to WAL. */
    public static Store open(Path file) throws StoreException {
        throw new UnsupportedOperationException("TODO issue 4: store");
    }

    /** Runs the work in one transaction: commits when it returns, rolls back when it throws. */
    public <T> T write(StoreWork<T> work) throws StoreException {
        throw new UnsupportedOperationException("TODO issue 4: store");
    }

    public StoreReader reader() {
        throw new UnsupportedOperationException("TODO issue 4: store");
    }

    /** The schema version (PRAGMA user_version) after migrations. */
    public int schemaVersion() {
        throw new UnsupportedOperationException("TODO issue 4: store");
    }

    public Path file() {
        throw new UnsupportedOperationException("TODO issue 4: store");
    }

    @Override
    public void close() {
    }
}
