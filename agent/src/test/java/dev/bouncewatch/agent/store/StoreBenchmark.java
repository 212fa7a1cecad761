package dev.bouncewatch.agent.store;

import dev.bouncewatch.agent.classify.Category;
import dev.bouncewatch.agent.suppress.SuppressionPolicy;
import dev.bouncewatch.agent.config.SuppressionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.sqlite.SQLiteConfig;

/**
 * Not a test: prints insert throughput for batches of 100 (with checkpoint and suppression policy, as
 * the pipeline writes) and query times over the filled database. Run with the test class path:
 * {@code java -cp ... dev.bouncewatch.agent.store.StoreBenchmark [rows] [dir]}.
 */
public final class StoreBenchmark {

    private StoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("bw-bench");
        Path file = dir.resolve("bench.db");
        Files.deleteIfExists(file);
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        long spanSeconds = Duration.ofDays(30).toSeconds();
        Category[] bounceCategories = {Category.USERUNKNOWN, Category.MAILBOXFULL, Category.BLOCKED,
                Category.SPAMDETECTED, Category.HOSTUNKNOWN};
        SuppressionPolicy policy = SuppressionPolicy.from(SuppressionConfig.defaults());
        try (Store store = Store.open(file)) {
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            long windowStart = t0;
            int windowRows = 0;
            for (int done = 0; done < rows; done += batch) {
                int base = done;
                store.write(tx -> {
                    for (int i = 0; i < batch; i++) {
                        int k = base + i;
                        Instant at = start.plusSeconds((long) k * spanSeconds / rows);
                        String to = "user" + (k % 200_000) + "@domain" + (k % 500) + ".example";
                        StoredResult r = k % 10 == 0
                                ? Results.bounced(to, at, bounceCategories[(k / 10) % bounceCategories.length],
                                "5.1.1", "550 5.1.1 <" + to + ">: Recipient address rejected: User unknown")
                                : k % 10 == 1 ? Results.deferred(to, at, Category.MAILBOXFULL, "4.2.2",
                                "452 4.2.2 Mailbox full")
                                : Results.delivered(to, at);
                        policy.decide(tx, tx.insertResult(r));
                    }
                    tx.saveCheckpoint("file:/var/log/mail.log", Integer.toString(base + batch));
                    return null;
                });
                windowRows += batch;
                long now = System.nanoTime();
                if (now - windowStart > 5_000_000_000L) {
                    System.out.printf(Locale.ROOT, "  %,d rows, recent %.0f inserts/s%n", base + batch,
                            windowRows / ((now - windowStart) / 1e9));
                    windowStart = now;
                    windowRows = 0;
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpuSecs = (cpuNanos() - cpu0) / 1e9;
            System.out.printf(Locale.ROOT, "insert: %,d results in batches of %d in %.1f s = %.0f inserts/s"
                    + " (with checkpoint and suppression policy per batch); process CPU %.1f s = %.0f inserts per"
                    + " CPU second%n", rows, batch, secs, rows / secs, cpuSecs, rows / cpuSecs);
            System.out.printf(Locale.ROOT, "file: %,d bytes, %,d suppressions%n", store.reader().size().fileBytes(),
                    store.reader().suppressionCount());

            Instant end = start.plusSeconds(spanSeconds);
            time("stats over 30 days (all rows), 1 day buckets, 20 domains", 3,
                    () -> store.reader().stats(start, end, Duration.ofDays(1), 20));
            time("stats over the last hour, 5 min buckets", 5,
                    () -> store.reader().stats(end.minusSeconds(3600), end, Duration.ofMinutes(5), 20));
            time("stats over the last day, 1 h buckets", 5,
                    () -> store.reader().stats(end.minus(Duration.ofDays(1)), end, Duration.ofHours(1), 20));
            time("results, latest page of 100", 20, () -> store.reader().results(ResultQuery.latest(100)));
            time("results by recipient", 20, () -> store.reader().results(new ResultQuery(null, null,
                    java.util.Set.of(), null, "USER123@domain123.example", null, null, 100)));
            time("results by category in the last day", 20, () -> store.reader().results(new ResultQuery(
                    end.minus(Duration.ofDays(1)), null, java.util.Set.of(), "userunknown", null, null, null, 100)));
            time("size()", 5, () -> store.reader().size());
            time("checkpoint via pool", 200, () -> store.reader().checkpoint("file:/var/log/mail.log"));
            time("checkpoint with a new connection per call", 200, () -> {
                SQLiteConfig c = new SQLiteConfig();
                c.setReadOnly(true);
                try (Connection conn = c.createConnection("jdbc:sqlite:" + file); Statement st = conn.createStatement();
                     ResultSet rs = st.executeQuery("SELECT position FROM checkpoints")) {
                    return rs.next();
                }
            });
        }
    }

    @FunctionalInterface
    interface Work {
        Object run() throws Exception;
    }

    private static void time(String what, int repeats, Work work) throws Exception {
        work.run(); // warm
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < repeats; i++) {
            work.run();
        }
        double ms = (System.nanoTime() - t0) / 1e6 / repeats;
        double cpuMs = (cpuNanos() - cpu0) / 1e6 / repeats;
        System.out.printf(Locale.ROOT, "%-60s %10.2f ms (CPU %.2f ms)%n", what, ms, cpuMs);
    }

    /** CPU time of the whole process: on a shared machine wall time says more about the neighbours. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
