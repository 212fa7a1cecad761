package dev.bouncewatch.agent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * A database left by each earlier release's schema (versions 1 to 5, rows written in that version's shape
 * with plain SQL, as that release wrote them) opened by the current store: every row kept, the upgrade in
 * schema_history, a consistent copy taken first. Also the refusal of a newer database and the skipped copy.
 */
class SchemaUpgradeTest {

    private static final Migrations ALL = Migrations.builtIn();
    private static final int LATEST = ALL.latestVersion();
    private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final MigrationOptions OLD = new MigrationOptions("0.1.0-old", dir -> Long.MAX_VALUE);
    private static final MigrationOptions NEW = new MigrationOptions("0.2.0-test", dir -> Long.MAX_VALUE);

    /** Tables with rows seeded, by the schema version that introduced them. */
    private static final Map<String, Integer> TABLES = tables();

    @TempDir
    Path dir;

    private static Map<String, Integer> tables() {
        Map<String, Integer> t = new LinkedHashMap<>();
        for (String name : List.of("results", "checkpoints", "suppressions", "outbox")) {
            t.put(name, 1);
        }
        for (String name : List.of("alert_groups", "alert_mutes", "alert_history", "notify_schedule")) {
            t.put(name, 4);
        }
        return t;
    }

    @Test
    void theLatestSchemaIsTheOneWithTheHistory() {
        assertThat(ALL.list().get(LATEST - 1).name()).isEqualTo("schema-history");
        assertThat(LATEST).isEqualTo(6);
    }

    @ParameterizedTest(name = "from schema version {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void aDatabaseOfAnEarlierVersionKeepsEveryRowAndRecordsTheUpgrade(int version) throws Exception {
        Path file = dir.resolve("bouncewatch.db");
        createAtVersion(file, version);
        Map<String, List<String>> before = dump(file, version);
        assertThat(before.get("results")).hasSize(3);

        try (Store store = open(file, NEW)) {
            assertThat(store.schemaVersion()).isEqualTo(LATEST);
            // the current code reads and extends what the old one wrote
            int failures = store.write(tx -> tx.countFailures("ANN@example.com", "userunknown", Instant.EPOCH));
            assertThat(failures).isEqualTo(1);
            assertThat(store.reader().checkpoint("file:/var/log/mail.log")).contains("{\"offset\":4096}");
            assertThat(store.reader().suppressionCount()).isEqualTo(2);
        }

        assertThat(dump(file, version)).isEqualTo(before);
        Path copy = dir.resolve("bouncewatch.db.before-schema-" + (version + 1) + ".bak");
        List<String> expected = new ArrayList<>();
        expected.add(version + " found 0.2.0-test " + copy);
        for (int v = version + 1; v <= LATEST; v++) {
            expected.add(v + " " + ALL.list().get(v - 1).name() + " 0.2.0-test " + copy);
        }
        assertThat(rows(file, "SELECT version || ' ' || name || ' ' || agent_version || ' ' || ifnull(backup, '-')"
                + " || ' ' || applied_ms FROM schema_history ORDER BY id"))
                .containsExactlyElementsOf(expected.stream().map(e -> e + " " + NOW.toEpochMilli()).toList());

        // the copy is the database as it was, consistent, with the database's permissions
        assertThat(copy).exists();
        assertThat(rows(copy, "PRAGMA user_version")).containsExactly(String.valueOf(version));
        assertThat(rows(copy, "PRAGMA integrity_check")).containsExactly("ok");
        assertThat(dump(copy, version)).isEqualTo(before);
        assertThat(Files.getPosixFilePermissions(copy)).isEqualTo(Files.getPosixFilePermissions(file));
        assertThat(siblingsEndingWith(".partial")).isEmpty();

        // opening again changes nothing: no new history, the same copy
        long copyModified = Files.getLastModifiedTime(copy).toMillis();
        try (Store store = open(file, NEW)) {
            assertThat(store.schemaVersion()).isEqualTo(LATEST);
        }
        assertThat(rows(file, "SELECT count(*) FROM schema_history")).containsExactly(String.valueOf(expected.size()));
        assertThat(Files.getLastModifiedTime(copy).toMillis()).isEqualTo(copyModified);
    }

    @Test
    void aNewDatabaseRecordsEveryMigrationAndTakesNoCopy() throws Exception {
        Path file = dir.resolve("bouncewatch.db");
        try (Store store = open(file, NEW)) {
            assertThat(store.schemaVersion()).isEqualTo(LATEST);
        }
        List<String> expected = ALL.list().stream().map(m -> m.version() + " " + m.name() + " 0.2.0-test -").toList();
        assertThat(rows(file, "SELECT version || ' ' || name || ' ' || agent_version || ' ' || ifnull(backup, '-')"
                + " FROM schema_history ORDER BY id")).containsExactlyElementsOf(expected);
        assertThat(siblingsEndingWith(".bak")).isEmpty();
    }

    @Test
    void onlyTheNewestCopyIsKept() throws Exception {
        Path file = dir.resolve("bouncewatch.db");
        createAtVersion(file, 5);
        Path older = dir.resolve("bouncewatch.db.before-schema-4.bak");
        Path otherDatabase = dir.resolve("other.db.before-schema-4.bak");
        Files.writeString(older, "an older copy");
        Files.writeString(otherDatabase, "not ours");
        try (Store store = open(file, NEW)) {
            assertThat(store.schemaVersion()).isEqualTo(LATEST);
        }
        assertThat(siblingsEndingWith(".bak")).containsExactlyInAnyOrder("bouncewatch.db.before-schema-6.bak",
                "other.db.before-schema-4.bak");
    }

    @Test
    void aDatabaseNewerThanThisBuildIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("bouncewatch.db");
        createAtVersion(file, LATEST);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.executeUpdate("PRAGMA user_version = " + (LATEST + 1));
            // what a newer schema might have done: a journal mode this build would switch away from
            st.executeUpdate("PRAGMA journal_mode = DELETE");
        }
        String before = sha256(file);

        assertThatThrownBy(() -> open(file, NEW))
                .isInstanceOf(SchemaTooNewException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("schema version " + (LATEST + 1))
                .hasMessageContaining("up to " + LATEST)
                .hasMessageContaining("0.2.0-test")
                .hasMessageContaining("was not changed")
                .hasMessageContaining("bouncewatch.db.before-schema-" + (LATEST + 1) + ".bak")
                .satisfies(e -> {
                    assertThat(((SchemaTooNewException) e).found()).isEqualTo(LATEST + 1);
                    assertThat(((SchemaTooNewException) e).known()).isEqualTo(LATEST);
                });

        assertThat(sha256(file)).as("the database file's content").isEqualTo(before);
        assertThat(rows(file, "PRAGMA journal_mode")).containsExactly("delete");
        assertThat(siblingsEndingWith(".bak")).isEmpty();
    }

    @Test
    void withoutRoomForTheCopyTheMigrationGoesOnWithoutOneAndSaysSo() throws Exception {
        Path file = dir.resolve("bouncewatch.db");
        createAtVersion(file, 5);
        long[] asked = new long[1];
        MigrationOptions tight = new MigrationOptions("0.2.0-test", d -> {
            asked[0]++;
            assertThat(d).isEqualTo(dir.toAbsolutePath());
            return 4096; // less than the database's pages
        });
        Logger log = (Logger) LoggerFactory.getLogger(PreMigrationCopy.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try (Store store = open(file, tight)) {
            assertThat(store.schemaVersion()).isEqualTo(LATEST);
        } finally {
            log.detachAppender(logged);
        }
        assertThat(asked[0]).isEqualTo(1);
        assertThat(siblingsEndingWith(".bak")).isEmpty();
        assertThat(siblingsEndingWith(".partial")).isEmpty();
        assertThat(rows(file, "SELECT name || ' ' || ifnull(backup, '-') FROM schema_history ORDER BY id"))
                .containsExactly("found -", "schema-history -");
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains("NOT copying", file.toString(), "4.0 KiB free",
                        "from schema version 5 to 6", "migrating without a copy"));
    }

    @Test
    void whenTheFreeSpaceCannotBeToldTheCopyIsTakenAnyway() throws Exception {
        Path file = dir.resolve("bouncewatch.db");
        createAtVersion(file, 5);
        MigrationOptions blind = new MigrationOptions("0.2.0-test", d -> {
            throw new java.io.IOException("Mount point not found");
        });
        try (Store store = open(file, blind)) {
            assertThat(store.schemaVersion()).isEqualTo(LATEST);
        }
        assertThat(rows(dir.resolve("bouncewatch.db.before-schema-6.bak"), "PRAGMA user_version")).containsExactly("5");
    }

    @Test
    void theDefaultFreeSpaceProbeAnswersForARealDirectory() throws Exception {
        assertThat(MigrationOptions.defaults().freeSpace().usableBytes(dir)).isPositive();
    }

    @Test
    void theCopyIsTakenBeforeAFailingMigrationAndKept() throws Exception {
        Path file = dir.resolve("bouncewatch.db");
        createAtVersion(file, 5);
        Migrations broken = Migrations.of(ALL.list().subList(0, 5)).plus(ALL.list().get(5),
                new Migration(7, "broken", "CREATE TABLE x (a); INSERT INTO no_such_table VALUES (1);", "test/007-broken.sql"));
        assertThatThrownBy(() -> Store.open(file, broken, CLOCK, SqliteConnections.BUSY_TIMEOUT_MS, NEW))
                .isInstanceOf(StoreException.class).hasMessageContaining("test/007-broken.sql");
        // 006 committed with its history; 007 rolled back, leaving version 6 and the copy of version 5
        assertThat(rows(file, "PRAGMA user_version")).containsExactly("6");
        assertThat(rows(file, "SELECT name FROM schema_history ORDER BY id")).containsExactly("found", "schema-history");
        assertThat(rows(dir.resolve("bouncewatch.db.before-schema-6.bak"), "PRAGMA user_version")).containsExactly("5");
    }

    // ---- a database as an earlier release left it ----

    private static Store open(Path file, MigrationOptions options) throws StoreException {
        return Store.open(file, ALL, CLOCK, SqliteConnections.BUSY_TIMEOUT_MS, options);
    }

    /** Creates the schema of {@code version} (what that release's store did) and rows in its shape. */
    private static void createAtVersion(Path file, int version) throws Exception {
        try (Store store = Store.open(file, Migrations.of(ALL.list().subList(0, version)), CLOCK,
                SqliteConnections.BUSY_TIMEOUT_MS, OLD)) {
            assertThat(store.schemaVersion()).isEqualTo(version);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            String columns = "source, time_ms, ingested_ms, host, mta, queue_id, message_id, sender, recipient,"
                    + " recipient_domain, orig_recipient, relay, relay_ip, status, mta_status, dsn, reply_code, diagnostic,"
                    + " stage, delay_seconds, attempts, severity, category, hard_bounce, action, rule_id, signals, advice";
            st.executeUpdate("INSERT INTO results (" + columns + ") VALUES"
                    + " ('file:/var/log/mail.log', 1764000000000, 1764000001000, 'mx', 'postfix', '4QX1', '<m1@x>',"
                    + "  'news@example.org', 'Ann@Example.com', 'example.com', NULL, 'mx.example.com[192.0.2.1]:25',"
                    + "  '192.0.2.1', 'bounced', 'bounced', '5.1.1', 550, '550 5.1.1 <Ann@Example.com>: User unknown', 'rcpt',"
                    + "  0.5, 1, 'permanent', 'userunknown', 1, 'suppress', 'rfc3463.5.1.1', 'stage:rcpt', 'Remove it.'),"
                    + " ('file:/var/log/mail.log', 1764000002000, 1764000003000, 'mx', 'postfix', '4QX2', NULL, NULL,"
                    + "  'bob@example.net', 'example.net', NULL, NULL, NULL, 'delivered', 'sent', '2.0.0', 250, '250 2.0.0 Ok',"
                    + "  'data_end', 0.1, 1, 'none', 'delivered', 0, 'none', 'delivered', '', ''),"
                    + " ('sink', 1764000004000, 1764000005000, NULL, 'sink', NULL, NULL, NULL, 'carol@example.org',"
                    + "  'example.org', NULL, NULL, NULL, 'deferred', NULL, '4.2.2', 452, '452 4.2.2 Mailbox full', 'rcpt',"
                    + "  NULL, 2, 'transient', 'mailboxfull', 0, 'retry', 'text.mailboxfull', 'stage:rcpt', 'Wait.')");
            st.executeUpdate("INSERT INTO checkpoints VALUES ('file:/var/log/mail.log', '{\"offset\":4096}', 1764000001000),"
                    + " ('sink', 'none', 1764000005000)");
            st.executeUpdate("INSERT INTO suppressions (address, origin, reason, category, created_ms, updated_ms,"
                    + " result_id, dsn, reply_code, diagnostic, failures) VALUES"
                    + " ('ann@example.com', 'bounce', 'userunknown: 1 permanent failure', 'userunknown', 1764000001000,"
                    + "  1764000001000, 1, '5.1.1', 550, '550 5.1.1 User unknown', 1),"
                    + " ('former@example.com', 'manual', 'asked to be removed', NULL, 1764000000500, 1764000000500,"
                    + "  NULL, NULL, NULL, NULL, 1)");
            st.executeUpdate("INSERT INTO outbox (destination, event_id, event_type, group_key, payload, created_ms,"
                    + " next_attempt_ms, attempts, state, last_error, finished_ms) VALUES"
                    + " ('crm', 'evt_1', 'message.bounced', NULL, '{\"a\":1}', 1764000001000, 1764000001000, 0, 'pending', NULL, NULL),"
                    + " ('slack', 'evt_2', 'alert.firing', 'bounce_rate/all', '{}', 1764000001000, 1764000061000, 8, 'dead',"
                    + "  'HTTP 400', 1764000061000)");
            if (version >= 4) {
                st.executeUpdate("INSERT INTO alert_groups VALUES ('bounce_rate/all', 'bounce_rate', 'all', 'firing',"
                        + " 'warning', 1764000000000, NULL, 1764000060000, 1764000060000, 'firing', 'warning', 1, NULL, '{}')");
                st.executeUpdate("INSERT INTO alert_mutes VALUES ('deferral_spike', '', 1864000000000, 'maintenance',"
                        + " 1764000000000)");
                st.executeUpdate("INSERT INTO alert_history (group_key, rule, scope, severity, fired_ms, resolved_ms)"
                        + " VALUES ('bounce_rate/all', 'bounce_rate', 'all', 'warning', 1764000060000, NULL)");
                st.executeUpdate("INSERT INTO notify_schedule VALUES ('digest.daily', 1763942400000)");
            }
        }
    }

    /** Every row of every table that version had, as text, by table. */
    private static Map<String, List<String>> dump(Path file, int version) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> t : TABLES.entrySet()) {
            if (t.getValue() <= version) {
                out.put(t.getKey(), rowsAsText(file, "SELECT * FROM " + t.getKey() + " ORDER BY 1"));
            }
        }
        return out;
    }

    private static List<String> rowsAsText(Path file, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    private static List<String> rows(Path file, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            return MigrationsTest.rows(st, sql);
        }
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(file)));
    }

    private List<String> siblingsEndingWith(String suffix) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).toList();
        }
    }
}
