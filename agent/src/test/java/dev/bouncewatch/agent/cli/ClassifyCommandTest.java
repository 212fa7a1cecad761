package dev.bouncewatch.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The classify subcommand, run in process. */
class ClassifyCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, List<String> out, String err) {
    }

    private static Run run(byte[] stdin, String... args) {
        ClassifyCommand command = new ClassifyCommand();
        command.stdin = new ByteArrayInputStream(stdin);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        List<String> lines = out.toString().lines().toList();
        return new Run(exit, lines, err.toString());
    }

    private static Run run(String stdin, String... args) {
        return run(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    @Test
    void isRegisteredUnderTheMainCommand() {
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new BouncewatchCommand()).setOut(new PrintWriter(out))
                .execute("classify", "550 5.1.1 <u@example.org>: Recipient address rejected: User unknown");
        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith("permanent userunknown").contains("suppress", "hard");
    }

    @Test
    void textOutputHasOneLinePerReplyInOrder() {
        Run r = run("", "550 5.1.1 <u@example.org>: Recipient address rejected: User unknown",
                "421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints",
                "250 2.0.0 Ok: queued as 4Ztq5K0Xz7z9rxM");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).hasSize(3);
        assertThat(r.out().get(0)).startsWith("permanent userunknown").contains("| 550 5.1.1 <u@example.org>");
        assertThat(r.out().get(1)).startsWith("transient badreputation").contains("check-reputation", "provider-code:TSS04");
        assertThat(r.out().get(2)).startsWith("none      delivered");
    }

    @Test
    void jsonOutputCarriesEveryField() throws IOException {
        Run r = run("", "--json", "--stage", "rcpt", "--remote-host", "gmail-smtp-in.l.google.com",
                "452 4.2.2 The recipient's inbox is out of storage space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).hasSize(1);
        JsonNode o = JSON.readTree(r.out().get(0));
        assertThat(o.get("replyCode").asInt()).isEqualTo(452);
        assertThat(o.get("enhancedCode").asText()).isEqualTo("4.2.2");
        assertThat(o.get("stage").asText()).isEqualTo("rcpt");
        assertThat(o.get("remoteHost").asText()).isEqualTo("gmail-smtp-in.l.google.com");
        assertThat(o.get("severity").asText()).isEqualTo("transient");
        assertThat(o.get("category").asText()).isEqualTo("mailboxfull");
        assertThat(o.get("hardBounce").asBoolean()).isFalse();
        assertThat(o.get("action").asText()).isEqualTo("retry");
        assertThat(o.get("signals").toString()).contains("provider:google", "stage:rcpt");
        assertThat(o.get("ruleId").asText()).isNotBlank();
        assertThat(o.get("advice").asText()).contains("full");
    }

    @Test
    void readsStdinLinesWhenNoRepliesAreGiven() {
        Run r = run("550 5.1.1 user unknown\r\n\n554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org\n");
        assertThat(r.out()).hasSize(3);
        assertThat(r.out().get(0)).contains("userunknown");
        assertThat(r.out().get(1)).startsWith("error     line 2: empty reply");
        assertThat(r.out().get(2)).contains("blocked", "blocklist:spamhaus");
        assertThat(r.exit()).as("some input was bad").isEqualTo(1);
    }

    @Test
    void jsonlInputWithPerLineStageAndHostAndBadLines() throws IOException {
        String stdin = String.join("\n",
                "{\"reply\": \"550 Unknown user u@example.net\", \"stage\": \"data_end\"}",
                "{\"reply\": \"550 Unknown user u@example.net\", \"stage\": \"rcpt\", \"remoteHost\": \"mx.example.net\"}",
                "this is not json",
                "{\"reply\": 42}",
                "{\"reply\": \"550 x\", \"stage\": \"ehlo\"}",
                "[1, 2]",
                "{\"reply\": \"451 4.7.650 The mail server [192.0.2.5] has been temporarily rate limited due to IP reputation.\"}");
        Run r = run(stdin, "--input", "jsonl", "--json");
        assertThat(r.out()).hasSize(7);
        assertThat(JSON.readTree(r.out().get(0)).get("category").asText()).isEqualTo("filtered");
        JsonNode second = JSON.readTree(r.out().get(1));
        assertThat(second.get("category").asText()).isEqualTo("userunknown");
        assertThat(second.get("remoteHost").asText()).isEqualTo("mx.example.net");
        assertThat(JSON.readTree(r.out().get(2)).get("error").asText()).startsWith("not JSON");
        assertThat(JSON.readTree(r.out().get(2)).get("line").asInt()).isEqualTo(3);
        assertThat(JSON.readTree(r.out().get(3)).get("error").asText()).contains("\"reply\"");
        assertThat(JSON.readTree(r.out().get(4)).get("error").asText()).contains("unknown stage 'ehlo'");
        assertThat(JSON.readTree(r.out().get(5)).get("error").asText()).contains("JSON object");
        assertThat(JSON.readTree(r.out().get(6)).get("category").asText()).isEqualTo("badreputation");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void invalidUtf8AndHugeLinesAreHandled() {
        byte[] bad = {'5', '5', '0', ' ', (byte) 0xC3, (byte) 0x28, ' ', 'u', 's', 'e', 'r', ' ', 'u', 'n', 'k', 'n', 'o',
                'w', 'n', '\n'};
        Run r = run(bad);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).singleElement().asString().contains("userunknown");

        String huge = "550 5.1.1 user unknown " + "x".repeat(3 * ClassifyCommand.MAX_LINE_CHARS) + "\n550 5.2.2 mailbox full\n";
        Run h = run(huge);
        assertThat(h.out()).hasSize(2);
        assertThat(h.out().get(0)).contains("userunknown");
        assertThat(h.out().get(1)).contains("mailboxfull");

        Run j = run("{\"reply\": \"" + "x".repeat(2 * ClassifyCommand.MAX_LINE_CHARS) + "\"}\n", "--input", "jsonl");
        assertThat(j.out()).singleElement().asString().contains("line longer than");
    }

    @Test
    void badOptionsAndRuleFilesAreReportedNotThrown(@TempDir Path dir) throws IOException {
        Run stage = run("", "--stage", "ehlo", "550 x");
        assertThat(stage.exit()).isEqualTo(2);
        assertThat(stage.err()).contains("unknown stage 'ehlo'");

        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, "rules:\n  - {id: a, text: x, category: nope}\n");
        Run bad = run("", "--rules", rules.toString(), "550 x");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("rules.yml:2", "field 'category'");
        assertThat(bad.out()).isEmpty();
    }

    @Test
    void userRulesApplyFromTheCommandLine(@TempDir Path dir) throws IOException {
        Path rules = dir.resolve("mine.yml");
        Files.writeString(rules, "rules:\n  - {id: mine.acme, text: \"acme says no\", category: policyviolation}\n");
        Run r = run("", "--rules", rules.toString(), "550 ACME says no");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).singleElement().asString().contains("policyviolation", "mine.acme");
    }
}
