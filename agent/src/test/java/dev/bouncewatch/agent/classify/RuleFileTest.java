package dev.bouncewatch.agent.classify;

import dev.bouncewatch.agent.model.SmtpStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** User rule files: they come first, can replace built-in rules, and bad ones are explained. */
class RuleFileTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void userRulesComeFirst() throws IOException {
        String reply = "550 5.7.1 Rejected by ACME corporate mail gateway: message refused";
        assertThat(Classifier.load().classify(ClassifierInput.fromReply(reply)).category()).isEqualTo("policyviolation");

        Path mine = write("mine.yml", """
                rules:
                  - id: acme.gateway
                    text: "acme corporate mail gateway"
                    category: filtered
                    action: contact-recipient-admin
                    signals: [provider:acme]
                    advice: "ACME's gateway refuses us; mail postmaster@acme.example."
                """);
        Classification c = Classifier.load(List.of(mine)).classify(ClassifierInput.fromReply(reply));
        assertThat(c.category()).isEqualTo("filtered");
        assertThat(c.ruleId()).isEqualTo("acme.gateway");
        assertThat(c.action()).isEqualTo(Action.CONTACT_RECIPIENT_ADMIN);
        assertThat(c.signals()).contains("provider:acme");
        assertThat(c.advice()).isEqualTo("ACME's gateway refuses us; mail postmaster@acme.example.");
    }

    @Test
    void aUserRuleWithABuiltInIdReplacesIt() throws IOException {
        String reply = "421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints";
        Classifier builtIn = Classifier.load();
        assertThat(builtIn.classify(ClassifierInput.fromReply(reply)).ruleId()).isEqualTo("yahoo.tss-reputation");

        Path mine = write("override.yml", """
                rules:
                  - id: yahoo.tss-reputation
                    text: "[tss04]"
                    category: speeding
                """);
        Classifier custom = Classifier.load(List.of(mine));
        Classification c = custom.classify(ClassifierInput.fromReply(reply));
        assertThat(c.category()).isEqualTo("speeding");
        assertThat(c.action()).isEqualTo(Action.REDUCE_RATE);
        assertThat(custom.ruleCount()).as("replaced, not added").isEqualTo(builtIn.ruleCount());
    }

    @Test
    void newerSisimaiNamesAreAccepted() {
        Classifier c = Classifier.fromStrings(Map.of("alias.yml", """
                rules:
                  - {id: a, text: "slow down", category: ratelimited}
                  - {id: b, text: "too large", category: emailtoolarge}
                """));
        assertThat(c.classify(ClassifierInput.fromReply("450 slow down")).category()).isEqualTo("speeding");
        assertThat(c.classify(ClassifierInput.fromReply("552 too large")).category()).isEqualTo("mesgtoobig");
    }

    @Test
    void conditionsCombine() {
        Classifier c = Classifier.fromStrings(Map.of("combine.yml", """
                providers:
                  - {name: acme, hosts: [acme.example], tokens: ["acme-gw"]}
                rules:
                  - id: acme.rcpt
                    provider: acme
                    stage: [rcpt]
                    code: [55x]
                    esc: [x.7.*]
                    text: ["refused"]
                    unless: ["temporarily"]
                    category: blocked
                """));
        ClassifierInput match = new ClassifierInput(550, "5.7.1", "refused", SmtpStage.RCPT, "mx1.acme.example");
        assertThat(c.classify(match).ruleId()).isEqualTo("acme.rcpt");
        assertThat(c.classify(new ClassifierInput(550, "5.7.1", "refused", SmtpStage.DATA_END, "mx1.acme.example")).ruleId())
                .as("stage").startsWith("builtin.");
        assertThat(c.classify(new ClassifierInput(450, "4.7.1", "refused", SmtpStage.RCPT, "mx1.acme.example")).ruleId())
                .as("code").startsWith("builtin.");
        assertThat(c.classify(new ClassifierInput(550, "5.1.1", "refused", SmtpStage.RCPT, "mx1.acme.example")).ruleId())
                .as("enhanced code").startsWith("builtin.");
        assertThat(c.classify(new ClassifierInput(550, "5.7.1", "refused", SmtpStage.RCPT, "mx.other.example")).ruleId())
                .as("provider").startsWith("builtin.");
        assertThat(c.classify(new ClassifierInput(550, "5.7.1", "refused by acme-gw", SmtpStage.RCPT, null)).ruleId())
                .as("provider token").isEqualTo("acme.rcpt");
        assertThat(c.classify(new ClassifierInput(550, "5.7.1", "temporarily refused", SmtpStage.RCPT, "mx1.acme.example"))
                .ruleId()).as("unless").startsWith("builtin.");
        assertThat(c.classify(new ClassifierInput(550, "5.7.1", "refused", SmtpStage.RCPT, "notacme.example")).ruleId())
                .as("host suffix on a label boundary").startsWith("builtin.");
    }

    @Test
    void errorsNameFileLineAndField() throws IOException {
        Path bad = write("bad.yml", """
                rules:
                  - id: ok.one
                    text: "fine"
                    category: blocked
                  - id: broken
                    text: "x"
                    category: nosuchthing
                """);
        assertThatThrownBy(() -> Classifier.load(List.of(bad)))
                .isInstanceOf(RuleFileException.class)
                .hasMessageContaining(bad.toString() + ":7")
                .hasMessageContaining("field 'category'")
                .hasMessageContaining("unknown category 'nosuchthing'")
                .hasMessageContaining("userunknown")
                .satisfies(e -> {
                    RuleFileException r = (RuleFileException) e;
                    assertThat(r.line()).isEqualTo(7);
                    assertThat(r.field()).isEqualTo("category");
                    assertThat(r.file()).isEqualTo(bad.toString());
                });
    }

    @Test
    void eachKindOfMistakeIsReported() {
        assertError("rules:\n  - {id: a, text: x, category: blocked, colour: red}\n", 2, "colour", "unknown key");
        assertError("rules:\n  - {id: a, text: x}\n", 2, "category", "missing");
        assertError("rules:\n  - {id: a, category: blocked}\n", 2, "id", "no condition");
        assertError("rules:\n  - {id: a, regex: '([a-z', category: blocked}\n", 2, "regex", "bad regular expression");
        assertError("rules:\n  - {id: a, code: [5x0x], category: blocked}\n", 2, "code", "not a reply-code pattern");
        assertError("rules:\n  - {id: a, esc: [5.7], category: blocked}\n", 2, "esc", "not an enhanced-code pattern");
        assertError("rules:\n  - {id: a, stage: [ehlo], text: x, category: blocked}\n", 2, "stage", "unknown stage 'ehlo'");
        assertError("rules:\n  - {id: a, text: x, category: blocked, action: panic}\n", 2, "action", "unknown action 'panic'");
        assertError("rules:\n  - {id: a, text: x, category: blocked}\n  - {id: a, text: y, category: blocked}\n", 3, "id",
                "duplicate rule id");
        assertError("rules:\n  - {id: a, text: x, category: blocked, uncodedSeverity: maybe}\n", 2, "uncodedSeverity",
                "expected permanent or transient");
        assertError("rules: {id: a}\n", 1, "rules", "expected a list");
        assertError("rules:\n  - {id: a, text: [x, [y]], category: blocked}\n", 2, "text", "expected a single value");
        assertError("rules:\n  - id: a\n    text: \"unterminated\n", 4, null, "not valid YAML: while scanning a quoted scalar (line 3)");
        assertError("colour: red\n", 1, "colour", "unknown key");
    }

    @Test
    void emptyAndCommentOnlyFilesAreFine() {
        Classifier c = Classifier.fromStrings(Map.of("empty.yml", "# nothing yet\n"));
        assertThat(c.ruleCount()).isZero();
        assertThat(c.classify(ClassifierInput.fromReply("550 whatever")).category()).isEqualTo("onhold");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.yml");
        assertThatThrownBy(() -> Classifier.load(List.of(missing)))
                .isInstanceOf(RuleFileException.class)
                .hasMessageContaining("nope.yml")
                .hasMessageContaining("cannot read");
    }

    @Test
    void everyBuiltInRuleIdIsUniqueAndEveryCategoryIsReachableByName() {
        Classifier c = Classifier.load();
        assertThat(c.ruleCount()).isGreaterThan(200);
        for (Category cat : Category.values()) {
            assertThat(Category.fromWireName(cat.wireName())).contains(cat);
        }
        for (Action a : Action.values()) {
            assertThat(Action.fromWireName(a.wireName())).isEqualTo(a);
        }
    }

    private static void assertError(String yaml, int line, String field, String problem) {
        assertThatThrownBy(() -> Classifier.fromStrings(Map.of("t.yml", yaml)))
                .as(yaml)
                .isInstanceOfSatisfying(RuleFileException.class, e -> {
                    assertThat(e.getMessage()).startsWith("t.yml:" + line).contains(problem);
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.field()).isEqualTo(field);
                });
    }
}
