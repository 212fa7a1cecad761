package dev.bouncewatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bouncewatch.agent.parse.MtaChoice;
import dev.bouncewatch.testmta.yaml.YamlProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the agent's YAML config: every key, defaults for what is left out, and every error with its place. */
class ConfigLoaderTest {

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(Map.of("BW_TOKEN", "0123456789abcdef0123456789abcdef")::get);

    private LoadedConfig parse(String yaml) throws ConfigException {
        return loader.parse(yaml, "agent.yml", dir);
    }

    /** The problems of a config that must fail, as file:line:column: key: message lines. */
    private List<String> problems(String yaml) {
        ConfigException e = catchThrowableOfType(() -> parse(yaml), ConfigException.class);
        assertThat(e).as("expected problems in:%n%s", yaml).isNotNull();
        return e.problems().stream().map(YamlProblem::toString).toList();
    }

    private List<String> warnings(String yaml) throws ConfigException {
        return parse(yaml).warnings().stream().map(YamlProblem::toString).toList();
    }

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    // ---- defaults

    @Test
    void emptyTextIsTheZeroConfigDefaults() throws ConfigException {
        for (String empty : List.of("", "# only a comment\n", "---\n")) {
            AgentConfig c = parse(empty).config();
            AgentConfig d = AgentConfig.defaults();
            assertThat(c.sources()).isEqualTo(d.sources());
            assertThat(c.http()).isEqualTo(d.http());
            assertThat(c.stateDir()).isEqualTo(d.stateDir());
            assertThat(c.origin()).isEqualTo("agent.yml");
        }
    }

    @Test
    void zeroConfigDefaults() {
        AgentConfig d = AgentConfig.defaults();
        assertThat(d.stateDir()).isEqualTo(Path.of("bouncewatch-state").toAbsolutePath());
        assertThat(d.sources()).containsExactly(new SourceConfig.Auto(Duration.ofMillis(250)),
                new SourceConfig.Sink(ConfigValues.parseHostPort("127.0.0.1:2525"), null));
        assertThat(d.http().enabled()).isTrue();
        assertThat(ConfigValues.formatHostPort(d.http().listen())).isEqualTo("127.0.0.1:9325");
        assertThat(d.http().token()).isNull();
        assertThat(d.retention()).isEqualTo(new RetentionConfig(Duration.ofDays(30), 1L << 30, Duration.ofHours(1), Duration.ofDays(30)));
        assertThat(d.suppression().enabled()).isTrue();
        assertThat(d.suppression().rules()).containsEntry("userunknown", new SuppressionConfig.Rule(1, Duration.ZERO))
                .containsEntry("hostunknown", SuppressionConfig.Rule.atFirst())
                .containsEntry("hasmoved", SuppressionConfig.Rule.atFirst())
                .containsEntry("notaccept", SuppressionConfig.Rule.atFirst())
                .containsEntry("suspend", new SuppressionConfig.Rule(2, Duration.ofDays(14)))
                .containsEntry("mailboxfull", new SuppressionConfig.Rule(3, Duration.ofDays(14)))
                .containsEntry("filtered", new SuppressionConfig.Rule(2, Duration.ofDays(7)))
                .hasSize(7);
        assertThat(d.suppression().never()).containsExactly("blocked", "badreputation", "spamdetected", "virusdetected",
                "policyviolation", "contenterror", "notcompliantrfc", "authfailure", "requireptr", "rejected", "norelaying",
                "securityerror", "failedstarttls", "speeding", "toomanyconn", "mesgtoobig", "exceedlimit", "syntaxerror",
                "networkerror", "systemerror", "systemfull", "mailererror", "expired");
        assertThat(d.ruleFiles()).isEmpty();
        assertThat(d.notifications().console()).isTrue();
        assertThat(d.origin()).isEqualTo(AgentConfig.BUILT_IN);
        assertThat(d.databaseFile()).isEqualTo(d.stateDir().resolve("bouncewatch.db"));
    }

    @Test
    void defaultCategoriesAreRealCategoryNames() {
        SuppressionConfig d = SuppressionConfig.defaults();
        for (String name : d.rules().keySet()) {
            assertThat(dev.bouncewatch.agent.classify.Category.fromWireName(name)).map(c -> c.wireName()).contains(name);
        }
        for (String name : d.never()) {
            assertThat(dev.bouncewatch.agent.classify.Category.fromWireName(name)).map(c -> c.wireName()).contains(name);
        }
    }

    @Test
    void someKeysGetDefaultsForTheRest() throws ConfigException {
        AgentConfig c = parse("""
                stateDir: /srv/bw
                http:
                  token: {env: BW_TOKEN}
                retention:
                  results: 7d
                suppression:
                  enabled: false
                """).config();
        assertThat(c.stateDir()).isEqualTo(Path.of("/srv/bw"));
        assertThat(c.sources()).isEqualTo(AgentConfig.defaults().sources());
        assertThat(c.http().enabled()).isTrue();
        assertThat(c.http().listen()).isEqualTo(HttpConfig.DEFAULT_LISTEN);
        assertThat(c.http().token().reveal()).isEqualTo("0123456789abcdef0123456789abcdef");
        // delivered follows results unless given
        assertThat(c.retention()).isEqualTo(new RetentionConfig(Duration.ofDays(7), 1L << 30, Duration.ofHours(1), Duration.ofDays(7)));
        assertThat(c.suppression().enabled()).isFalse();
        assertThat(c.suppression().rules()).isEqualTo(SuppressionConfig.defaults().rules());
        assertThat(c.notifications()).isEqualTo(NotifyConfig.defaults());
    }

    @Test
    void emptySectionsKeepTheirDefaults() throws ConfigException {
        AgentConfig c = parse("http:\nretention:\nsuppression:\nnotify:\nrules:\n").config();
        assertThat(c.http()).isEqualTo(HttpConfig.defaults());
        assertThat(c.retention()).isEqualTo(RetentionConfig.defaults());
        assertThat(c.suppression()).isEqualTo(SuppressionConfig.defaults());
        assertThat(c.notifications()).isEqualTo(NotifyConfig.defaults());
        assertThat(c.ruleFiles()).isEmpty();
    }

    @Test
    void aSourcesListReplacesTheDefaultSources() throws ConfigException {
        AgentConfig c = parse("sources:\n  - type: auto\n").config();
        assertThat(c.sources()).containsExactly(SourceConfig.Auto.defaults());
    }

    // ---- every key

    @Test
    void everySourceKey() throws IOException, ConfigException {
        file("scenarios/staging.yml", "rules: []\n");
        Path log = file("logs/mail.log", "");
        AgentConfig c = parse("""
                sources:
                  - type: file
                    path: logs/mail.log
                    format: Postfix
                    pollInterval: 1s
                  - type: file
                    path: /var/log/exim4/mainlog
                  - type: journal
                    units: [postfix@-.service, exim4.service]
                    identifiers: postfix/smtp
                    journalctl: bin/journalctl
                    directory: journal
                  - type: journal
                    directory: /var/log/journal
                  - type: sink
                    listen: "[::1]:2526"
                    scenario: scenarios/staging.yml
                  - type: sink
                    listen: 127.0.0.1:0
                  - type: auto
                    pollInterval: 100ms
                """).config();
        assertThat(c.sources()).containsExactly(
                new SourceConfig.File(log, MtaChoice.POSTFIX, Duration.ofSeconds(1)),
                new SourceConfig.File(Path.of("/var/log/exim4/mainlog"), MtaChoice.AUTO, Duration.ofMillis(250)),
                new SourceConfig.Journal(List.of("postfix@-.service", "exim4.service"), List.of("postfix/smtp"),
                        dir.resolve("bin/journalctl").toString(), dir.resolve("journal")),
                new SourceConfig.Journal(SourceConfig.Journal.DEFAULT_UNITS, List.of(), "journalctl", Path.of("/var/log/journal")),
                new SourceConfig.Sink(ConfigValues.parseHostPort("[::1]:2526"), dir.resolve("scenarios/staging.yml")),
                new SourceConfig.Sink(ConfigValues.parseHostPort("127.0.0.1:0"), null),
                new SourceConfig.Auto(Duration.ofMillis(100)));
    }

    @Test
    void everyOtherKey() throws IOException, ConfigException {
        Path rules1 = file("rules/local.yml", "rules: []\n");
        Path rules2 = file("more.yml", "rules: []\n");
        AgentConfig c = parse("""
                stateDir: state
                sources: [{type: auto}]
                http:
                  enabled: false
                  listen: 0.0.0.0:8080
                  token: {env: BW_TOKEN}
                retention:
                  results: 90d
                  delivered: 7d
                  maxDatabase: 512MiB
                  pruneInterval: 15m
                suppression:
                  enabled: true
                  rules:
                    userunknown: {failures: 1}
                    ratelimited: {failures: 5, window: 1d}
                    mailboxfull: {failures: 4, window: 2w}
                  never: [blocked, spamdetected]
                rules:
                  - rules/local.yml
                  - more.yml
                notify:
                  console: false
                """).config();
        assertThat(c.stateDir()).isEqualTo(dir.resolve("state"));
        assertThat(c.http().enabled()).isFalse();
        assertThat(ConfigValues.formatHostPort(c.http().listen())).isEqualTo("0.0.0.0:8080");
        assertThat(c.http().token().origin()).isEqualTo("env:BW_TOKEN");
        assertThat(c.retention()).isEqualTo(new RetentionConfig(Duration.ofDays(90), 512L << 20, Duration.ofMinutes(15), Duration.ofDays(7)));
        // ratelimited is the newer Sisimai name: stored under the classifier's name
        assertThat(c.suppression().rules()).containsExactly(
                Map.entry("userunknown", SuppressionConfig.Rule.atFirst()),
                Map.entry("speeding", new SuppressionConfig.Rule(5, Duration.ofDays(1))),
                Map.entry("mailboxfull", new SuppressionConfig.Rule(4, Duration.ofDays(14))));
        assertThat(c.suppression().never()).containsExactly("blocked", "spamdetected");
        assertThat(c.ruleFiles()).containsExactly(rules1, rules2);
        assertThat(c.notifications().console()).isFalse();
        assertThat(c.notifications().destinationNames()).isEmpty();
    }

    @Test
    void aSingleRuleFileNeedNotBeAList() throws IOException, ConfigException {
        Path rules = file("local.yml", "rules: []\n");
        assertThat(parse("rules: local.yml\n").config().ruleFiles()).containsExactly(rules);
        assertThat(parse("rules: []\n").config().ruleFiles()).isEmpty();
    }

    @Test
    void emptyRulesOrNeverMeanNone() throws ConfigException {
        SuppressionConfig s = parse("suppression:\n  rules:\n  never: []\n").config().suppression();
        assertThat(s.rules()).isEmpty();
        assertThat(s.never()).isEmpty();
    }

    @Test
    void loadResolvesRelativePathsAgainstTheConfigFilesDirectory() throws IOException, ConfigException {
        Path etc = dir.resolve("etc/bouncewatch");
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("rules.yml"), "rules: []\n");
        Path config = Files.writeString(etc.resolve("agent.yml"), """
                stateDir: ../../var/lib/bouncewatch
                sources:
                  - {type: file, path: mail.log}
                rules: [rules.yml]
                """);
        AgentConfig c = loader.load(config).config();
        assertThat(c.stateDir()).isEqualTo(dir.resolve("var/lib/bouncewatch"));
        assertThat(((SourceConfig.File) c.sources().get(0)).path()).isEqualTo(etc.resolve("mail.log"));
        assertThat(c.ruleFiles()).containsExactly(etc.resolve("rules.yml"));
        assertThat(c.origin()).isEqualTo(config.toString());
    }

    @Test
    void loadOrDefaultsWithoutAFileIsTheBuiltInConfig() throws ConfigException {
        assertThat(loader.loadOrDefaults(null).config().origin()).isEqualTo(AgentConfig.BUILT_IN);
    }

    // ---- errors, each with its place

    @Test
    void unknownKeysSuggestTheNearestKnownOne() {
        assertThat(problems("stateDri: /x\nhttp:\n  listn: 127.0.0.1:1\nretention:\n  result: 1d\n")).containsExactly(
                "agent.yml:1:1: stateDri: unknown key 'stateDri' (did you mean stateDir?); expected one of: stateDir, sources,"
                        + " http, retention, suppression, rules, notify",
                "agent.yml:3:3: http.listn: unknown key 'listn' (did you mean listen?); expected one of: enabled, listen, token",
                "agent.yml:5:3: retention.result: unknown key 'result' (did you mean results?); expected one of: results,"
                        + " delivered, maxDatabase, pruneInterval");
    }

    @Test
    void aKeyOfAnotherSourceTypeIsUnknownHere() {
        assertThat(problems("sources:\n  - type: file\n    path: /var/log/mail.log\n    units: [postfix.service]\n"))
                .containsExactly("agent.yml:4:5: sources[0].units: unknown key 'units'; expected one of: type, path, format, pollInterval");
    }

    @Test
    void wrongTypes() {
        assertThat(problems("""
                stateDir: [a, b]
                sources: {type: auto}
                http: on
                retention:
                  results: {days: 3}
                suppression:
                  enabled: yes
                notify: [console]
                """)).containsExactly(
                "agent.yml:1:11: stateDir: expected a text value but found a list",
                "agent.yml:2:10: sources: expected a list of sources (lines starting with '- type: ...') but found a mapping;"
                        + " leave the key out for the defaults (auto and the sink)",
                "agent.yml:3:7: http: expected a mapping (key: value lines) but found 'on'",
                "agent.yml:5:12: retention.results: expected a text value but found a mapping",
                "agent.yml:7:12: suppression.enabled: expected true or false but found 'yes'",
                "agent.yml:8:9: notify: expected a mapping (key: value lines) but found a list");
    }

    @Test
    void badValues() {
        assertThat(problems("""
                sources:
                  - {type: file, path: /var/log/mail.log, format: postfx, pollInterval: 30}
                  - {type: sink, listen: "::1:2525"}
                  - {type: journal, units: ["bad unit"], identifiers: ["a=b"]}
                  - {type: auto, pollInterval: 1ms}
                http:
                  listen: 127.0.0.1:70000
                retention:
                  results: 30x
                  delivered: 10m
                  maxDatabase: 1XB
                  pruneInterval: 2d
                """)).containsExactly(
                "agent.yml:2:51: sources[0].format: unknown value 'postfx' (did you mean postfix?); expected one of: auto,"
                        + " postfix, exim, sendmail, opensmtpd",
                "agent.yml:2:73: sources[0].pollInterval: expected a duration like 250ms, 30s, 5m, 1h, 30d, 2w or 1h30m"
                        + " (a number needs a unit), got '30'",
                "agent.yml:3:26: sources[1].listen: IPv6 addresses go in brackets, e.g. [::1]:9325; got '::1:2525'",
                "agent.yml:4:29: sources[2].units: expected a systemd unit name like postfix@-.service, got 'bad unit'",
                "agent.yml:4:56: sources[2].identifiers: expected a syslog identifier like postfix/smtp, got 'a=b'",
                "agent.yml:5:32: sources[3].pollInterval: expected a duration from 10ms to 10m, got '1ms'",
                "agent.yml:7:11: http.listen: expected a port from 0 to 65535 after the colon, got '127.0.0.1:70000'",
                "agent.yml:9:12: retention.results: expected a duration like 250ms, 30s, 5m, 1h, 30d, 2w or 1h30m, got '30x'",
                "agent.yml:10:14: retention.delivered: expected a duration from 1h to 3660d, got '10m'",
                "agent.yml:11:16: retention.maxDatabase: expected a size like 512MiB, 1GiB, 1GB or 1048576 (bytes), got '1XB'",
                "agent.yml:12:18: retention.pruneInterval: expected a duration from 1s to 1d, got '2d'");
    }

    @Test
    void sourceEntryMistakes() {
        assertThat(problems("""
                sources:
                  - type: fil
                  - path: /var/log/mail.log
                  - type: file
                    format: postfix
                  - /var/log/mail.log
                  - type: sink
                    scenario: missing.yml
                  - type: file
                    path: ""
                """)).containsExactly(
                "agent.yml:2:11: sources[0].type: unknown source type 'fil' (did you mean file?); expected one of: file, journal, sink, auto",
                "agent.yml:3:5: sources[1].type: missing; expected one of: file, journal, sink, auto",
                "agent.yml:4:5: sources[2].path: missing; expected the log file to follow, e.g. path: /var/log/mail.log",
                "agent.yml:6:5: sources[3]: expected a source (a mapping with 'type: file', 'journal', 'sink' or 'auto') but found '/var/log/mail.log'",
                "agent.yml:8:15: sources[4].scenario: no such file " + dir.resolve("missing.yml")
                        + " (leave the key out for the built-in scenario)",
                "agent.yml:10:11: sources[5].path: expected a path but the value is empty");
    }

    @Test
    void emptySourcesAreAnError() {
        assertThat(problems("sources: []\n")).containsExactly(
                "agent.yml:1:10: sources: the list is empty; give at least one source or leave the key out for the defaults");
        assertThat(problems("sources:\n")).singleElement().asString().startsWith("agent.yml:1:9: sources: expected a list of sources");
    }

    @Test
    void duplicateSourcesNameTheFirstOne() {
        assertThat(problems("""
                sources:
                  - {type: file, path: /var/log/mail.log}
                  - {type: auto}
                  - {type: file, path: /var/log/../log/mail.log}
                  - {type: auto, pollInterval: 1s}
                  - {type: sink, listen: 127.0.0.1:2525}
                  - {type: sink, listen: 0.0.0.0:2525}
                  - {type: sink, listen: 127.0.0.1:0}
                  - {type: sink, listen: 127.0.0.1:0}
                  - {type: journal, units: [postfix@-.service]}
                  - {type: journal, units: [exim4.service, postfix@-.service]}
                  - {type: journal, units: [postfix@-.service], directory: /tmp}
                """)).containsExactly(
                "agent.yml:4:5: sources[2]: duplicate source: file /var/log/mail.log is already in sources[0] (line 2);"
                        + " each line would be counted twice",
                "agent.yml:5:5: sources[3]: duplicate source: type auto is already in sources[1] (line 3); each line would be counted twice",
                "agent.yml:7:5: sources[5]: duplicate source: sink port 2525 is already in sources[4] (line 6); each line would be counted twice",
                "agent.yml:11:5: sources[9]: duplicate source: unit postfix@-.service of the system journal is already in"
                        + " sources[8] (line 10); each line would be counted twice");
    }

    @Test
    void duplicateKeysAreReported() {
        assertThat(problems("http:\n  listen: 127.0.0.1:1\n  listen: 127.0.0.1:2\n"))
                .containsExactly("agent.yml:3:3: http.listen: duplicate key; each key may appear once in a mapping");
    }

    @Test
    void suppressionMistakes() {
        assertThat(problems("""
                suppression:
                  rules:
                    userunkown: {failures: 1}
                    mailboxfull: {failures: 3}
                    suspend: {failures: 0, window: 1d}
                    filtered: {window: 1d}
                    delivered: {failures: 1}
                    hasmoved: {failures: 2, window: 30s}
                    speeding: {failures: 2, window: 1d}
                    ratelimited: {failures: 3, window: 1d}
                    blocked: {failures: 1, windw: 1d}
                  never: [spamdetected, speeding, nonsense]
                """)).containsExactly(
                "agent.yml:3:5: suppression.rules.userunkown: unknown category 'userunkown' (did you mean userunknown?);"
                        + " expected one of: userunknown, hostunknown, hasmoved, notaccept, suspend, mailboxfull, filtered,"
                        + " systemfull, mesgtoobig, exceedlimit, blocked, badreputation, spamdetected, virusdetected,"
                        + " policyviolation, contenterror, notcompliantrfc, authfailure, requireptr, rejected, norelaying,"
                        + " securityerror, failedstarttls, speeding, toomanyconn, expired, networkerror, systemerror,"
                        + " mailererror, syntaxerror, onhold, undefined",
                "agent.yml:4:18: suppression.rules.mailboxfull.window: missing; expected the time 3 failures must fall within, e.g. window: 14d",
                "agent.yml:5:25: suppression.rules.suspend.failures: expected a whole number from 1 to 1000 but found '0'",
                "agent.yml:6:15: suppression.rules.filtered.failures: missing; expected how many permanent failures suppress"
                        + " the address, e.g. {failures: 2, window: 14d}",
                "agent.yml:7:5: suppression.rules.delivered: 'delivered' is not a failure, so nothing can be suppressed for it",
                "agent.yml:8:37: suppression.rules.hasmoved.window: expected a duration from 1m to 3660d, got '30s'",
                "agent.yml:10:5: suppression.rules.ratelimited: a rule for speeding is already given (under another name)",
                "agent.yml:11:28: suppression.rules.blocked.windw: unknown key 'windw' (did you mean window?); expected one of: failures, window",
                "agent.yml:12:25: suppression.never: speeding also has a rule in suppression.rules; a category cannot be in both",
                "agent.yml:12:35: suppression.never: unknown category 'nonsense'; expected one of: userunknown, hostunknown,"
                        + " hasmoved, notaccept, suspend, mailboxfull, filtered, systemfull, mesgtoobig, exceedlimit, blocked,"
                        + " badreputation, spamdetected, virusdetected, policyviolation, contenterror, notcompliantrfc,"
                        + " authfailure, requireptr, rejected, norelaying, securityerror, failedstarttls, speeding, toomanyconn,"
                        + " expired, networkerror, systemerror, mailererror, syntaxerror, onhold, undefined");
    }

    @Test
    void aRuleForADefaultNeverCategoryNeedsItsOwnNeverList() {
        assertThat(problems("suppression:\n  rules:\n    blocked: {failures: 1}\n")).containsExactly(
                "agent.yml:3:5: suppression.rules.blocked: blocked is in the default never list (a problem of the sender,"
                        + " not the address); to suppress on it, also give suppression.never without it");
        assertThat(problems("suppression:\n  never: [userunknown]\n")).containsExactly(
                "agent.yml:2:11: suppression.never: userunknown also has a rule in the default suppression.rules (give your"
                        + " own rules without it); a category cannot be in both");
    }

    @Test
    void ruleFileMistakes() throws IOException {
        Files.createDirectories(dir.resolve("adir"));
        file("local.yml", "rules: []\n");
        assertThat(problems("rules: [missing.yml, adir, local.yml, ./local.yml]\n")).containsExactly(
                "agent.yml:1:9: rules[0]: no such rule file " + dir.resolve("missing.yml"),
                "agent.yml:1:22: rules[1]: " + dir.resolve("adir") + " is not a file",
                "agent.yml:1:39: rules[3]: " + dir.resolve("local.yml") + " is listed twice");
    }

    @Test
    void pathMistakes() throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        file("not-a-dir", "");
        assertThat(problems("""
                stateDir: ~/state
                sources:
                  - {type: file, path: logs}
                  - {type: journal, directory: not-a-dir}
                """)).containsExactly(
                "agent.yml:1:11: stateDir: '~' is not expanded; write the full path, e.g. /home/me/state",
                "agent.yml:3:24: sources[0].path: " + dir.resolve("logs") + " is a directory; name the log file in it",
                "agent.yml:4:32: sources[1].directory: " + dir.resolve("not-a-dir") + " is not a directory");
    }

    @Test
    void maxEventAgeDefaultsToADayAndZeroLiftsTheLimit() throws ConfigException {
        assertThat(parse("stateDir: /srv/bw\n").config().notifications().maxEventAge()).isEqualTo(java.time.Duration.ofDays(1));
        assertThat(parse("notify: {maxEventAge: 6h}\n").config().notifications().maxEventAge())
                .isEqualTo(java.time.Duration.ofHours(6));
        assertThat(parse("notify: {maxEventAge: 0s}\n").config().notifications().maxEventAge()).isZero();
        assertThat(problems("notify: {maxEventAge: -1h}\n")).singleElement().asString()
                .startsWith("agent.yml:1:23: notify.maxEventAge: ");
    }

    @Test
    void notifyMistakes() {
        assertThat(problems("notify:\n  console: maybe\n  slak: []\n")).containsExactly(
                "agent.yml:2:12: notify.console: expected true or false but found 'maybe'",
                "agent.yml:3:3: notify.slak: unknown key 'slak' (did you mean slack?); expected one of: console, maxEventAge, webhooks, slack, alerts, digest");
    }

    @Test
    void yamlSyntaxErrorsHaveTheirPlace() {
        assertThat(problems("http:\n  listen: [127.0.0.1:1\nretention: {}\n")).singleElement().asString()
                .startsWith("agent.yml:3:10: YAML syntax: while parsing a flow sequence");
        assertThat(problems("a: b\n\tc: d\n")).singleElement().asString().startsWith("agent.yml:2:1: YAML syntax:");
    }

    @Test
    void aConfigThatIsNotAMapping() {
        assertThat(problems("- type: auto\n")).containsExactly(
                "agent.yml:1:1: a config is a mapping with keys stateDir, sources, http, retention, suppression, rules, notify");
    }

    @Test
    void hugeOrHostileInputIsRefusedWithoutACrash() {
        assertThat(problems("#".repeat(ConfigLoader.MAX_CHARS + 1))).singleElement().asString()
                .contains("longer than a config can be");
        StringBuilder aliases = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 0; i < 100; i++) {
            aliases.append("k").append(i).append(": [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n");
        }
        assertThat(problems(aliases.toString())).isNotEmpty();
        assertThat(problems("[".repeat(20_000))).isNotEmpty();
    }

    @Test
    void garbageGivesProblemsNeverAnotherException() throws IOException {
        java.util.Random random = new java.util.Random(42);
        String alphabet = "ab:-[]{}&*!|>'\"#%@`,? \n\t\u00e9\u0000";
        List<String> inputs = new java.util.ArrayList<>(List.of(
                "Jan 12 10:00:00 mx postfix/smtp[123]: 4Ztq5K0Xz7z9rxM: to=<a@example.org>, status=bounced (550 5.1.1 unknown)\n",
                "{\"stateDir\": \"/x\", \"sources\": [{\"type\": \"auto\"}]}\n",
                "!!binary stateDir: x\n", "stateDir: !!int 5\n", "? [a, b]\n: c\n", "&a stateDir: *a\n"));
        for (int i = 0; i < 300; i++) {
            StringBuilder text = new StringBuilder();
            for (int j = random.nextInt(80); j > 0; j--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            inputs.add(text.toString());
        }
        for (String text : inputs) {
            try {
                parse(text);
            } catch (ConfigException e) {
                assertThat(e.problems()).as(text).isNotEmpty().allSatisfy(p -> assertThat(p.source()).isEqualTo("agent.yml"));
            }
        }
        // the JSON spelling of a config is YAML too
        assertThat(catchThrowableOfType(() -> parse(inputs.get(1)), ConfigException.class)).isNull();
    }

    @Test
    void unreadableFiles() throws IOException {
        Path missing = dir.resolve("nope.yml");
        assertThat(catchThrowableOfType(() -> loader.load(missing), ConfigException.class))
                .hasMessage(missing + ":0:0: cannot read the config: no such file");
        Path latin1 = dir.resolve("latin1.yml");
        Files.write(latin1, "stateDir: /srv/\u00e9t\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(catchThrowableOfType(() -> loader.load(latin1), ConfigException.class))
                .hasMessage(latin1 + ":0:0: not valid UTF-8; save the file as UTF-8");
        assertThat(catchThrowableOfType(() -> loader.load(dir), ConfigException.class))
                .hasMessageStartingWith(dir + ":0:0: cannot read the config");
    }

    // ---- warnings

    @Test
    void anApiOnAPublicAddressWithoutTokenWarns() throws ConfigException {
        assertThat(warnings("http:\n  listen: 0.0.0.0:9325\n")).containsExactly(
                "agent.yml:2:11: http.listen: the API on 0.0.0.0:9325 can be reached from other hosts and has no token:"
                        + " anyone who can connect reads recipient addresses; set http.token or listen on 127.0.0.1");
        assertThat(warnings("http:\n  listen: 0.0.0.0:9325\n  token: {env: BW_TOKEN}\n")).isEmpty();
        assertThat(warnings("http:\n  listen: 0.0.0.0:9325\n  enabled: false\n")).isEmpty();
        assertThat(warnings("http:\n  listen: \"[::1]:9325\"\n")).isEmpty();
    }

    @Test
    void otherWarnings() throws ConfigException {
        assertThat(warnings("""
                sources:
                  - {type: file, path: /nonexistent/mail.log}
                  - {type: sink, listen: 0.0.0.0:2525}
                retention:
                  results: 7d
                  delivered: 30d
                notify:
                  console: false
                """)).containsExactly(
                "agent.yml:2:24: sources[0].path: /nonexistent/mail.log does not exist (yet); the agent waits for it to appear",
                "agent.yml:3:26: sources[1].listen: the test sink on 0.0.0.0:2525 answers anyone who can reach it; keep it on"
                        + " 127.0.0.1 unless a test MTA on another host relays to it",
                "agent.yml:6:14: retention.delivered: delivered (30d) is longer than results (7d), which removes every result"
                        + " first; delivered results are kept 7d",
                "agent.yml:8:3: notify: no destination: notifications are neither printed nor sent");
        assertThat(parse("retention:\n  results: 7d\n  delivered: 30d\n").config().retention().delivered()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void acceptedKeysCoverEverySection() {
        Map<String, java.util.Set<String>> keys = ConfigLoader.acceptedKeys();
        assertThat(keys.get("")).containsExactly("stateDir", "sources", "http", "retention", "suppression", "rules", "notify");
        assertThat(keys).containsKeys("sources.file", "sources.journal", "sources.sink", "sources.auto", "http", "retention",
                "suppression", "suppression.rules.*", "notify", "secret");
    }
}
