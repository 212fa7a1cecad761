package dev.bouncewatch.testmta.scenario;

import static dev.bouncewatch.testmta.scenario.ScenarioTesting.load;
import static dev.bouncewatch.testmta.scenario.ScenarioTesting.replyOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.testmta.session.Stage;
import dev.bouncewatch.testmta.smtp.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleScenarioTest {

    @Test
    void replyRendersTemplatesAndCaptures() {
        RuleScenario s = load("""
                protocol: { hostname: mx.test.example }
                rules:
                  - id: unknown
                    when: { stage: rcpt, rcpt: "/^(?<who>bounce-\\\\d+)@/" }
                    then:
                      reply:
                        code: 550
                        esc: 5.1.1
                        lines: ["<{rcpt}>: {who} unknown at {rcpt_domain}", "local {rcpt_local} via {hostname} from {client_ip}"]
                """);
        Outcome o = s.decide(FakeContext.rcpt("bounce-42@example.org"));
        Reply r = replyOf(o);
        assertThat(r.code()).isEqualTo(550);
        assertThat(r.enhancedCode()).isEqualTo("5.1.1");
        assertThat(r.lines()).containsExactly("<bounce-42@example.org>: bounce-42 unknown at example.org",
                "local bounce-42 via mx.test.example from 192.0.2.10");
        assertThat(o.ruleId()).isEqualTo("unknown");
        assertThat(((Outcome.Respond) o).close()).isFalse();
        assertThat(s.decide(FakeContext.rcpt("alice@example.org"))).isSameAs(Outcome.PROCEED);
    }

    @Test
    void aDelayAloneSlowsTheAnswerButLetsLaterRulesAndMagicAddressesDecide() {
        RuleScenario s = load("""
                rules:
                  - id: slow
                    when: { stage: rcpt }
                    then: { delay: 1s }
                  - id: slower
                    when: { stage: rcpt, rcpt_domain: far.example }
                    then: { delay: 2s }
                  - id: later
                    when: { stage: rcpt, rcpt: "x@*" }
                    then: { reply: "550 5.1.1 later rule" }
                """);
        Outcome later = s.decide(FakeContext.rcpt("x@near.example"));
        assertThat(replyOf(later).code()).isEqualTo(550);
        assertThat(later.ruleId()).isEqualTo("later");
        assertThat(later.delay()).isEqualTo(Duration.ofSeconds(1));

        Outcome magic = s.decide(FakeContext.rcpt("550-5.1.1@far.example"));
        assertThat(replyOf(magic).code()).isEqualTo(550);
        assertThat(magic.ruleId()).isEqualTo(RuleScenario.MAGIC_RULE_ID);
        assertThat(magic.delay()).isEqualTo(Duration.ofSeconds(3));

        Outcome normal = s.decide(FakeContext.rcpt("bob@near.example"));
        assertThat(normal).isInstanceOf(Outcome.Proceed.class);
        assertThat(normal.ruleId()).isEqualTo("slow");
        assertThat(normal.delay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void firstMatchingRuleWins() {
        RuleScenario s = load("""
                rules:
                  - id: specific
                    when: { stage: rcpt, rcpt: "vip@*" }
                    then: { accept: true }
                  - id: everyone
                    when: { stage: rcpt, rcpt_domain: example.org }
                    then: { reply: "450 4.2.1 busy" }
                """);
        assertThat(s.decide(FakeContext.rcpt("vip@example.org")).ruleId()).isEqualTo("specific");
        assertThat(s.decide(FakeContext.rcpt("bob@example.org")).ruleId()).isEqualTo("everyone");
        assertThat(s.decide(FakeContext.rcpt("bob@example.net"))).isSameAs(Outcome.PROCEED);
    }

    @Test
    void ruleAppliesOnlyAtItsStages() {
        RuleScenario s = load("""
                rules:
                  - id: slow
                    when: { stage: [connect, helo] }
                    then: { delay: 20s }
                """);
        assertThat(s.decide(FakeContext.at(Stage.CONNECT))).isEqualTo(new Outcome.Proceed("slow", Duration.ofSeconds(20), false));
        assertThat(s.decide(FakeContext.at(Stage.HELO)).delay()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.decide(FakeContext.at(Stage.MAIL))).isSameAs(Outcome.PROCEED);
    }

    @Test
    void delayModifiesAnyAction() {
        RuleScenario s = load("""
                rules:
                  - id: slow-fail
                    when: { stage: auth, auth_user: "bad*" }
                    then: { reply: "535 5.7.8 Authentication credentials invalid", delay: 2s }
                """);
        Outcome o = s.decide(FakeContext.at(Stage.AUTH).withAuthUser("badguy"));
        assertThat(o.delay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(replyOf(o).code()).isEqualTo(535);
        assertThat(s.decide(FakeContext.at(Stage.AUTH).withAuthUser("app"))).isSameAs(Outcome.PROCEED);
    }

    @Test
    void reply421ClosesByDefaultAndCloseCanBeSetEitherWay() {
        RuleScenario s = load("""
                rules:
                  - id: a
                    when: { stage: mail, mail_from: "a@*" }
                    then: { reply: "421 4.3.2 going down" }
                  - id: b
                    when: { stage: mail, mail_from: "b@*" }
                    then: { reply: "421 4.3.2 going down", close: false }
                  - id: c
                    when: { stage: mail, mail_from: "c@*" }
                    then: { reply: "554 5.7.1 go away", close: true }
                """);
        assertThat(((Outcome.Respond) s.decide(FakeContext.at(Stage.MAIL).withMailFrom("a@x"))).close()).isTrue();
        assertThat(((Outcome.Respond) s.decide(FakeContext.at(Stage.MAIL).withMailFrom("b@x"))).close()).isFalse();
        assertThat(((Outcome.Respond) s.decide(FakeContext.at(Stage.MAIL).withMailFrom("c@x"))).close()).isTrue();
    }

    @Test
    void acceptAndDiscard() {
        RuleScenario s = load("""
                rules:
                  - id: blackhole
                    when: { stage: rcpt, rcpt_domain: blackhole.test }
                    then: { accept: true, discard: true }
                  - id: plain
                    when: { stage: rcpt, rcpt_domain: plain.test }
                    then: { accept: true }
                """);
        assertThat(s.decide(FakeContext.rcpt("x@blackhole.test"))).isEqualTo(new Outcome.Proceed("blackhole", Duration.ZERO, true));
        assertThat(s.decide(FakeContext.rcpt("x@plain.test"))).isEqualTo(new Outcome.Proceed("plain", Duration.ZERO, false));
    }

    @Test
    void dropModes() {
        RuleScenario s = load("""
                rules:
                  - id: rst-at-connect
                    when: { stage: connect, client_ip: 198.51.100.0/24 }
                    then: { drop: rst }
                  - id: hang-at-helo
                    when: { stage: helo, helo: "*.hang.test" }
                    then: { drop: { mode: hang } }
                  - id: cut-mid-data
                    when: { stage: data }
                    then: { drop: { mode: close, after_bytes: 4096 } }
                """);
        assertThat(s.decide(FakeContext.at(Stage.CONNECT).withClient("198.51.100.7")))
                .isEqualTo(new Outcome.Drop("rst-at-connect", Duration.ZERO, Outcome.DropMode.RST, -1));
        assertThat(s.decide(FakeContext.at(Stage.CONNECT))).isSameAs(Outcome.PROCEED);
        assertThat(s.decide(FakeContext.at(Stage.HELO).withHelo("box.hang.test")))
                .isEqualTo(new Outcome.Drop("hang-at-helo", Duration.ZERO, Outcome.DropMode.HANG, -1));
        assertThat(s.decide(FakeContext.at(Stage.DATA)))
                .isEqualTo(new Outcome.Drop("cut-mid-data", Duration.ZERO, Outcome.DropMode.CLOSE, 4096));
    }

    @Test
    void tlsAndClientIpv6Matchers() {
        RuleScenario s = load("""
                rules:
                  - id: plaintext-v6
                    when: { stage: mail, tls: false, client_ip: ["2001:db8::/32"] }
                    then: { reply: "@postfix.starttls_required" }
                """);
        FakeContext v6 = FakeContext.at(Stage.MAIL).withClient("2001:db8::25");
        assertThat(replyOf(s.decide(v6)).text()).isEqualTo("Must issue a STARTTLS command first");
        assertThat(s.decide(v6.withTls(true))).isSameAs(Outcome.PROCEED);
        assertThat(s.decide(FakeContext.at(Stage.MAIL))).isSameAs(Outcome.PROCEED);
    }

    @Test
    void headerMatcherAtDataEnd() {
        RuleScenario s = load("""
                rules:
                  - id: slow-dot
                    when: { stage: data_end, header: { X-Test-Case: slow-dot, Subject: "/(?<word>urgent)/" } }
                    then: { reply: "451 4.3.0 {word} later" }
                """);
        FakeContext ctx = FakeContext.at(Stage.DATA_END).withRecipients("a@x")
                .withHeaders(Map.of("x-test-case", List.of("other", "SLOW-DOT"), "subject", List.of("Very URGENT")));
        assertThat(replyOf(s.decide(ctx)).text()).isEqualTo("URGENT later");
        FakeContext missingSubject = ctx.withHeaders(Map.of("x-test-case", List.of("slow-dot")));
        assertThat(s.decide(missingSubject)).isSameAs(Outcome.PROCEED);
    }

    @Test
    void recipientMatcherAtDataEndLooksAtAllRecipients() {
        RuleScenario s = load("""
                rules:
                  - id: yahoo
                    when: { stage: data_end, rcpt_domain: yahoo.test }
                    then: { reply: "554 5.7.9 not for <{rcpt}>" }
                """);
        FakeContext ctx = FakeContext.at(Stage.DATA_END).withRecipients("a@gmail.test", "b@yahoo.test");
        assertThat(replyOf(s.decide(ctx)).text()).isEqualTo("not for <b@yahoo.test>");
        assertThat(s.decide(FakeContext.at(Stage.DATA_END).withRecipients("a@gmail.test"))).isSameAs(Outcome.PROCEED);
    }

    @Test
    void catalogueReferenceRendersWithTheSession() {
        RuleScenario s = load("""
                rules:
                  - id: dmarc
                    when: { stage: data_end, mail_from: "*@spoofed.example" }
                    then: { reply: "@gmail.dmarc" }
                """);
        Reply r = replyOf(s.decide(FakeContext.at(Stage.DATA_END).withMailFrom("ceo@spoofed.example").withRecipients("x@gmail.test")));
        assertThat(r.code()).isEqualTo(550);
        assertThat(r.enhancedCode()).isEqualTo("5.7.26");
        assertThat(r.lines()).hasSizeGreaterThan(1);
        assertThat(r.text()).contains("Unauthenticated email from spoofed.example is not accepted due to domain's DMARC policy");
    }

    @Test
    void scenarioCatalogueOverridesABuiltInEntry() {
        RuleScenario s = load("""
                catalog:
                  gmail.no_such_user: { code: 550, esc: 5.1.1, text: "custom text for {rcpt}" }
                """);
        // magic addresses use the catalogue too, so the override shows there
        assertThat(replyOf(s.decide(FakeContext.rcpt("550@x.test"))).text()).isEqualTo("custom text for 550@x.test");
    }

    @Test
    void probabilityIsSeededAndReproducible() {
        String yaml = """
                seed: 7
                rules:
                  - id: flaky
                    when: { stage: rcpt, p: 0.3 }
                    then: { reply: "451 4.3.0 flaky" }
                """;
        RuleScenario first = load(yaml);
        RuleScenario second = load(yaml);
        RuleScenario otherSeed = load(yaml.replace("seed: 7", "seed: 8"));
        int hits = 0;
        int differences = 0;
        for (int i = 0; i < 2000; i++) {
            FakeContext ctx = FakeContext.rcpt("user" + i + "@example.org").withSession("s" + (i / 10));
            Outcome a = first.decide(ctx);
            assertThat(second.decide(ctx)).isEqualTo(a);
            if (a != Outcome.PROCEED) {
                hits++;
            }
            if (!otherSeed.decide(ctx).equals(a)) {
                differences++;
            }
        }
        assertThat(hits).isBetween(500, 700); // 30 % of 2000 = 600, far outside 4 sigma would be a bug
        assertThat(differences).isGreaterThan(300);
    }

    @Test
    void probabilityZeroNeverAndOneAlways() {
        RuleScenario s = load("""
                rules:
                  - id: never
                    when: { stage: rcpt, p: 0 }
                    then: { reply: "550 5.1.1 never" }
                  - id: always
                    when: { stage: rcpt, p: 1 }
                    then: { reply: "451 4.3.0 always" }
                """);
        for (int i = 0; i < 200; i++) {
            assertThat(s.decide(FakeContext.rcpt("u" + i + "@x")).ruleId()).isEqualTo("always");
        }
    }

    @Test
    void pickFollowsWeightsAndIsReproducible() {
        String yaml = """
                seed: 3
                rules:
                  - id: mix
                    when: { stage: data_end }
                    then:
                      pick:
                        - { weight: 85, accept: true }
                        - { weight: 10, reply: "@yahoo.deferred" }
                        - { weight: 5, reply: "@yahoo.policy" }
                """;
        RuleScenario s = load(yaml);
        RuleScenario again = load(yaml);
        int accepted = 0;
        int deferred = 0;
        int rejected = 0;
        for (int i = 0; i < 4000; i++) {
            FakeContext ctx = FakeContext.at(Stage.DATA_END).withRecipients("a@yahoo.test").withSession("s" + i);
            Outcome o = s.decide(ctx);
            assertThat(again.decide(ctx)).isEqualTo(o);
            assertThat(o.ruleId()).isEqualTo("mix");
            if (o instanceof Outcome.Proceed) {
                accepted++;
            } else if (replyOf(o).code() == 421) {
                deferred++;
            } else {
                assertThat(replyOf(o).code()).isEqualTo(554);
                rejected++;
            }
        }
        assertThat(accepted).isBetween(3250, 3550);
        assertThat(deferred).isBetween(280, 520);
        assertThat(rejected).isBetween(110, 300);
    }

    @Test
    void magicAddressesComeAfterRulesSoARuleCanOverride() {
        RuleScenario s = load("""
                rules:
                  - id: accept-everything-at-partner
                    when: { stage: rcpt, rcpt_domain: partner.test }
                    then: { accept: true }
                """);
        assertThat(s.decide(FakeContext.rcpt("550@partner.test")).ruleId()).isEqualTo("accept-everything-at-partner");
        Outcome magic = s.decide(FakeContext.rcpt("550@other.test"));
        assertThat(magic.ruleId()).isEqualTo(RuleScenario.MAGIC_RULE_ID);
        assertThat(replyOf(magic).code()).isEqualTo(550);
    }

    @Test
    void magicAddressesCanBeSwitchedOff() {
        RuleScenario s = load("protocol: { magic_addresses: false }\n");
        assertThat(s.decide(FakeContext.rcpt("550@x.test"))).isSameAs(Outcome.PROCEED);
    }

    @Test
    void magicAddressesOnlyAtRcpt() {
        RuleScenario s = Scenarios.defaults();
        assertThat(s.decide(FakeContext.at(Stage.MAIL).withMailFrom("550@x.test"))).isSameAs(Outcome.PROCEED);
        assertThat(s.decide(FakeContext.at(Stage.DATA_END).withRecipients("550@x.test"))).isSameAs(Outcome.PROCEED);
    }

    @Test
    void describeShowsRulesStagesAndHits() {
        RuleScenario s = load("""
                seed: 9
                protocol: { auth_users: { app: s3cret } }
                rules:
                  - id: unknown
                    description: nobody lives here
                    when: { stage: rcpt, rcpt: "nobody@*" }
                    then: { reply: "@postfix.unknown_user", delay: 1s }
                  - id: slow-banner
                    when: { stage: connect }
                    then: { delay: 3s }
                """);
        s.decide(FakeContext.rcpt("nobody@x"));
        s.decide(FakeContext.rcpt("nobody@y"));
        s.decide(FakeContext.rcpt("someone@y"));
        s.decide(FakeContext.rcpt("550@y"));
        ScenarioDescription d = Scenarios.describe(s);
        assertThat(d.source()).isEqualTo("test.yml");
        assertThat(d.seed()).isEqualTo(9);
        assertThat(d.stagesUsed()).containsExactly("connect", "rcpt");
        assertThat(d.protocol().authUsers()).containsExactly("app");
        assertThat(d.magicAddressHits()).isEqualTo(1);
        assertThat(d.rules()).hasSize(2);
        ScenarioDescription.RuleDescription r = d.rules().get(0);
        assertThat(r.id()).isEqualTo("unknown");
        assertThat(r.description()).isEqualTo("nobody lives here");
        assertThat(r.line()).isEqualTo(4);
        assertThat(r.stages()).containsExactly("rcpt");
        assertThat(r.when()).containsExactly("rcpt ~ nobody@*");
        assertThat(r.then()).contains("@postfix.unknown_user", "550 5.1.1", "after 1s");
        assertThat(r.hits()).isEqualTo(2);
        assertThat(d.rules().get(1).hits()).isZero();
    }

    @Test
    void describeWorksForOtherScenarios() {
        ScenarioDescription d = Scenarios.describe(Scenario.ACCEPT_ALL);
        assertThat(d.rules()).isEmpty();
        assertThat(d.protocol().hostname()).isEqualTo(Scenario.ACCEPT_ALL.protocol().hostname());
    }

    @Test
    void defaultsAreProtocolDefaultsWithMagicOn() {
        RuleScenario s = Scenarios.defaults();
        assertThat(s.protocol().magicAddresses()).isTrue();
        assertThat(s.ruleIds()).isEmpty();
        assertThat(s.decide(FakeContext.rcpt("alice@example.org"))).isSameAs(Outcome.PROCEED);
        assertThat(replyOf(s.decide(FakeContext.rcpt("tempfail@example.org"))).code()).isEqualTo(451);
    }
}
