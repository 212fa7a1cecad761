package dev.bouncewatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bouncewatch config check|defaults}, run in process through the main command. */
class ConfigCommandTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        CommandLine cli = new CommandLine(new BouncewatchCommand());
        ConfigCheckCommand check = cli.getSubcommands().get("config").getSubcommands().get("check").getCommand();
        check.environment = env::get;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = cli.setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Run run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void aValidConfigPrintsTheSummaryAndExitsZero() throws IOException {
        Path config = Files.writeString(dir.resolve("agent.yml"), "stateDir: /srv/bw\nhttp: {token: {env: BW_TOKEN}}\n");
        Run r = run(Map.of("BW_TOKEN", TOKEN), "config", "check", config.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith(config + " is valid: config " + config + "; sources auto, sink 127.0.0.1:2525")
                .contains("http 127.0.0.1:9325 token from env:BW_TOKEN", "state /srv/bw").doesNotContain(TOKEN);
        assertThat(r.out().lines()).hasSize(1);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void warningsArePrintedButTheConfigIsValid() throws IOException {
        Path config = Files.writeString(dir.resolve("agent.yml"), "sources: [{type: auto}]\nhttp: {listen: 0.0.0.0:9325}\n");
        Run r = run("config", "check", config.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEqualTo("warning: " + config + ":2:16: http.listen: the API on 0.0.0.0:9325 can be reached from"
                + " other hosts and has no token: anyone who can connect reads recipient addresses; set http.token or listen on"
                + " 127.0.0.1" + System.lineSeparator());
    }

    @Test
    void anInvalidConfigPrintsEveryProblemAndExitsTwo() throws IOException {
        Path config = Files.writeString(dir.resolve("agent.yml"), """
                stateDri: /srv/bw
                http:
                  token: {env: BW_TOKEN}
                retention:
                  results: forever
                """);
        Run r = run("config", "check", config.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).containsExactly(
                config + ": 3 problems:",
                "  " + config + ":1:1: stateDri: unknown key 'stateDri' (did you mean stateDir?); expected one of: stateDir,"
                        + " sources, http, retention, suppression, rules, notify",
                "  " + config + ":3:16: http.token.env: environment variable BW_TOKEN is not set",
                "  " + config + ":5:12: retention.results: expected a duration like 250ms, 30s, 5m, 1h, 30d, 2w or 1h30m, got 'forever'");
    }

    @Test
    void aMissingFileIsAProblemToo() {
        Path missing = dir.resolve("nope.yml");
        Run r = run("config", "check", missing.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(missing + ":0:0: cannot read the config: no such file");
    }

    @Test
    void brokenRuleFilesAndScenariosNamedByTheConfigAreReported() throws IOException {
        Files.writeString(dir.resolve("rules.yml"), "this is: [not a rule file\n");
        Files.writeString(dir.resolve("scenario.yml"), "rules:\n  - id: x\n    when: {stage: nowhere}\n    then: {reply: \"550 no\"}\n");
        Path config = Files.writeString(dir.resolve("agent.yml"),
                "rules: [rules.yml]\nsources:\n  - {type: sink, listen: 127.0.0.1:0, scenario: scenario.yml}\n");
        Run r = run("config", "check", config.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith(config + ": 2 problems in files it names:")
                .contains(dir.resolve("rules.yml").toString(), dir.resolve("scenario.yml") + ":3:")
                .contains("unknown stage 'nowhere'");
    }

    @Test
    void defaultsPrintsThePackagedConfig() {
        Run r = run("config", "defaults");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(ConfigLoader.packagedConfigText()).contains("stateDir: /var/lib/bouncewatch");
    }

    @Test
    void thePrintedDefaultsPassTheCheck() throws IOException {
        Path config = Files.writeString(dir.resolve("agent.yml"), run("config", "defaults").out());
        Run r = run("config", "check", config.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("sources auto;", "state /var/lib/bouncewatch");
    }

    @Test
    void configAloneShowsItsSubcommands() {
        Run r = run("config");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("check", "defaults");
    }
}
