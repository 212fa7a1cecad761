package dev.bouncewatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.store.Migrations;
import dev.bouncewatch.agent.store.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bouncewatch db info} on databases before, after and beyond an upgrade, found through the config. */
class DbInfoCommandTest {

    @TempDir
    Path dir;
    private Path config;
    private Path db;

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new BouncewatchCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void writeConfig() throws Exception {
        config = dir.resolve("agent.yml");
        Files.writeString(config, "stateDir: state\nhttp:\n  enabled: false\n");
        db = dir.resolve("state/bouncewatch.db");
    }

    @Test
    void aDatabaseOfTheLastReleaseIsShownAsOlderAndLeftAsItIs() throws Exception {
        Migrations all = Migrations.builtIn();
        try (Store store = Store.open(db, Migrations.of(all.list().subList(0, 5)), Clock.systemUTC())) {
            store.write(tx -> tx.connection().createStatement().executeUpdate(
                    "INSERT INTO checkpoints VALUES ('file:/var/log/mail.log', '{}', 0)"));
        }
        Run r = run("db", "info", "--config", config.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("database:  " + db)
                .contains("schema:    version 5, older than bouncewatch ")
                .contains("the agent copies the database and migrates it at its next start")
                .contains("checkpoints 1").contains("results 0").contains("copies:    none")
                .contains("No schema history");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            assertThat(st.executeQuery("PRAGMA user_version").getInt(1)).as("db info must not migrate").isEqualTo(5);
        }
    }

    @Test
    void anUpgradedDatabaseShowsItsHistoryAndTheCopy() throws Exception {
        Migrations all = Migrations.builtIn();
        try (Store store = Store.open(db, Migrations.of(all.list().subList(0, 5)), Clock.systemUTC())) {
            store.write(tx -> tx.connection().createStatement().executeUpdate(
                    "INSERT INTO checkpoints VALUES ('file:/var/log/mail.log', '{}', 0)"));
        }
        try (Store store = Store.open(db)) {
            assertThat(store.schemaVersion()).isEqualTo(6);
        }
        Run r = run("db", "info", "--config", config.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        Path copy = db.resolveSibling("bouncewatch.db.before-schema-6.bak");
        assertThat(r.out()).contains("schema:    version 6, current (bouncewatch ")
                .contains("copies:    " + copy + " (")
                .containsPattern("size: +[0-9.]+ KiB \\(file [0-9]+ bytes, write-ahead log [0-9]+ bytes");
        assertThat(r.out().lines().dropWhile(l -> !l.startsWith("VERSION")).toList())
                .hasSize(4)
                .satisfies(lines -> {
                    assertThat(lines.get(0)).contains("NAME", "APPLIED", "BY", "COPY BEFORE");
                    assertThat(lines.get(2)).startsWith("5 ").contains("found", copy.toString());
                    assertThat(lines.get(3)).startsWith("6 ").contains("schema-history", copy.toString());
                });
    }

    @Test
    void aNewerDatabaseIsShownAsNewerWithoutChangingIt() throws Exception {
        try (Store store = Store.open(db)) {
            assertThat(store.schemaVersion()).isEqualTo(6);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.executeUpdate("PRAGMA user_version = 9");
        }
        Run r = run("db", "info", "--config", config.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("schema:    version 9, NEWER than bouncewatch").contains("(up to 6)")
                .contains("refuses to start on it");
    }

    @Test
    void noDatabaseYetIsStatusOne() {
        Run r = run("db", "info", "--config", config.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no database at " + db).contains("has not run with this config");
    }

    @Test
    void aFileThatIsNoDatabaseIsStatusTwoNamingIt() throws Exception {
        Files.createDirectories(db.getParent());
        Files.writeString(db, "not a database at all, just text\n");
        Run r = run("db", "info", "--config", config.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(db.toString()).contains("not an SQLite database");
    }
}
