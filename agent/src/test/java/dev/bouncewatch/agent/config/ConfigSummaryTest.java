package dev.bouncewatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one start-up log line. */
class ConfigSummaryTest {

    @TempDir
    Path dir;

    @Test
    void defaultsInOneLine() {
        AgentConfig d = AgentConfig.defaults();
        assertThat(d.summary()).isEqualTo("config built-in defaults; sources auto, sink 127.0.0.1:2525 (built-in scenario);"
                + " http 127.0.0.1:9325 without token; state " + d.stateDir() + "; retention 30d (delivered 30d), max 1GiB,"
                + " pruned every 1h; suppression userunknown/hostunknown/hasmoved/notaccept at first, suspend 2 in 14d,"
                + " mailboxfull 3 in 14d, filtered 2 in 7d (never for 23 categories); notify console");
    }

    @Test
    void everyPartOfAFullConfig() throws ConfigException, java.io.IOException {
        java.nio.file.Files.writeString(dir.resolve("scenario.yml"), "rules: []\n");
        String yaml = """
                stateDir: /var/lib/bouncewatch
                sources:
                  - {type: file, path: /var/log/mail.log, format: exim}
                  - {type: journal, units: [postfix@-.service], identifiers: [postfix/smtp], directory: /var/log/journal}
                  - {type: sink, listen: "[::1]:2525", scenario: scenario.yml}
                http: {listen: 127.0.0.1:8080, token: {env: BW}}
                retention: {results: 90d, delivered: 7d, maxDatabase: 500MB, pruneInterval: 30m}
                suppression: {rules: {userunknown: {failures: 1}, mailboxfull: {failures: 5, window: 30d}}, never: []}
                notify: {console: false}
                """;
        AgentConfig c = new ConfigLoader(Map.of("BW", "0123456789abcdef0123456789abcdef")::get).parse(yaml, "/etc/bw.yml", dir).config();
        assertThat(c.summary()).isEqualTo("config /etc/bw.yml; sources file /var/log/mail.log (exim), journal in /var/log/journal"
                + " (postfix@-.service postfix/smtp), sink [::1]:2525 (scenario " + dir.resolve("scenario.yml") + "); http 127.0.0.1:8080 token from env:BW;"
                + " state /var/lib/bouncewatch; retention 90d (delivered 7d), max 500MB, pruned every 30m;"
                + " suppression userunknown at first, mailboxfull 5 in 30d; notify nowhere")
                .doesNotContain("0123456789abcdef");
    }

    @Test
    void offSwitchesAndNoRules() throws ConfigException {
        AgentConfig c = new ConfigLoader(n -> null).parse("http: {enabled: false}\nsuppression: {enabled: false}\n", "x", dir).config();
        assertThat(c.summary()).contains("; http off;", "; suppression off;");
        AgentConfig noRules = new ConfigLoader(n -> null).parse("suppression: {rules: , never: []}\n", "x", dir).config();
        assertThat(noRules.summary()).contains("; suppression without rules;");
    }

    @Test
    void controlCharactersInPathsAreEscapedSoTheSummaryStaysOneLine() throws ConfigException {
        AgentConfig c = new ConfigLoader(n -> null).parse("stateDir: \"/srv/a\\nINFO forged line\"\n", "x", dir).config();
        assertThat(c.summary()).doesNotContain("\n").contains("state /srv/a\\x0aINFO forged line;");
    }
}
