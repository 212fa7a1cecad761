package dev.bouncewatch.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import picocli.CommandLine;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report subcommand end to end, in-process, on a small log from the benchmark generator
 * ({@code bench/gen-postfix-log.py 400 --seed 4 --format traditional}): expectations are counted from
 * the log text itself, not copied from the output.
 */
class ReportCommandTest {

    private static final Pattern DELIVERY = Pattern.compile("postfix/smtp\\[\\d+\\]: \\w+: to=<([^>]+)>.* status=(\\w+) \\((.*)\\)$");

    private record Run(int exit, String out, String err) {
    }

    private static Run run(List<Path> candidates, String... args) {
        return run(candidates, Path.of("/nonexistent/journalctl"), args);
    }

    private static Run run(List<Path> candidates, Path journalctl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BouncewatchCommand());
        ReportCommand report = cli.getSubcommands().get("report").getCommand();
        if (candidates != null) {
            report.candidates = candidates;
            report.journalctl = journalctl;
        }
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Path smallLog(Path dir) throws IOException {
        return copyOfSmallLog(dir.resolve("mail.log"));
    }

    private static Path copyOfSmallLog(Path log) throws IOException {
        try (InputStream in = Objects.requireNonNull(ReportCommandTest.class.getResourceAsStream("/report/postfix-small.log"))) {
            Files.write(log, in.readAllBytes());
        }
        return log;
    }

    /** Recipient, status and reply text of each delivery line, straight from the log. */
    private record Delivery(String recipient, String status, String text) {
    }

    private static List<Delivery> deliveries(Path log) throws IOException {
        List<Delivery> found = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = DELIVERY.matcher(line);
            if (m.find()) {
                found.add(new Delivery(m.group(1), m.group(2), m.group(3)));
            }
        }
        return found;
    }

    private static long count(List<Delivery> ds, String status) {
        return ds.stream().filter(d -> d.status.equals(status)).count();
    }

    @Test
    void reportsTotalsFullReasonsAndTheSuppressList(@TempDir Path dir) throws Exception {
        Path log = smallLog(dir);
        List<Delivery> ds = deliveries(log);
        assertThat(count(ds, "bounced")).as("the resource has bounces").isPositive();
        Path html = dir.resolve("report.html");
        Path suppress = dir.resolve("suppress.txt");
        Run run = run(null, "report", "--tz", "UTC", "--html", html.toString(), "--suppress-out", suppress.toString(),
                log.toString());
        assertThat(run.exit).as(run.err).isZero();

        assertThat(run.out).containsPattern("(?m)^\\s+delivered\\s+" + count(ds, "sent") + "\\s")
                .containsPattern("(?m)^\\s+deferred\\s+" + count(ds, "deferred") + "\\s")
                .containsPattern("(?m)^\\s+bounced\\s+" + count(ds, "bounced") + "\\s")
                .containsPattern("(?m)^\\s+total\\s+" + ds.size() + "\\s");
        assertThat(run.out).contains("Input    " + log + ": " + Files.readAllLines(log).size() + " lines");
        assertThat(run.err).contains(Files.readAllLines(log).size() + " lines, " + ds.size() + " results");

        // the Gmail text in full, as pflogsumm never shows it (the renderer wraps it: compare words)
        String flat = run.out.replaceAll("\\s+", " ");
        assertThat(flat).contains("The email account that you tried to reach does not exist. Please try double-checking the "
                + "recipient's email address for typos or unnecessary spaces. For more information, go to "
                + "https://support.google.com/mail/?p=NoSuchUser");

        List<String> listed = Files.readAllLines(suppress, StandardCharsets.UTF_8);
        List<String> unknownUsers = ds.stream().filter(d -> d.status.equals("bounced")
                        && (d.text.contains("does not exist") || d.text.contains("User unknown")))
                .map(Delivery::recipient).distinct().toList();
        List<String> otherBounces = ds.stream().filter(d -> d.status.equals("bounced")
                        && (d.text.contains("Mailbox full") || d.text.contains("Spamhaus") || d.text.contains("DMARC")))
                .map(Delivery::recipient).toList();
        assertThat(unknownUsers).isNotEmpty();
        assertThat(listed).containsAll(unknownUsers).doesNotContainAnyElementsOf(otherBounces);
        assertThat(listed).allSatisfy(a -> assertThat(ds).anyMatch(d -> d.recipient.equals(a) && d.status.equals("bounced")));
        assertThat(run.out).contains("Addresses to suppress (" + listed.size() + ")");
        assertThat(run.err).contains(listed.size() + " addresses to suppress written to " + suppress);

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document page = factory.newDocumentBuilder().parse(html.toFile());
        assertThat(page.getDocumentElement().getLocalName()).isEqualTo("html");
        assertThat(page.getElementsByTagNameNS("*", "svg").getLength()).isPositive();
        assertThat(page.getDocumentElement().getTextContent()).contains(unknownUsers.get(0));
    }

    @Test
    void withoutFilesReadsTheFirstReadableCandidateAndSaysWhich(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("mail.log");
        Path maillog = copyOfSmallLog(dir.resolve("maillog"));
        Path later = dir.resolve("mainlog");
        Files.writeString(later, "not read\n");
        Files.writeString(dir.resolve("maillog.1"), "older\n");
        Run run = run(List.of(missing, maillog, later), "report", "--tz", "UTC");
        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.err).contains("reading " + maillog + " (found automatically")
                .contains("older rotations such as " + dir.resolve("maillog.1"));
        assertThat(run.out).contains("Input    " + maillog + ": ").doesNotContain("mainlog");
        assertThat(run.out).containsPattern("(?m)^\\s+bounced\\s+" + count(deliveries(maillog), "bounced") + "\\s");
    }

    @Test
    void withoutFilesAndNoLogItListsThePathsTried(@TempDir Path dir) {
        List<Path> tried = List.of(dir.resolve("mail.log"), dir.resolve("maillog"), dir.resolve("exim4/mainlog"));
        Run run = run(tried, "report");
        assertThat(run.exit).isEqualTo(1);
        assertThat(run.out).isEmpty();
        assertThat(run.err).contains("no mail log found; tried " + tried.get(0) + ", " + tried.get(1) + ", " + tried.get(2) + ".")
                .contains("journalctl");
    }

    @Test
    void withoutAnyLogFileItReadsTheJournalsMailFacility(@TempDir Path dir) throws IOException {
        Path log = smallLog(dir.resolve("elsewhere.log").getParent());
        Path fakeJournalctl = dir.resolve("journalctl");
        // stands in for journalctl: checks it was asked for the mail facility, then prints the log
        Files.writeString(fakeJournalctl, "#!/bin/sh\ncase \"$*\" in *SYSLOG_FACILITY=2*) cat '" + log + "';; *) exit 3;; esac\n");
        fakeJournalctl.toFile().setExecutable(true);
        Run run = run(List.of(dir.resolve("mail.log.none")), fakeJournalctl, "report", "--tz", "UTC");
        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.err).contains("reading the systemd journal");
        assertThat(run.out).contains("journal (mail facility)");
        assertThat(run.out).containsPattern("(?m)^\\s+bounced\\s+" + count(deliveries(log), "bounced") + "\\s");
    }

    @Test
    void aDirectoryIsNotAMailLog(@TempDir Path dir) throws IOException {
        Path asDir = Files.createDirectory(dir.resolve("mail.log"));
        Run run = run(List.of(asDir), "report");
        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err).contains("no mail log found; tried " + asDir);
    }

    @Test
    void aMissingFileIsNamedAndTheReportCoversTheRest(@TempDir Path dir) throws IOException {
        Path log = smallLog(dir);
        Run run = run(null, "report", dir.resolve("nope.log").toString(), log.toString());
        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err).contains("bouncewatch report: " + dir.resolve("nope.log") + ": no such file");
        assertThat(run.out).containsPattern("(?m)^\\s+total\\s+" + deliveries(log).size() + "\\s");
    }

    @Test
    void aBadRuleFileIsAUsageError(@TempDir Path dir) throws IOException {
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, "rules:\n  - {id: a, text: x, category: nope}\n");
        Run run = run(null, "report", "--rules", rules.toString(), smallLog(dir).toString());
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("rules.yml:2");
        assertThat(run.out).isEmpty();
    }
}
