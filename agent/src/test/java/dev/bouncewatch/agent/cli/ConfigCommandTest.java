package dev.bouncewatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.config.ConfigLoader;
import dev.bouncewatch.agent.source.SourceDetector;
import dev.bouncewatch.agent.source.UnixAccount;
import dev.bouncewatch.agent.source.UnixNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
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

    /** A fake host: its /var/log/mail.log (readable), /etc/passwd and /etc/group. */
    private Path host() throws IOException {
        Path host = dir.resolve("host");
        if (!Files.isDirectory(host)) {
            // JUnit makes its temp directory 0700: a user other than the owner could not enter it
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createDirectories(host.resolve("var/log"));
            Files.createDirectories(host.resolve("etc"));
            Files.writeString(host.resolve("var/log/mail.log"), "");
            Files.writeString(host.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
            Files.writeString(host.resolve("etc/group"), "root:x:0:\n");
        }
        return host;
    }

    private Run run(Map<String, String> env, String... args) throws IOException {
        Path host = host();
        CommandLine cli = new CommandLine(new BouncewatchCommand());
        ConfigCheckCommand check = cli.getSubcommands().get("config").getSubcommands().get("check").getCommand();
        check.environment = env::get;
        check.detector = new SourceDetector(host, command -> Optional.empty());
        check.names = UnixNames.under(host);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = cli.setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Run run(String... args) throws IOException {
        return run(Map.of(), args);
    }

    @Test
    void aValidConfigPrintsTheSummaryAndExitsZero() throws IOException {
        Path config = Files.writeString(dir.resolve("agent.yml"), "stateDir: /srv/bw\nhttp: {token: {env: BW_TOKEN}}\n");
        Run r = run(Map.of("BW_TOKEN", TOKEN), "config", "check", config.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith(config + " is valid: config " + config + "; sources auto, sink 127.0.0.1:2525")
                .contains("http 127.0.0.1:9325 token from env:BW_TOKEN", "state /srv/bw").doesNotContain(TOKEN);
        assertThat(r.out().lines()).hasSize(4);
        assertThat(r.out().lines().skip(1)).containsExactly("sources, as user " + whoRuns() + ":",
                "  " + host().resolve("var/log/mail.log") + ": readable", "  sink on 127.0.0.1:2525: nothing to read");
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

    /** The name config check reports when no --user is given: this test's user, or root. */
    private String whoRuns() throws IOException {
        UnixAccount me = UnixAccount.current(Path.of("/proc/self/status"), UnixNames.under(host())).orElseThrow();
        return me.name();
    }

    /**
     * The group of a file, moved off root's group when the test runs as root (as CI does): a log
     * owned by group root asks for another fix than one owned by group adm.
     */
    private static int nonRootGroup(Path file) throws IOException {
        int gid = (Integer) Files.getAttribute(file, "unix:gid");
        if (gid == 0) {
            Files.setAttribute(file, "unix:gid", 4000);
            gid = 4000;
        }
        return gid;
    }

    /** A user of the fake host, in the given groups; gid 4243 is its own primary group. */
    private void addUser(String name, String groupLines) throws IOException {
        Files.writeString(host().resolve("etc/passwd"), name + ":x:4242:4243::/nonexistent:/usr/sbin/nologin\n",
                StandardOpenOption.APPEND);
        Files.writeString(host().resolve("etc/group"), "bw:x:4243:\n" + groupLines, StandardOpenOption.APPEND);
    }

    @Test
    void aMailLogTheAgentsUserCannotReadIsAProblemNamingTheGroupToJoin() throws IOException {
        Path log = host().resolve("var/log/mail.log");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-r-----"));
        int fileGroup = nonRootGroup(log);
        addUser("bouncewatch", "adm:x:" + fileGroup + ":\n");
        Path config = Files.writeString(dir.resolve("agent.yml"), "sources: [{type: auto}]\n");

        Run r = run("config", "check", "--user", "bouncewatch", config.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("sources, as user bouncewatch:");
        assertThat(r.err()).contains("  problem: " + log + " is ", ":adm rw-r-----: user bouncewatch (groups bw)"
                + " cannot read it; fix: sudo usermod -aG adm bouncewatch, then restart the agent");
    }

    @Test
    void joiningTheLogsGroupMakesItReadable() throws IOException {
        Path log = host().resolve("var/log/mail.log");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-r-----"));
        int fileGroup = nonRootGroup(log);
        addUser("bouncewatch", "adm:x:" + fileGroup + ":syslog,bouncewatch\n");
        Path config = Files.writeString(dir.resolve("agent.yml"), "sources: [{type: auto}]\n");

        Run r = run("config", "check", "--user", "bouncewatch", config.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("  " + log + ": readable");
    }

    @Test
    void aLogWhoseGroupMayNotReadItAsksForAGroupReadableLog() throws IOException {
        Path log = host().resolve("var/log/mail.log");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-------"));
        addUser("bouncewatch", "");
        Path config = Files.writeString(dir.resolve("agent.yml"), "sources: [{type: auto}]\n");

        Run r = run("config", "check", "--user", "bouncewatch", config.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("cannot read it; fix: give it to a group the user is in, e.g. sudo chgrp adm "
                + log + " && sudo chmod g+r " + log + " && sudo usermod -aG adm bouncewatch");
    }

    @Test
    void aDirectoryOnTheWayThatTheUserCannotEnterIsNamed() throws IOException {
        Path logs = Files.createDirectories(host().resolve("srv/logs"));
        Path log = Files.writeString(logs.resolve("mail.log"), "");
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxr-x---"));
        nonRootGroup(logs);
        addUser("bouncewatch", "");
        Path config = Files.writeString(dir.resolve("agent.yml"), "sources: [{type: file, path: " + log + "}]\n");

        Run r = run("config", "check", "--user", "bouncewatch", config.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("problem: directory " + logs + " (on the way to " + log + ") is ", "user bouncewatch (groups bw)"
                + " cannot enter it; fix: sudo usermod -aG ");
    }

    @Test
    void theJournalNeedsTheSystemdJournalGroup() throws IOException {
        addUser("bouncewatch", "systemd-journal:x:4300:\nadm:x:4301:\n");
        Path config = Files.writeString(dir.resolve("agent.yml"), "sources: [{type: journal}]\n");

        Run r = run("config", "check", "--user", "bouncewatch", config.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("problem: journal: user bouncewatch (groups bw) is not in group systemd-journal or adm:"
                + " journalctl shows it only its own entries, none of the MTA's; fix: sudo usermod -aG systemd-journal"
                + " bouncewatch, then restart the agent");

        Files.writeString(host().resolve("etc/group"), "bw:x:4243:\nsystemd-journal:x:4300:bouncewatch\n");
        Run joined = run("config", "check", "--user", "bouncewatch", config.toString());
        assertThat(joined.exit()).isZero();
        assertThat(joined.out()).contains("  journal: readable");
    }

    @Test
    void anUnknownUserIsAProblem() throws IOException {
        Path config = Files.writeString(dir.resolve("agent.yml"), "sources: [{type: auto}]\n");
        Run r = run("config", "check", "--user", "nobody-here", config.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--user nobody-here: no such user in /etc/passwd");
    }

    @Test
    void aMissingFileIsAProblemToo() throws IOException {
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
    void defaultsPrintsThePackagedConfig() throws IOException {
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
    void configAloneShowsItsSubcommands() throws IOException {
        Run r = run("config");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("check", "defaults");
    }
}
