package dev.bouncewatch.testmta.scenario;

import static dev.bouncewatch.testmta.scenario.ScenarioTesting.load;
import static dev.bouncewatch.testmta.scenario.ScenarioTesting.problemsOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.testmta.yaml.YamlProblem;
import dev.bouncewatch.testmta.session.Extension;
import dev.bouncewatch.testmta.session.ProtocolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioLoaderTest {

    private static YamlProblem only(String yaml) {
        ScenarioException e = problemsOf(yaml);
        assertThat(e.problems()).as(e.getMessage()).hasSize(1);
        return e.problems().get(0);
    }

    private static final String RULE_HEAD = """
            rules:
              - id: r1
            """;

    @Test
    void loadsEverySectionOfAFullScenario() {
        RuleScenario s = load("""
                version: 1
                description: everything at once
                seed: 42
                protocol:
                  hostname: mx.staging.example
                  advertise: [PIPELINING, SIZE, 8BITMIME, STARTTLS, AUTH, ENHANCEDSTATUSCODES]
                  refuse: [PIPELINING]
                  size_limit: 10MiB
                  max_recipients: 50
                  max_command_line: 1024
                  bare_lf: accept
                  starttls_leftover: close
                  idle_timeout: 5m
                  auth_users: { app: s3cret }
                  require_tls: true
                  require_auth: true
                  max_connections: 20
                  max_connections_per_ip: 5
                  magic_addresses: false
                catalog:
                  my.block: "550 5.7.1 Go away {client_ip}"
                rules:
                  - id: a
                    when: { stage: rcpt, rcpt: "x@*" }
                    then: { reply: "@my.block" }
                  - id: b
                    when: { stage: [mail, rcpt] }
                    then: { delay: 2s }
                """);
        ProtocolOptions p = s.protocol();
        assertThat(p.hostname()).isEqualTo("mx.staging.example");
        assertThat(p.advertised()).contains(Extension.PIPELINING, Extension.EIGHTBITMIME).doesNotContain(Extension.CHUNKING);
        assertThat(p.refused()).containsExactly(Extension.PIPELINING);
        assertThat(p.sizeLimit()).isEqualTo(10L * 1024 * 1024);
        assertThat(p.maxRecipients()).isEqualTo(50);
        assertThat(p.maxCommandLine()).isEqualTo(1024);
        assertThat(p.bareLineFeed()).isEqualTo(ProtocolOptions.BareLineFeedPolicy.ACCEPT);
        assertThat(p.starttlsLeftover()).isEqualTo(ProtocolOptions.StarttlsLeftoverPolicy.CLOSE);
        assertThat(p.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.authUsers()).containsEntry("app", "s3cret");
        assertThat(p.requireTls()).isTrue();
        assertThat(p.requireAuth()).isTrue();
        assertThat(p.maxConnections()).isEqualTo(20);
        assertThat(p.maxConnectionsPerIp()).isEqualTo(5);
        assertThat(p.magicAddresses()).isFalse();
        assertThat(s.seed()).isEqualTo(42);
        assertThat(s.ruleIds()).containsExactly("a", "b");
    }

    @Test
    void absentProtocolKeysKeepDefaults() {
        RuleScenario s = load("protocol: { hostname: other.example }\n");
        ProtocolOptions d = ProtocolOptions.defaults();
        assertThat(s.protocol().hostname()).isEqualTo("other.example");
        assertThat(s.protocol().withAuthUsers(d.authUsers())).isEqualTo(
                new ProtocolOptions("other.example", d.advertised(), d.refused(), d.sizeLimit(), d.maxRecipients(),
                        d.maxCommandLine(), d.bareLineFeed(), d.starttlsLeftover(), d.idleTimeout(), d.authUsers(),
                        d.requireTls(), d.requireAuth(), d.maxConnections(), d.maxConnectionsPerIp(), d.magicAddresses()));
    }

    @Test
    void emptyTextIsTheDefaults() {
        RuleScenario s = load("# nothing but a comment\n");
        assertThat(s.ruleIds()).isEmpty();
        assertThat(s.protocol()).isEqualTo(ProtocolOptions.defaults());
    }

    @Test
    void yamlSyntaxErrorNamesLineAndColumn() {
        YamlProblem p = only("""
                rules:
                  - id: a
                    when: { stage: rcpt
                """);
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.message()).startsWith("YAML syntax:");
        assertThat(p.toString()).startsWith("test.yml:4:");
    }

    @Test
    void unknownTopLevelKeySuggestsTheRightOne() {
        YamlProblem p = only("version: 1\nrulez: []\n");
        assertThat(p.line()).isEqualTo(2);
        assertThat(p.column()).isEqualTo(1);
        assertThat(p.key()).isEqualTo("rulez");
        assertThat(p.message()).contains("unknown key 'rulez'", "did you mean rules?");
    }

    @Test
    void unknownMatcherKeyIsATypo() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: rcpt, rpct: "a@*" }
                    then: { accept: true }
                """);
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.key()).isEqualTo("rules[0].when.rpct");
        assertThat(p.message()).contains("did you mean rcpt?");
    }

    @Test
    void duplicateKeyIsReported() {
        YamlProblem p = only("seed: 1\nseed: 2\n");
        assertThat(p.line()).isEqualTo(2);
        assertThat(p.key()).isEqualTo("seed");
        assertThat(p.message()).contains("duplicate key");
    }

    @Test
    void missingIdIsReported() {
        YamlProblem p = only("""
                rules:
                  - when: { stage: rcpt }
                    then: { accept: true }
                """);
        assertThat(p.line()).isEqualTo(2);
        assertThat(p.key()).isEqualTo("rules[0].id");
        assertThat(p.message()).startsWith("missing");
    }

    @Test
    void duplicateIdNamesTheFirstLine() {
        YamlProblem p = only("""
                rules:
                  - id: same
                    when: { stage: rcpt }
                    then: { accept: true }
                  - id: same
                    when: { stage: mail }
                    then: { accept: true }
                """);
        assertThat(p.line()).isEqualTo(5);
        assertThat(p.key()).isEqualTo("rules[1].id");
        assertThat(p.message()).contains("first used on line 2");
    }

    @Test
    void unknownStageListsTheStages() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: [rcpt, data-end] }
                    then: { accept: true }
                """);
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.key()).isEqualTo("rules[0].when.stage");
        assertThat(p.message()).contains("unknown stage 'data-end'", "data_end");
    }

    @Test
    void missingStageIsReported() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { rcpt: "a@*" }
                    then: { accept: true }
                """);
        assertThat(p.key()).isEqualTo("rules[0].when.stage");
    }

    @Test
    void replyCodeOutOfRange() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: rcpt }
                    then: { reply: "650 5.1.1 nope" }
                """);
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.key()).isEqualTo("rules[0].then.reply");
        assertThat(p.message()).contains("200..599");
    }

    @Test
    void enhancedCodeClassMustMatchReplyCode() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: rcpt }
                    then:
                      reply: { code: 550, esc: 4.1.1, text: "mixed up" }
                """);
        assertThat(p.line()).isEqualTo(5);
        assertThat(p.key()).isEqualTo("rules[0].then.reply.esc");
        assertThat(p.message()).contains("another class");
    }

    @Test
    void replyMappingNeedsACode() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: rcpt }
                    then: { reply: { text: "no code" } }
                """);
        assertThat(p.key()).isEqualTo("rules[0].then.reply.code");
    }

    @Test
    void badDuration() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: rcpt }
                    then: { reply: "451 4.3.0 later", delay: 2 seconds }
                """);
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.key()).isEqualTo("rules[0].then.delay");
        assertThat(p.message()).contains("expected a duration like");
    }

    @Test
    void badCidr() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: connect, client_ip: [192.0.2.0/24, 10.0.0.0/33] }
                    then: { drop: close }
                """);
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.column()).isEqualTo(55);
        assertThat(p.key()).isEqualTo("rules[0].when.client_ip");
        assertThat(p.message()).contains("prefix length", "0..32");
    }

    @Test
    void hostNameIsNotACidr() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: connect, client_ip: mail.example.com }
                    then: { drop: close }
                """);
        assertThat(p.message()).contains("expected an IP address or CIDR block");
    }

    @Test
    void probabilityAboveOne() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: rcpt, p: 5 }
                    then: { reply: "451 4.3.0 later" }
                """);
        assertThat(p.key()).isEqualTo("rules[0].when.p");
        assertThat(p.message()).contains("probability from 0 to 1");
    }

    @Test
    void regexThatDoesNotCompile() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: rcpt, rcpt: "/^bounce-(.*@/" }
                    then: { reply: "550 5.1.1 no" }
                """);
        assertThat(p.key()).isEqualTo("rules[0].when.rcpt");
        assertThat(p.message()).contains("regex does not compile");
    }

    @Test
    void unknownCatalogueName() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: rcpt }
                    then: { reply: "@gmail.no_such_usr" }
                """);
        assertThat(p.key()).isEqualTo("rules[0].then.reply");
        assertThat(p.message()).contains("no catalogue entry named 'gmail.no_such_usr'", "gmail.no_such_user");
    }

    @Test
    void headerMatcherOnlyAtDataEnd() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: rcpt, header: { X-Test: "*" } }
                    then: { reply: "550 5.7.1 no" }
                """);
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.key()).isEqualTo("rules[0].when.header");
        assertThat(p.message()).contains("cannot match at rcpt", "data_end");
    }

    @Test
    void recipientMatcherNotAtMail() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: [mail, rcpt], rcpt: "a@*" }
                    then: { reply: "550 5.7.1 no" }
                """);
        assertThat(p.key()).isEqualTo("rules[0].when.rcpt");
        assertThat(p.message()).contains("cannot match at mail", "rcpt/data/data_end");
    }

    @Test
    void twoActionsInOneRule() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: rcpt }
                    then: { reply: "550 5.1.1 no", drop: rst }
                """);
        assertThat(p.key()).isEqualTo("rules[0].then.drop");
        assertThat(p.message()).contains("reply and drop");
    }

    @Test
    void missingAction() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: rcpt }
                    then: { }
                """);
        assertThat(p.key()).isEqualTo("rules[0].then");
        assertThat(p.message()).contains("missing an action");
    }

    @Test
    void closeWithoutReply() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: rcpt }
                    then: { accept: true, close: true }
                """);
        assertThat(p.key()).isEqualTo("rules[0].then.close");
    }

    @Test
    void discardOnlyWhereItMeansSomething() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: mail }
                    then: { accept: true, discard: true }
                """);
        assertThat(p.key()).isEqualTo("rules[0].then.discard");
        assertThat(p.message()).contains("rcpt or data_end");
    }

    @Test
    void afterBytesOnlyAtData() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: rcpt }
                    then: { drop: { mode: rst, after_bytes: 100 } }
                """);
        assertThat(p.key()).isEqualTo("rules[0].then.drop.after_bytes");
    }

    @Test
    void badDropMode() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: data }
                    then: { drop: { mode: explode } }
                """);
        assertThat(p.key()).isEqualTo("rules[0].then.drop.mode");
        assertThat(p.message()).contains("close (FIN), rst (reset) or hang");
    }

    @Test
    void greylistOnlyAtRcpt() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: mail }
                    then: { greylist: true }
                """);
        assertThat(p.key()).isEqualTo("rules[0].then.greylist");
    }

    @Test
    void greylistWindowShorterThanDelayCanNeverPass() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: rcpt }
                    then: { greylist: { min_delay: 10m, retry_window: 5m } }
                """);
        assertThat(p.key()).isEqualTo("rules[0].then.greylist");
        assertThat(p.message()).contains("must be shorter than retry_window");
    }

    @Test
    void rateNeedsARate() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: mail }
                    then: { rate: { key: "{client_ip}", burst: 5 } }
                """);
        assertThat(p.key()).isEqualTo("rules[0].then.rate.rate");
    }

    @Test
    void badRateText() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: mail }
                    then: { rate: { rate: 10 per second } }
                """);
        assertThat(p.key()).isEqualTo("rules[0].then.rate.rate");
        assertThat(p.message()).contains("10/s");
    }

    @Test
    void sequenceStepMustBeAnOutcome() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: rcpt }
                    then: { sequence: { steps: ["451 4.3.0 again", acept] } }
                """);
        assertThat(p.key()).isEqualTo("rules[0].then.sequence.steps[1]");
        assertThat(p.message()).contains("expected accept");
    }

    @Test
    void pickChoiceNeedsAWeight() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: data_end }
                    then:
                      pick:
                        - { weight: 9, accept: true }
                        - { reply: "554 5.7.9 policy" }
                """);
        assertThat(p.line()).isEqualTo(7);
        assertThat(p.key()).isEqualTo("rules[0].then.pick[1].weight");
    }

    @Test
    void unknownTemplateVariable() {
        YamlProblem p = only(RULE_HEAD + """
                    when: { stage: rcpt }
                    then: { reply: "550 5.1.1 <{rpct}> unknown" }
                """);
        assertThat(p.key()).isEqualTo("rules[0].then.reply");
        assertThat(p.message()).contains("unknown template variable {rpct}", "{rcpt}");
    }

    @Test
    void namedRegexGroupIsAKnownVariable() {
        RuleScenario s = load(RULE_HEAD + """
                    when: { stage: rcpt, rcpt: "/^(?<user>[^@]+)@/" }
                    then: { reply: "550 5.1.1 {user} is gone" }
                """);
        assertThat(s.ruleIds()).containsExactly("r1");
    }

    @Test
    void badSizeLimit() {
        YamlProblem p = only("protocol:\n  size_limit: 50 megs\n");
        assertThat(p.line()).isEqualTo(2);
        assertThat(p.column()).isEqualTo(15);
        assertThat(p.key()).isEqualTo("protocol.size_limit");
        assertThat(p.message()).contains("50MiB");
    }

    @Test
    void badPolicyName() {
        YamlProblem p = only("protocol:\n  bare_lf: normalize\n");
        assertThat(p.key()).isEqualTo("protocol.bare_lf");
        assertThat(p.message()).contains("reject or accept");
    }

    @Test
    void unknownExtension() {
        YamlProblem p = only("protocol:\n  advertise: [PIPELINING, XCLIENT]\n");
        assertThat(p.key()).isEqualTo("protocol.advertise");
        assertThat(p.message()).contains("XCLIENT", "8BITMIME");
    }

    @Test
    void requireAuthWithoutUsers() {
        YamlProblem p = only("protocol:\n  require_auth: true\n");
        assertThat(p.key()).isEqualTo("protocol.require_auth");
    }

    @Test
    void booleanMustBeTrueOrFalse() {
        YamlProblem p = only("protocol:\n  magic_addresses: yes\n");
        assertThat(p.key()).isEqualTo("protocol.magic_addresses");
        assertThat(p.message()).contains("true or false");
    }

    @Test
    void numberOutOfRange() {
        YamlProblem p = only("protocol:\n  max_command_line: 80\n");
        assertThat(p.key()).isEqualTo("protocol.max_command_line");
        assertThat(p.message()).contains("512");
    }

    @Test
    void unsupportedVersion() {
        YamlProblem p = only("version: 2\n");
        assertThat(p.key()).isEqualTo("version");
    }

    @Test
    void rulesMustBeAList() {
        YamlProblem p = only("rules:\n  id: a\n");
        assertThat(p.key()).isEqualTo("rules");
        assertThat(p.message()).contains("list of rules");
    }

    @Test
    void rootMustBeAMapping() {
        YamlProblem p = only("- just\n- a list\n");
        assertThat(p.line()).isEqualTo(1);
        assertThat(p.message()).contains("mapping");
    }

    @Test
    void badCatalogueName() {
        YamlProblem p = only("catalog:\n  My Reply: \"550 5.7.1 x\"\n");
        assertThat(p.key()).isEqualTo("catalog.My Reply");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ScenarioException e = problemsOf("""
                seed: many
                rules:
                  - id: a
                    when: { stage: rcpt, p: 2 }
                    then: { reply: "999 nope" }
                  - id: b
                    when: { stage: helo }
                    then: { drop: sideways }
                """);
        assertThat(e.problems()).extracting(YamlProblem::key)
                .containsExactly("seed", "rules[0].when.p", "rules[0].then.reply", "rules[1].then.drop");
        assertThat(e.problems()).extracting(YamlProblem::line).containsExactly(1, 4, 5, 8);
        assertThat(e.getMessage().lines()).hasSize(4).allMatch(l -> l.startsWith("test.yml:"));
    }

    @Test
    void fileThatIsNotUtf8IsRejectedClearly(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("latin1.yml");
        Files.write(f, "description: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        try {
            new ScenarioLoader(new ManualClock()).load(f);
            throw new AssertionError("should fail");
        } catch (ScenarioException e) {
            assertThat(e.problems()).singleElement().satisfies(p -> {
                assertThat(p.source()).isEqualTo(f.toString());
                assertThat(p.message()).contains("not valid UTF-8");
            });
        }
    }

    @Test
    void missingFileIsAProblemNotACrash(@TempDir Path dir) {
        try {
            new ScenarioLoader(new ManualClock()).load(dir.resolve("nope.yml"));
            throw new AssertionError("should fail");
        } catch (ScenarioException e) {
            assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("cannot read"));
        }
    }

    @Test
    void aliasBombIsRefused() {
        StringBuilder sb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char prev = (char) (c - 1);
            sb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 10; i++) {
                sb.append(i == 0 ? "" : ", ").append('*').append(prev);
            }
            sb.append("]\n");
        }
        ScenarioException e = problemsOf(sb.toString());
        assertThat(e.problems()).isNotEmpty();
    }

    @Test
    void problemsComeInFileOrderWhateverTheSectionOrder() {
        ScenarioException e = problemsOf("""
                rules:
                  - id: a
                    when: { stage: rcpt }
                    then: { reply: "550 4.1.1 x", delay: 3 }
                protocol: { size_limit: 5 parsecs }
                """);
        assertThat(e.problems()).extracting(YamlProblem::key)
                .containsExactly("rules[0].then.reply", "rules[0].then.delay", "protocol.size_limit");
    }

    @Test
    void tooManyProblemsStopsWithANotice() {
        StringBuilder sb = new StringBuilder("rules:\n");
        for (int i = 0; i < 500; i++) {
            sb.append("  - { id: r").append(i).append(", when: { stage: rcpt }, then: { delay: x } }\n");
        }
        ScenarioException e = problemsOf(sb.toString());
        assertThat(e.problems()).hasSize(201);
        assertThat(e.problems().get(200).message()).contains("stopped after 200 problems");
    }

    @Test
    void absurdNestingIsAProblemNotACrash() {
        String deep = "a: " + "[".repeat(200_000) + "]".repeat(200_000);
        ScenarioException e = problemsOf(deep);
        assertThat(e.problems()).isNotEmpty();
    }

    @Test
    void garbageIsAProblemNotACrash() {
        ScenarioException e = problemsOf("\u0000\u0001{{{ ]]] :::\n\t- - -");
        assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p.source()).isEqualTo("test.yml"));
    }
}
