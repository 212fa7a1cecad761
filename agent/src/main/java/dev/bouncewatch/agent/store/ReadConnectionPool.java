package dev.bouncewatch.agent.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few read-only connections, opened on demand and reused: opening one costs more than most of the
 * queries the API runs. Callers beyond the pool size wait for a free connection.
 */
final class ReadConnectionPool implements AutoCloseable {

    private static final long WAIT_SECONDS = 30;

    private final SqliteConnections connections;
    private final int size;
    private final BlockingQueue<Connection> idle;
    private final AtomicInteger opened = new AtomicInteger();
    private volatile boolean closed;

    ReadConnectionPool(SqliteConnections connections, int size) {
        this.connections = connections;
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(size);
    }

    Connection borrow() throws SQLException {
        if (closed) {
            throw new SQLException("the store is closed");
        }
        Connection c = idle.poll();
        if (c != null) {
            return c;
        }
        if (opened.incrementAndGet() <= size) {
            try {
                return connections.openReader();
            } catch (SQLException | RuntimeException e) {
                opened.decrementAndGet();
                throw e;
            }
        }
        opened.decrementAndGet();
        try {
            c = idle.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a read connection", e);
        }
        if (c == null) {
            throw new SQLException("no read connection became free within " + WAIT_SECONDS + " s");
        }
        return c;
    }

    void release(Connection c) {
        if (closed || !idle.offer(c)) {
            closeQuietly(c);
            opened.decrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idle.poll()) != null) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // a read-only connection holds nothing worth reporting at close
        }
    }
}
