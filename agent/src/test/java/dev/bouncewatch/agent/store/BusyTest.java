package dev.bouncewatch.agent.store;

import static dev.bouncewatch.agent.store.Results.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Another process holding the write lock: the store waits, retries with back-off, then gives up clearly. */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // safety net only
class BusyTest {

    private static final int SHORT_BUSY_TIMEOUT_MS = 50;

    @TempDir
    Path dir;

    @Test
    void aWriteLockHeldBrieflyElsewhereIsWaitedOutWithRetries() throws Exception {
        Path file = dir.resolve("busy.db");
        try (Store store = Store.open(file, Migrations.builtIn(), Clock.systemUTC(), SHORT_BUSY_TIMEOUT_MS)) {
            ExecutorService other = Executors.newSingleThreadExecutor();
            CountDownLatch locked = new CountDownLatch(1);
            try {
                // longer than the busy timeout, shorter than the retries' back-off in total (100+200+400+800 ms)
                Future<?> holder = other.submit(() -> holdWriteLock(file, 400, locked));
                assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
                StoredResult r = store.write(tx -> tx.insertResult(Results.delivered("a@example.com", T0)));
                holder.get(30, TimeUnit.SECONDS);
                assertThat(r.id()).isPositive();
                assertThat(store.reader().size().results()).isEqualTo(1);
            } finally {
                other.shutdownNow();
            }
        }
    }

    @Test
    void aWriteLockHeldForeverElsewhereEndsInAClearError() throws Exception {
        Path file = dir.resolve("stuck.db");
        try (Store store = Store.open(file, Migrations.builtIn(), Clock.systemUTC(), SHORT_BUSY_TIMEOUT_MS)) {
            ExecutorService other = Executors.newSingleThreadExecutor();
            CountDownLatch locked = new CountDownLatch(1);
            try {
                Future<?> holder = other.submit(() -> holdWriteLock(file, 20_000, locked));
                assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
                assertThatThrownBy(() -> store.write(tx -> tx.insertResult(Results.delivered("a@example.com", T0))))
                        .isInstanceOf(StoreException.class).hasMessageContaining(file.toString())
                        .hasMessageContaining("SQLITE_BUSY");
                holder.cancel(true);
            } finally {
                other.shutdownNow();
                other.awaitTermination(30, TimeUnit.SECONDS);
            }
            // the store is fine once the lock is gone
            store.write(tx -> tx.insertResult(Results.delivered("b@example.com", T0)));
            assertThat(store.reader().size().results()).isEqualTo(1);
        }
    }

    private static Void holdWriteLock(Path file, long millis, CountDownLatch locked) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.executeUpdate("BEGIN IMMEDIATE");
            locked.countDown();
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                // cancelled: release now
            }
            st.executeUpdate("ROLLBACK");
        }
        return null;
    }
}
