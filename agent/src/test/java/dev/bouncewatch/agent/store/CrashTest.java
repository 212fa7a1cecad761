package dev.bouncewatch.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * kill -9 at random moments never loses or duplicates a committed batch: after every restart the
 * results are exactly N per checkpointed batch, and the file passes SQLite's integrity check.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // safety net only
class CrashTest {

    private static final int N = 400;
    private static final int KILLS = 6;

    @TempDir
    Path dir;

    @Test
    void killedWritersNeitherLoseNorDuplicateResults() throws Exception {
        Path db = dir.resolve("crash.db");
        Path log = dir.resolve("child.log");
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        long checkpoint = 0;
        List<Long> progress = new ArrayList<>();
        for (int round = 0; round < KILLS; round++) {
            Process child = start(db, log);
            try {
                // let it commit a little past where it was (round 0 also covers killing during creation
                // when the random delay is short), then kill at a random moment
                if (round % 3 != 2) {
                    waitForProgress(db, checkpoint, child, log);
                }
                Thread.sleep(random.nextInt(400));
            } finally {
                child.destroyForcibly(); // SIGKILL on Unix
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            if (Files.exists(db)) {
                checkpoint = check(db, "after kill " + (round + 1) + " (seed " + seed + ")");
                progress.add(checkpoint);
            }
        }
        assertThat(checkpoint).as("progress %s", progress).isPositive();
        try (Store store = Store.open(db)) { // still opens and migrates cleanly
            assertThat(store.reader().checkpoint(CrashWriter.SOURCE)).contains(Long.toString(checkpoint));
        }
    }

    /** Checks the invariant and returns the checkpoint. */
    private static long check(Path db, String when) throws SQLException {
        try (Connection c = readOnly(db); Statement st = c.createStatement()) {
            if (!tableExists(st)) {
                return 0;
            }
            assertThat(one(st, "PRAGMA integrity_check")).as(when).isEqualTo("ok");
            long checkpoint = Long.parseLong(firstOr(st, "SELECT position FROM checkpoints WHERE source = '"
                    + CrashWriter.SOURCE + "'", "0"));
            long results = Long.parseLong(one(st, "SELECT count(*) FROM results"));
            long distinct = Long.parseLong(one(st, "SELECT count(DISTINCT queue_id) FROM results"));
            long maxBatch = Long.parseLong(firstOr(st, "SELECT max(time_ms) / 1000 FROM results", "0"));
            assertThat(results).as(when + ": results for checkpoint " + checkpoint).isEqualTo(N * checkpoint);
            assertThat(distinct).as(when + ": distinct rows").isEqualTo(results);
            assertThat(maxBatch).as(when + ": newest batch").isEqualTo(checkpoint);
            return checkpoint;
        }
    }

    private static Process start(Path db, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), db.toString(), Integer.toString(N));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }

    private static void waitForProgress(Path db, long beyond, Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("the writer died by itself:\n" + Files.readString(log));
            }
            if (Files.exists(db)) {
                try (Connection c = readOnly(db); Statement st = c.createStatement()) {
                    if (tableExists(st) && Long.parseLong(firstOr(st, "SELECT position FROM checkpoints", "0")) > beyond) {
                        return;
                    }
                } catch (SQLException e) {
                    // the file is being created: try again
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no progress past batch " + beyond + ":\n" + Files.readString(log));
    }

    private static Connection readOnly(Path db) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        return config.createConnection("jdbc:sqlite:" + db);
    }

    private static boolean tableExists(Statement st) throws SQLException {
        return !firstOr(st, "SELECT name FROM sqlite_master WHERE name = 'checkpoints'", "").isEmpty();
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String firstOr(Statement st, String sql, String otherwise) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() && rs.getString(1) != null ? rs.getString(1) : otherwise;
        }
    }
}
