package dev.bouncewatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.notify.delivery.OutboxQueue;
import dev.bouncewatch.agent.store.OutboxEntry;
import dev.bouncewatch.agent.store.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bouncewatch outbox list|replay} against a real database found through the config. */
class OutboxCommandTest {

    private static final Instant T0 = Instant.parse("2026-11-28T14:00:00Z");

    @TempDir
    Path dir;
    private Path config;

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new BouncewatchCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void writeConfig() throws Exception {
        config = dir.resolve("agent.yml");
        Files.writeString(config, "stateDir: state\nhttp:\n  enabled: false\n");
    }

    /** Entries: 1 crm delivered, 2 crm dead, 3 crm pending (retrying), 4 slack dead. */
    private void seed() throws Exception {
        try (Store store = Store.open(dir.resolve("state/bouncewatch.db"))) {
            OutboxQueue q = new OutboxQueue(store);
            OutboxEntry[] e = new OutboxEntry[4];
            String[] dest = {"crm", "crm", "crm", "slack"};
            for (int i = 0; i < 4; i++) {
                int n = i;
                e[i] = store.write(tx -> tx.enqueue(OutboxEntry.pending(dest[n], "evt_" + (n + 1), "message.bounced", null,
                        "{}", T0.plusSeconds(n))));
            }
            q.markDelivered(e[0], 1, T0.plusSeconds(10));
            q.markDead(e[1], 8, T0.plusSeconds(20), "gave up after 8 attempts; last: HTTP 503\r\nforged");
            q.scheduleRetry(e[2], 2, T0.plusSeconds(300), "connection refused or unreachable");
            q.markDead(e[3], 1, T0.plusSeconds(30), "HTTP 400: invalid_payload");
        }
    }

    private List<OutboxEntry> entries() throws Exception {
        try (Store store = Store.open(dir.resolve("state/bouncewatch.db"))) {
            return new OutboxQueue(store).list(null, null, 100);
        }
    }

    @Test
    void listsNewestFirstWithStateAttemptsAndErrors() throws Exception {
        seed();
        Run r = run("outbox", "list", "--config", config.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("ID").contains("DESTINATION", "STATE", "ATTEMPTS", "LAST ERROR");
        assertThat(lines.get(1)).startsWith("4 ").contains("slack", "dead", "message.bounced", "HTTP 400: invalid_payload");
        assertThat(lines.get(2)).startsWith("3 ").contains("crm", "pending", "2026-11-28 14:05:00Z", "connection refused");
        assertThat(lines.get(3)).startsWith("2 ").contains("dead", "HTTP 503\\r\\nforged");
        assertThat(lines.get(4)).startsWith("1 ").contains("delivered", "2026-11-28 14:00:10Z");
        assertThat(lines.get(5)).isEqualTo("4 entries shown; pending per destination: {crm=1}");
    }

    @Test
    void filtersByStateAndDestination() throws Exception {
        seed();
        Run r = run("outbox", "list", "--config", config.toString(), "--state", "dead", "--destination", "crm");
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines().toList()).hasSize(3);
        assertThat(r.out().lines().toList().get(1)).startsWith("2 ").contains("crm", "dead");
        assertThat(r.out().lines().toList().get(2)).startsWith("1 entry shown");
        assertThat(run("outbox", "list", "--config", config.toString(), "--state", "lost").exit()).isEqualTo(2);
    }

    @Test
    void replaysOneOrAllDeadLetters() throws Exception {
        seed();
        Run one = run("outbox", "replay", "--config", config.toString(), "--id", "4");
        assertThat(one.exit()).as(one.err()).isZero();
        assertThat(one.out()).startsWith("1 entry is pending again");
        assertThat(entries()).filteredOn(e -> e.id() == 4).singleElement()
                .satisfies(e -> assertThat(e.state()).isEqualTo("pending")).satisfies(e -> assertThat(e.attempts()).isZero());

        Run delivered = run("outbox", "replay", "--config", config.toString(), "--id", "1");
        assertThat(delivered.exit()).isEqualTo(1);
        assertThat(delivered.err()).contains("entry 1 is delivered, not dead", "never resent");

        Run all = run("outbox", "replay", "--config", config.toString(), "--all-dead", "--destination", "crm");
        assertThat(all.exit()).isZero();
        assertThat(all.out()).startsWith("1 entry is pending again");
        assertThat(entries()).extracting(OutboxEntry::state).containsExactly("pending", "pending", "pending", "delivered");

        Run none = run("outbox", "replay", "--config", config.toString(), "--all-dead");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("no dead letters");
    }

    @Test
    void replayNeedsExactlyOneOfIdAndAllDead() {
        assertThat(run("outbox", "replay", "--config", config.toString()).exit()).isEqualTo(2);
        assertThat(run("outbox", "replay", "--config", config.toString(), "--id", "1", "--all-dead").exit()).isEqualTo(2);
    }

    @Test
    void withoutADatabaseItSaysSo() {
        Run r = run("outbox", "list", "--config", config.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no database at " + dir.resolve("state/bouncewatch.db"), "has not run");
        assertThat(Files.exists(dir.resolve("state/bouncewatch.db"))).as("a list creates nothing").isFalse();
    }

    @Test
    void aBadConfigIsReportedWithItsLine() throws Exception {
        Files.writeString(config, "stateDir: state\nnotify:\n  webhooks:\n    - {name: crm, url: \"http://x.example/\", secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw}\n");
        Run r = run("outbox", "list", "--config", config.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("agent.yml:4:", "notify.webhooks[0].url: plain http");
    }
}
