package dev.bouncewatch.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The parse subcommand run in-process through picocli, as {@code java -jar bouncewatch.jar parse} would. */
class ParseCommandTest {

    private static final String LOG = String.join("\n",
            "Dec  9 10:18:23 mail postfix/qmgr[3398]: BA8F630001DA: from=<sender@mydomain.com>, size=502, nrcpt=2 (queue active)",
            "Dec  9 10:18:24 mail postfix/smtp[20053]: BA8F630001DA: to=<recipient1@dst3.example.com>, relay=aspmx.l.google.com[74.125.143.26]:25, delay=0.34, delays=0.02/0.03/0.26/0.03, dsn=5.1.1, status=bounced (host aspmx.l.google.com[74.125.143.26] said: 550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. Learn more at 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser od20si504618ejb.621 - gsmtp (in reply to RCPT TO command))",
            "Dec  9 10:18:24 mail dovecot[77]: imap(user): Logged out",
            "garbage without a prefix",
            "Dec  9 10:18:26 mail postfix/smtp[20058]: BA8F630001DA: to=<recipient1@dst2.example.com>, relay=mx.zoho.com[136.143.191.44]:25, delay=2.7, delays=0.02/0.11/1.3/1.3, dsn=2.0.0, status=sent (250 Message received)",
            "Dec  9 10:18:26 mail postfix/qmgr[3398]: BA8F630001DA: removed") + "\n";

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BouncewatchCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void jsonlFromAPlainFile(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("mail.log");
        Files.writeString(log, LOG);
        Run run = run("parse", "--year", "2020", "--tz", "UTC", log.toString());
        assertThat(run.exit).as(run.err).isZero();
        List<JsonNode> results = jsonLines(run.out);
        assertThat(results).hasSize(2);
        JsonNode bounce = results.get(0);
        assertThat(bounce.get("time").asText()).isEqualTo("2020-12-09T10:18:24Z");
        assertThat(bounce.get("status").asText()).isEqualTo("bounced");
        assertThat(bounce.get("sender").asText()).isEqualTo("sender@mydomain.com");
        assertThat(bounce.get("replyCode").asInt()).isEqualTo(550);
        assertThat(bounce.get("stage").asText()).isEqualTo("rcpt");
        assertThat(bounce.get("diagnostic").asText()).startsWith("550 5.1.1 The email account").doesNotContain("550-5.1.1");
        assertThat(results.get(1).get("status").asText()).isEqualTo("delivered");
        assertThat(run.err.lines().findFirst()).hasValue("6 lines, 2 results, 2 skipped");
    }

    @Test
    void gzipFilesAreReadDirectlyAndFilesAreCorrelatedInOrder(@TempDir Path dir) throws IOException {
        Path gz = dir.resolve("mail.log.1.gz");
        String[] lines = LOG.split("\n");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write((lines[0] + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path plain = dir.resolve("mail.log");
        Files.writeString(plain, lines[1] + "\n");
        Run run = run("parse", "--format", "csv", "--tz", "UTC", gz.toString(), plain.toString());
        assertThat(run.exit).as(run.err).isZero();
        String[] csv = run.out.split("\r\n");
        assertThat(csv).hasSize(2);
        assertThat(csv[0]).startsWith("time,host,mta,queueId");
        assertThat(csv[1]).contains(",postfix,BA8F630001DA,,sender@mydomain.com,recipient1@dst3.example.com,");
        assertThat(run.err).startsWith("2 lines, 1 results, 0 skipped");
    }

    @Test
    void forcedMtaAndTableFormat(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("mainlog");
        Files.writeString(log, "2020-06-19 06:26:02 1jmH1s-000AVD-5t => dave@foo.corp R=dnslookup T=remote_smtp H=mail.foo.corp [1.1.1.1] C=\"250 2.0.0 Ok: queued\"\n"
                + LOG);
        Run run = run("parse", "--mta", "exim", "--format", "table", log.toString());
        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out.split("\n")).hasSize(2);
        assertThat(run.out).contains("dave@foo.corp").doesNotContain("dst3.example.com");
        assertThat(run.err).startsWith("7 lines, 1 results, 6 skipped");
    }

    @Test
    void aMissingFileIsNamedAndTheOthersAreStillRead(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("mail.log");
        Files.writeString(log, LOG);
        Run run = run("parse", dir.resolve("nope.log").toString(), log.toString());
        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err).contains("nope.log: no such file");
        assertThat(jsonLines(run.out)).hasSize(2);
    }

    @Test
    void aTruncatedGzipKeepsWhatWasReadAndSaysWhere(@TempDir Path dir) throws IOException {
        Path gz = dir.resolve("mail.log.gz");
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            big.append(LOG);
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(big.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Run run = run("parse", gz.toString());
        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err).contains("mail.log.gz: read error after line");
        assertThat(jsonLines(run.out)).isNotEmpty();
    }

    @Test
    void everyResultCarriesItsClassification(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("mail.log");
        Files.writeString(log, LOG + "Dec  9 10:19:01 mail postfix/smtp[20060]: 3F1A2B4C5D: to=<gone@example.net>, "
                + "relay=mx.example.net[192.0.2.7]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.1.1, status=bounced "
                + "(host mx.example.net[192.0.2.7] said: 550 5.1.1 <gone@example.net>: Recipient address rejected: "
                + "User unknown in virtual mailbox table (in reply to RCPT TO command))\n");
        Run run = run("parse", "--year", "2020", "--tz", "UTC", log.toString());
        assertThat(run.exit).as(run.err).isZero();
        List<JsonNode> results = jsonLines(run.out);
        assertThat(results).hasSize(3);
        JsonNode unknown = results.get(2);
        assertThat(unknown.get("recipient").asText()).isEqualTo("gone@example.net");
        assertThat(unknown.get("severity").asText()).isEqualTo("permanent");
        assertThat(unknown.get("category").asText()).isEqualTo("userunknown");
        assertThat(unknown.get("hardBounce").isBoolean()).isTrue();
        assertThat(unknown.get("hardBounce").asBoolean()).isTrue();
        assertThat(unknown.get("action").asText()).isEqualTo("suppress");
        assertThat(unknown.get("signals").isArray()).isTrue();
        assertThat(unknown.get("signals").toString()).contains("stage:rcpt");
        assertThat(unknown.get("ruleId").asText()).isNotBlank();
        assertThat(unknown.get("advice").asText()).isNotBlank();
        JsonNode delivered = results.get(1);
        assertThat(delivered.get("category").asText()).isEqualTo("delivered");
        assertThat(delivered.get("severity").asText()).isEqualTo("none");
        assertThat(delivered.get("hardBounce").asBoolean()).isFalse();
        assertThat(results.get(0).get("category").asText()).isEqualTo("userunknown");
        List<String> names = new ArrayList<>();
        unknown.fieldNames().forEachRemaining(names::add);
        assertThat(names.subList(names.size() - 7, names.size()))
                .containsExactly("severity", "category", "hardBounce", "action", "signals", "ruleId", "advice");
    }

    @Test
    void csvAndTableCarryTheClassificationColumns(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("mail.log");
        Files.writeString(log, LOG);
        Run csv = run("parse", "--format", "csv", "--year", "2020", log.toString());
        assertThat(csv.exit).as(csv.err).isZero();
        String[] rows = csv.out.split("\r\n");
        assertThat(rows).hasSize(3);
        assertThat(rows[0]).endsWith(",attempts,severity,category,hardBounce,action,signals,ruleId,advice");
        assertThat(rows[1]).contains(",permanent,userunknown,true,suppress,");
        assertThat(rows[1]).containsPattern(",provider:google;|;provider:google[,;]");
        assertThat(rows[2]).contains(",none,delivered,false,none,");
        Run table = run("parse", "--format", "table", "--year", "2020", log.toString());
        assertThat(table.exit).as(table.err).isZero();
        String[] lines = table.out.split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).contains("severity", "category", "action", "advice");
        assertThat(lines[1]).contains("userunknown", "suppress");
        assertThat(lines[2]).contains("delivered");
    }

    @Test
    void userRulesApplyToParsedResults(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("mail.log");
        Files.writeString(log, LOG);
        Path rules = dir.resolve("mine.yml");
        Files.writeString(rules, "rules:\n  - {id: mine.gmail-gone, text: \"account that you tried to reach does not exist\", "
                + "category: policyviolation}\n");
        Run run = run("parse", "--rules", rules.toString(), log.toString());
        assertThat(run.exit).as(run.err).isZero();
        JsonNode bounce = jsonLines(run.out).get(0);
        assertThat(bounce.get("ruleId").asText()).isEqualTo("mine.gmail-gone");
        assertThat(bounce.get("category").asText()).isEqualTo("policyviolation");

        Files.writeString(rules, "rules:\n  - {id: a, text: x, category: nope}\n");
        Run bad = run("parse", "--rules", rules.toString(), log.toString());
        assertThat(bad.exit).isEqualTo(2);
        assertThat(bad.err).contains("mine.yml:2", "field 'category'");
        assertThat(bad.out).isEmpty();
    }

    @Test
    void tooLongLinesAreSkippedAndCountedInOrder(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("mail.log");
        String[] lines = LOG.split("\n");
        String huge = "Dec  9 10:18:24 mail postfix/smtp[1]: " + "x".repeat(300 * 1024);
        Files.writeString(log, lines[0] + "\n" + huge + "\n" + lines[1] + "\n" + huge + "\n" + lines[4] + "\n");
        Run run = run("parse", "--year", "2020", log.toString());
        assertThat(run.exit).as(run.err).isZero();
        assertThat(jsonLines(run.out)).hasSize(2);
        assertThat(run.err).startsWith("5 lines, 2 results, 2 skipped").contains("too long 2");
    }

    @Test
    void badOptionsAreUsageErrors() {
        Run mta = run("parse", "--mta", "qmail", "x.log");
        assertThat(mta.exit).isEqualTo(2);
        assertThat(mta.err).contains("unknown MTA 'qmail'");
        Run tz = run("parse", "--tz", "Mars/Olympus", "x.log");
        assertThat(tz.exit).isEqualTo(2);
        assertThat(tz.err).contains("unknown time zone 'Mars/Olympus'");
        Run noFile = run("parse");
        assertThat(noFile.exit).isEqualTo(2);
    }

    private static List<JsonNode> jsonLines(String out) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                nodes.add(mapper.readTree(line));
            }
        }
        return nodes;
    }
}
