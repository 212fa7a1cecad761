package dev.bouncewatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.config.AlertsConfig;
import dev.bouncewatch.agent.notify.alert.AgentHealthBoard;
import dev.bouncewatch.agent.notify.alert.AlertEngine;
import dev.bouncewatch.agent.store.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** bouncewatch alerts list|mute|unmute against a real database found through --config. */
class AlertsCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new BouncewatchCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path config() throws Exception {
        Path state = dir.resolve("state");
        Path file = dir.resolve("agent.yml");
        Files.writeString(file, "stateDir: " + state + "\nsources:\n  - {type: auto}\n");
        return file;
    }

    @Test
    void muteListUnmute() throws Exception {
        Path config = config();
        try (Store store = Store.open(dir.resolve("state/bouncewatch.db"))) {
            AgentHealthBoard board = new AgentHealthBoard(Clock.systemUTC());
            board.paused("ops-slack", "HTTP 404 no_service");
            new AlertEngine(store, AlertsConfig.defaults(), List.of(), board, "mx1", Clock.systemUTC(), () -> { }).evaluate();
        }
        Run mute = run("alerts", "mute", "deferral_spike", "--scope", "provider=microsoft", "--for", "2h", "--reason",
                "ticket 4711", "--config", config.toString());
        assertThat(mute.exit()).as(mute.err()).isZero();
        assertThat(mute.out()).startsWith("muted deferral_spike for provider=microsoft until ");

        Run list = run("alerts", "list", "--config", config.toString());
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("GROUP", "notifier_paused/destination=ops-slack", "firing", "critical",
                "MUTED RULE", "deferral_spike", "provider=microsoft", "ticket 4711");

        Run unmute = run("alerts", "unmute", "deferral_spike", "--scope", "provider=microsoft", "--config", config.toString());
        assertThat(unmute.exit()).isZero();
        assertThat(run("alerts", "list", "--config", config.toString()).out()).contains("No mutes.");
        Run again = run("alerts", "unmute", "deferral_spike", "--scope", "provider=microsoft", "--config", config.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("no mute of deferral_spike for provider=microsoft");
    }

    @Test
    void mistakesAreExplained() throws Exception {
        Path config = config();
        Run missing = run("alerts", "list", "--config", config.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("bouncewatch.db does not exist: has the agent run");

        Store.open(dir.resolve("state/bouncewatch.db")).close();
        Run unknown = run("alerts", "mute", "bounce_rate", "--for", "1h", "--config", config.toString());
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown rule 'bounce_rate'; rules are: ", "bounce_rate_sender");
        Run badDuration = run("alerts", "mute", "blocklisted", "--for", "soon", "--config", config.toString());
        assertThat(badDuration.exit()).isEqualTo(1);
        assertThat(badDuration.err()).startsWith("--for: ");
        Run badScope = run("alerts", "mute", "blocklisted", "--scope", "spamhaus", "--for", "1h", "--config", config.toString());
        assertThat(badScope.exit()).isEqualTo(1);
        assertThat(badScope.err()).contains("a scope is key=value");
        Run noFor = run("alerts", "mute", "blocklisted", "--config", config.toString());
        assertThat(noFor.exit()).isEqualTo(2); // picocli: missing required option
        assertThat(noFor.err()).contains("--for");
    }

    @Test
    void controlCharactersInScopesAreNotPrinted() {
        assertThat(TerminalText.safe("evil\u001b]0;pwned\u0007.example\u202e")).isEqualTo("evil?]0;pwned?.example?");
    }
}
