package dev.bouncewatch.agent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bouncewatch.agent.classify.Category;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {

    @TempDir
    Path dir;

    @Test
    void createsTheFileInWalModeWithIncrementalAutoVacuumAndTheLatestSchema() throws Exception {
        Path file = dir.resolve("state/sub/bouncewatch.db");
        try (Store store = Store.open(file)) {
            assertThat(store.schemaVersion()).isEqualTo(Migrations.builtIn().latestVersion()).isGreaterThanOrEqualTo(2);
            assertThat(store.file()).isEqualTo(file);
            store.write(tx -> tx.insertResult(Results.delivered("a@example.com", Results.T0)));
        }
        assertThat(file).exists();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            assertThat(text(st, "PRAGMA journal_mode")).isEqualTo("wal");
            assertThat(text(st, "PRAGMA auto_vacuum")).isEqualTo("2"); // INCREMENTAL
            assertThat(text(st, "PRAGMA user_version")).isEqualTo(String.valueOf(Migrations.builtIn().latestVersion()));
            assertThat(text(st, "SELECT count(*) FROM results")).isEqualTo("1");
        }
    }

    @Test
    void reopeningAppliesNothingTwiceAndKeepsTheData() throws Exception {
        Path file = dir.resolve("b.db");
        try (Store store = Store.open(file)) {
            store.write(tx -> {
                tx.saveCheckpoint("file:/var/log/mail.log", "{\"offset\":10}");
                return null;
            });
        }
        try (Store store = Store.open(file)) {
            assertThat(store.reader().checkpoint("file:/var/log/mail.log")).contains("{\"offset\":10}");
            assertThat(store.reader().checkpoint("other")).isEmpty();
        }
    }

    @Test
    void aResultReadBackEqualsWhatWasWritten() throws Exception {
        try (Store store = Store.open(dir.resolve("c.db"))) {
            StoredResult in = Results.bounced("Jane.Doe@Example.COM", Results.T0, Category.USERUNKNOWN, "5.1.1",
                    "550 5.1.1 <jane.doe@example.com>: Recipient address rejected: User unknown");
            StoredResult saved = store.write(tx -> tx.insertResult(in));
            assertThat(saved.id()).isPositive();
            List<StoredResult> page = store.reader().results(ResultQuery.latest(10)).items();
            assertThat(page).containsExactly(in.withId(saved.id()));
        }
    }

    @Test
    void nullFieldsRoundTrip() throws Exception {
        try (Store store = Store.open(dir.resolve("n.db"))) {
            StoredResult base = Results.delivered("x@example.com", Results.T0);
            DeliveryResult r = base.result();
            DeliveryResult sparse = new DeliveryResult(r.time(), null, r.mta(), null, null, null, null, null, null,
                    null, DeliveryStatus.DEFERRED, null, null, null, null, null, null, 3);
            StoredResult in = new StoredResult(0, "journal", base.ingestedAt(), sparse,
                    new dev.bouncewatch.agent.classify.Classification(base.classification().severity(), "undefined",
                            false, base.classification().action(), List.of(), "none", "advice"));
            long id = store.write(tx -> tx.insertResult(in)).id();
            assertThat(store.reader().results(ResultQuery.latest(1)).items()).containsExactly(in.withId(id));
        }
    }

    @Test
    void anExceptionInTheWorkRollsBackEverythingItWrote() throws Exception {
        try (Store store = Store.open(dir.resolve("d.db"))) {
            store.write(tx -> {
                tx.saveCheckpoint("s", "1");
                return tx.insertResult(Results.delivered("a@example.com", Results.T0));
            });
            assertThatThrownBy(() -> store.write(tx -> {
                tx.insertResult(Results.delivered("b@example.com", Results.T0));
                tx.insertResult(Results.delivered("c@example.com", Results.T0));
                tx.saveCheckpoint("s", "2");
                tx.suppress(new Suppression("b@example.com", Suppression.ORIGIN_MANUAL, "test", null, Results.T0,
                        Results.T0, null, null, null, null, 1));
                throw new IllegalStateException("parser blew up");
            })).isInstanceOf(IllegalStateException.class).hasMessage("parser blew up");
            assertThatThrownBy(() -> store.write(tx -> {
                tx.insertResult(Results.delivered("d@example.com", Results.T0));
                tx.connection().createStatement().executeUpdate("INSERT INTO no_such_table VALUES (1)");
                return null;
            })).isInstanceOf(StoreException.class).hasMessageContaining("d.db").hasMessageContaining("no_such_table");

            assertThat(store.reader().results(ResultQuery.latest(10)).items())
                    .extracting(r -> r.result().recipient()).containsExactly("a@example.com");
            assertThat(store.reader().checkpoint("s")).contains("1");
            assertThat(store.reader().suppressionCount()).isZero();
            // and the writer still works afterwards
            store.write(tx -> tx.insertResult(Results.delivered("e@example.com", Results.T0)));
            assertThat(store.reader().size().results()).isEqualTo(2);
        }
    }

    @Test
    void resultsAndTheirCheckpointCommitTogether() throws Exception {
        Path file = dir.resolve("e.db");
        try (Store store = Store.open(file)) {
            store.write(tx -> {
                for (int i = 0; i < 500; i++) {
                    tx.insertResult(Results.delivered("u" + i + "@example.com", Results.T0.plusSeconds(i)));
                }
                tx.saveCheckpoint("file:/var/log/mail.log", "offset=50000");
                return null;
            });
            // a second connection (another process) sees both or neither
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
                assertThat(text(st, "SELECT count(*) FROM results")).isEqualTo("500");
                assertThat(text(st, "SELECT position FROM checkpoints")).isEqualTo("offset=50000");
            }
        }
    }

    @Test
    void aStatementPreparedInOneTransactionIsReusedInTheNext() throws Exception {
        try (Store store = Store.open(dir.resolve("f.db"))) {
            List<Long> ids = new ArrayList<>();
            for (int batch = 0; batch < 3; batch++) {
                int b = batch;
                store.write(tx -> {
                    for (int i = 0; i < 10; i++) {
                        ids.add(tx.insertResult(Results.delivered(b + "-" + i + "@example.com", Results.T0)).id());
                    }
                    return null;
                });
            }
            assertThat(ids).doesNotHaveDuplicates().isSorted().hasSize(30);
        }
    }

    @Test
    void theTransactionCannotBeUsedAfterTheWriteEnded() throws Exception {
        try (Store store = Store.open(dir.resolve("g.db"))) {
            StoreTransaction leaked = store.write(tx -> tx);
            assertThatThrownBy(() -> leaked.insertResult(Results.delivered("a@example.com", Results.T0)))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> store.write(tx -> {
                try {
                    return store.write(inner -> null);
                } catch (StoreException e) {
                    throw new SQLException(e);
                }
            })).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aFileThatIsNotSqliteIsAClearErrorNamingTheFile() throws Exception {
        Path file = dir.resolve("mail.log");
        Files.writeString(file, "Mar  1 12:00:00 mx postfix/smtp[1]: 4QX1: to=<a@b>, status=sent\n".repeat(20));
        assertThatThrownBy(() -> Store.open(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not an SQLite database");
        assertThat(Files.readString(file)).startsWith("Mar  1"); // untouched
    }

    @Test
    void aDatabaseFromANewerVersionIsRefused() throws Exception {
        Path file = dir.resolve("new.db");
        try (Store store = Store.open(file)) {
            store.maintain("bump", c -> c.createStatement().executeUpdate("PRAGMA user_version = 99"));
        }
        assertThatThrownBy(() -> Store.open(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("schema version 99")
                .hasMessageContaining("newer bouncewatch");
    }

    @Test
    void writingAfterCloseIsAnError() throws Exception {
        Store store = Store.open(dir.resolve("h.db"));
        store.close();
        store.close(); // twice is fine
        assertThatThrownBy(() -> store.write(tx -> null)).isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> store.reader().suppressionCount()).isInstanceOf(StoreException.class);
    }

    @Test
    void checkpointsCarryTheStoreClock() throws Exception {
        Instant now = Instant.parse("2026-04-01T00:00:00Z");
        Path file = dir.resolve("clock.db");
        try (Store store = Store.open(file, Migrations.builtIn(), Clock.fixed(now, ZoneOffset.UTC))) {
            store.write(tx -> {
                tx.saveCheckpoint("s", "p");
                return null;
            });
            long ms = store.maintain("read", c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT updated_ms FROM checkpoints")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(ms).isEqualTo(now.toEpochMilli());
        }
    }

    static String text(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
