package dev.bouncewatch.agent.store;

import static dev.bouncewatch.agent.store.Results.T0;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bouncewatch.agent.classify.Category;
import dev.bouncewatch.agent.config.RetentionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class RetentionPrunerTest {

    private static final Instant NOW = T0.plus(Duration.ofDays(40));
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void deletesResultsPastTheirAgeDeliveredSoonerAndFinishedOutboxRowsButNeverSuppressions() throws Exception {
        try (Store store = Store.open(dir.resolve("p.db"), Migrations.builtIn(), CLOCK)) {
            List<Long> ids = store.write(tx -> {
                List<Long> list = new ArrayList<>();
                list.add(tx.insertResult(Results.bounced("old@a.com", NOW.minus(Duration.ofDays(31)),
                        Category.USERUNKNOWN, "5.1.1", "550 gone")).id());                                   // 0 expired
                list.add(tx.insertResult(Results.delivered("olddelivered@a.com", NOW.minus(Duration.ofDays(8)))).id()); // 1 delivered > 7d
                list.add(tx.insertResult(Results.bounced("keep@a.com", NOW.minus(Duration.ofDays(8)),
                        Category.MAILBOXFULL, "5.2.2", "552 full")).id());                                  // 2 kept
                list.add(tx.insertResult(Results.delivered("new@a.com", NOW.minus(Duration.ofDays(6)))).id()); // 3 kept
                tx.suppress(new Suppression("old@a.com", Suppression.ORIGIN_BOUNCE, "userunknown: 550 gone",
                        "userunknown", NOW.minus(Duration.ofDays(300)), NOW.minus(Duration.ofDays(300)), list.get(0),
                        "5.1.1", 550, "550 gone", 1));
                OutboxEntry done = tx.enqueue(OutboxEntry.pending("hook", "e-old", "message.bounced", null, "{}",
                        NOW.minus(Duration.ofDays(9))));
                tx.enqueue(OutboxEntry.pending("hook", "e-recent", "message.bounced", null, "{}",
                        NOW.minus(Duration.ofDays(9))));
                tx.enqueue(OutboxEntry.pending("hook", "e-pending", "message.bounced", null, "{}",
                        NOW.minus(Duration.ofDays(20))));
                try (Statement st = tx.connection().createStatement()) {
                    st.executeUpdate("UPDATE outbox SET state = 'delivered', finished_ms = "
                            + NOW.minus(Duration.ofDays(8)).toEpochMilli() + " WHERE id = " + done.id());
                    st.executeUpdate("UPDATE outbox SET state = 'dead', finished_ms = "
                            + NOW.minus(Duration.ofDays(2)).toEpochMilli() + " WHERE event_id = 'e-recent'");
                }
                return list;
            });
            RetentionConfig config = new RetentionConfig(Duration.ofDays(30), 0, Duration.ofHours(1),
                    Duration.ofDays(7));

            RetentionPruner.Report report = new RetentionPruner(store, config, CLOCK).pruneNow();

            assertThat(report.expired()).isEqualTo(1);
            assertThat(report.expiredDelivered()).isEqualTo(1);
            assertThat(report.outbox()).isEqualTo(1);
            assertThat(report.capHit()).isFalse();
            assertThat(store.reader().results(ResultQuery.latest(10)).items()).extracting(StoredResult::id)
                    .containsExactly(ids.get(3), ids.get(2));
            assertThat(store.reader().suppression("old@a.com")).isPresent();
            assertThat(outboxEvents(store)).containsExactly("e-recent", "e-pending");
            // a second run finds nothing more
            assertThat(new RetentionPruner(store, config, CLOCK).pruneNow().results()).isZero();
        }
    }

    @Test
    void deletesInChunksPastTheChunkSize() throws Exception {
        try (Store store = Store.open(dir.resolve("chunks.db"), Migrations.builtIn(), CLOCK)) {
            int n = RetentionPruner.CHUNK * 2 + 17;
            store.write(tx -> {
                for (int i = 0; i < n; i++) {
                    tx.insertResult(Results.delivered("u" + i + "@a.com", NOW.minus(Duration.ofDays(50))));
                }
                return tx.insertResult(Results.delivered("fresh@a.com", NOW.minusSeconds(5)));
            });
            RetentionPruner.Report r = new RetentionPruner(store, RetentionConfig.defaults(), CLOCK).pruneNow();
            assertThat(r.expired()).isEqualTo(n);
            assertThat(store.reader().size().results()).isEqualTo(1);
        }
    }

    @Test
    void overTheSizeCapTheOldestResultsGoUntilItFitsAndTheFileShrinks() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(RetentionPruner.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try (Store store = Store.open(dir.resolve("cap.db"), Migrations.builtIn(), CLOCK)) {
            String text = "552 5.2.2 mailbox full ".repeat(25);
            int rows = 12_000;
            for (int batch = 0; batch < rows / 1000; batch++) {
                int b = batch;
                store.write(tx -> {
                    for (int i = 0; i < 1000; i++) {
                        int k = b * 1000 + i;
                        tx.insertResult(Results.deferred("u" + k + "@a.com", NOW.minus(Duration.ofDays(20))
                                .plusSeconds(k), Category.MAILBOXFULL, "4.2.2", text + k));
                    }
                    return null;
                });
            }
            store.write(tx -> tx.suppress(new Suppression("kept@a.com", Suppression.ORIGIN_MANUAL, "manual", null,
                    NOW, NOW, null, null, null, null, 0)));
            RetentionPruner sized = new RetentionPruner(store, RetentionConfig.defaults(), CLOCK);
            long before = sized.usedBytes();
            assertThat(before).isGreaterThan(6L << 20);
            long cap = 2L << 20;
            RetentionConfig config = new RetentionConfig(Duration.ofDays(30), cap, Duration.ofHours(1),
                    Duration.ofDays(30));

            RetentionPruner pruner = new RetentionPruner(store, config, CLOCK);
            RetentionPruner.Report report = pruner.pruneNow();

            assertThat(report.capHit()).isTrue();
            assertThat(report.overCap()).isPositive().isLessThan(rows);
            assertThat(pruner.usedBytes()).isLessThanOrEqualTo(cap);
            long onDisk = Files.size(store.file()) + walSize(store);
            assertThat(onDisk).isLessThanOrEqualTo(cap + (256 << 10)); // vacuumed and checkpointed
            assertThat(report.bytesAfter()).isEqualTo(onDisk);
            // the newest stayed: what is left is exactly the tail of the insertion order
            long left = store.reader().size().results();
            assertThat(left).isEqualTo(rows - report.overCap());
            ResultPage oldestLeft = store.reader().results(new ResultQuery(null,
                    NOW.minus(Duration.ofDays(20)).plusSeconds(rows - left + 1), java.util.Set.of(), null, null, null,
                    null, 10));
            assertThat(oldestLeft.items()).extracting(r -> r.result().recipient())
                    .containsExactly("u" + (rows - left) + "@a.com");
            assertThat(store.reader().suppression("kept@a.com")).isPresent();
            assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(1)
                    .first().extracting(ILoggingEvent::getFormattedMessage).asString().contains("maxDatabase");

            RetentionPruner.Report again = pruner.pruneNow();
            assertThat(again.capHit()).isFalse();
            assertThat(again.overCap()).isZero();
        } finally {
            log.detachAppender(logged);
        }
    }

    @Test
    void runsOnTheSchedule() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (Store store = Store.open(dir.resolve("sched.db"), Migrations.builtIn(), CLOCK)) {
            store.write(tx -> tx.insertResult(Results.delivered("old@a.com", NOW.minus(Duration.ofDays(60)))));
            RetentionConfig config = new RetentionConfig(Duration.ofDays(30), 0, Duration.ofMillis(50),
                    Duration.ofDays(30));
            new RetentionPruner(store, config, CLOCK).start(scheduler);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (store.reader().size().results() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(store.reader().size().results()).isZero();
            // later runs keep going on the schedule
            store.write(tx -> tx.insertResult(Results.delivered("old2@a.com", NOW.minus(Duration.ofDays(60)))));
            while (store.reader().size().results() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(store.reader().size().results()).isZero();
        } finally {
            scheduler.shutdownNow();
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static long walSize(Store store) throws Exception {
        Path wal = Path.of(store.file() + "-wal");
        return Files.exists(wal) ? Files.size(wal) : 0;
    }

    private static List<String> outboxEvents(Store store) throws StoreException {
        return store.maintain("outbox", c -> {
            List<String> out = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT event_id FROM outbox ORDER BY id")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }
}
