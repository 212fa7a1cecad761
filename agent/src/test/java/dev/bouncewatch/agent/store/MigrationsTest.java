package dev.bouncewatch.agent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bouncewatch.agent.classify.Category;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {

    private static final ClassLoader LOADER = MigrationsTest.class.getClassLoader();

    @TempDir
    Path dir;

    @Test
    void theIndexListsMigrationsInOrderSkippingBlankAndCommentLines() {
        Migrations m = Migrations.fromResources(LOADER, "store/test-migrations");
        assertThat(m.list()).extracting(Migration::version, Migration::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "people"),
                        org.assertj.core.groups.Tuple.tuple(2, "people-email"));
        assertThat(m.latestVersion()).isEqualTo(2);
        assertThat(m.list().get(1).sql()).contains("ALTER TABLE people");
        assertThat(m.list().get(1).origin()).isEqualTo("store/test-migrations/002-people-email.sql");
    }

    @Test
    void theBuiltInSetStartsWithTheInitialSchema() {
        Migrations m = Migrations.builtIn();
        assertThat(m.list().get(0).name()).isEqualTo("initial");
        assertThat(m.list().get(0).sql()).contains("CREATE TABLE results");
    }

    @Test
    void upgradesAVersion1DatabaseToVersion2KeepingItsRows() throws Exception {
        Path file = dir.resolve("people.db");
        Migrations all = Migrations.fromResources(LOADER, "store/test-migrations");
        Migrations v1 = Migrations.of(all.list().subList(0, 1));
        try (Store store = Store.open(file, v1, Clock.systemUTC())) {
            assertThat(store.schemaVersion()).isEqualTo(1);
            store.write(tx -> tx.connection().createStatement()
                    .executeUpdate("INSERT INTO people (name) VALUES ('ada'), ('grace')"));
        }
        try (Store store = Store.open(file, all, Clock.systemUTC())) {
            assertThat(store.schemaVersion()).isEqualTo(2);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            assertThat(rows(st, "SELECT name || ' ' || email FROM people ORDER BY id"))
                    .containsExactly("ada unknown", "grace unknown");
            assertThat(rows(st, "SELECT name FROM names ORDER BY name")).containsExactly("ada", "grace");
            assertThat(rows(st, "PRAGMA user_version")).containsExactly("2");
        }
    }

    @Test
    void theRealSchemaUpgradesFromVersion1AndTheNewIndexServesCaseInsensitiveLookups() throws Exception {
        Path file = dir.resolve("bw.db");
        Migrations v1 = Migrations.of(Migrations.builtIn().list().subList(0, 1));
        try (Store store = Store.open(file, v1, Clock.systemUTC())) {
            store.write(tx -> tx.insertResult(Results.bounced("Ann@Example.com", Results.T0, Category.USERUNKNOWN,
                    "5.1.1", "550 5.1.1 no such user")));
        }
        try (Store store = Store.open(file)) {
            assertThat(store.schemaVersion()).isEqualTo(Migrations.builtIn().latestVersion());
            int n = store.write(tx -> tx.countFailures("ann@example.COM", "userunknown", Results.T0.minusSeconds(1)));
            assertThat(n).isEqualTo(1);
            String plan = store.maintain("plan", c -> {
                try (Statement st = c.createStatement()) {
                    return String.join("\n", rows(st, "EXPLAIN QUERY PLAN SELECT count(*) FROM results"
                            + " WHERE recipient = 'x' COLLATE NOCASE AND time_ms >= 0"));
                }
            });
            assertThat(plan).contains("results_recipient_nocase");
        }
    }

    @Test
    void theSuppressionListPagesNewestFirstFromTheIndexWithoutSorting() throws Exception {
        try (Store store = Store.open(dir.resolve("bw.db"))) {
            String plan = store.maintain("plan", c -> {
                try (Statement st = c.createStatement()) {
                    // the query of SqliteStoreReader.suppressions, unfiltered and filtered
                    return String.join("\n", rows(st, "EXPLAIN QUERY PLAN SELECT * FROM suppressions"
                            + " ORDER BY created_ms DESC, address LIMIT 10000 OFFSET 20000"))
                            + "\n" + String.join("\n", rows(st, "EXPLAIN QUERY PLAN SELECT * FROM suppressions"
                            + " WHERE address LIKE '%x%' ESCAPE '\\' ORDER BY created_ms DESC, address LIMIT 10 OFFSET 0"));
                }
            });
            assertThat(plan).contains("suppressions_created_address").doesNotContain("TEMP B-TREE");
        }
    }

    @Test
    void aFailingMigrationRollsBackAndNamesItsFile() throws Exception {
        Path file = dir.resolve("broken.db");
        Migrations broken = Migrations.fromResources(LOADER, "store/broken-migrations");
        assertThatThrownBy(() -> Store.open(file, broken, Clock.systemUTC()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("store/broken-migrations/002-broken.sql")
                .hasMessageContaining("no_such_table");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            assertThat(rows(st, "PRAGMA user_version")).containsExactly("1");
            assertThat(rows(st, "SELECT name FROM sqlite_master WHERE name = 'half_done'")).isEmpty();
        }
    }

    @Test
    void gapsAndBadFileNamesAreRefused() {
        Migration one = new Migration(1, "a", "SELECT 1;", "x/001-a.sql");
        Migration three = new Migration(3, "c", "SELECT 1;", "x/003-c.sql");
        assertThatThrownBy(() -> Migrations.of(List.of(one, three)))
                .hasMessageContaining("x/003-c.sql").hasMessageContaining("expected 2");
        assertThatThrownBy(() -> Migrations.resource(LOADER, "store/test-migrations/people.sql", "index:3"))
                .hasMessageContaining("index:3").hasMessageContaining("NNN-name.sql");
        assertThatThrownBy(() -> Migrations.fromResources(LOADER, "store/no-such-dir"))
                .hasMessageContaining("store/no-such-dir/index");
    }

    static List<String> rows(Statement st, String sql) throws java.sql.SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(rs.getMetaData().getColumnCount()));
            }
        }
        return out;
    }
}
