package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.classify.Classification;
import dev.bouncewatch.agent.classify.Classifier;
import dev.bouncewatch.agent.classify.ClassifierInput;
import dev.bouncewatch.agent.classify.RuleFileException;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.parse.Correlator;
import dev.bouncewatch.agent.parse.LogParser;
import dev.bouncewatch.agent.parse.ParserSettings;
import dev.bouncewatch.agent.report.HtmlReportRenderer;
import dev.bouncewatch.agent.report.Report;
import dev.bouncewatch.agent.report.ReportBuilder;
import dev.bouncewatch.agent.report.ReportEntry;
import dev.bouncewatch.agent.report.SuppressListWriter;
import dev.bouncewatch.agent.report.TextReportRenderer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bouncewatch report}: reads mail logs, classifies every delivery result and prints the
 * overview: totals, categories and actions, domains and hosts by bounce rate, full reason texts and
 * the addresses to suppress. Without a file it reads this host's mail log ({@link MailLogLocator}).
 */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Reads mail logs and prints what bounced, why, and what to do: totals by status, category and action,",
            "recipient domains and remote hosts by bounce rate, reasons in full, the addresses to suppress.",
            "Without FILE, reads this host's mail log: the first readable of " + ReportCommand.DEFAULT_PATHS + "."},
        footer = {"", "Examples:",
            "  bouncewatch report                                    # this host's mail log",
            "  bouncewatch report --html report.html --suppress-out suppress.txt /var/log/mail.log.1 /var/log/mail.log",
            "  journalctl -o short -u 'postfix*' | bouncewatch report -",
            "", "Exit status: 0 report written, 1 an input could not be read (the report covers the rest)",
            "or no mail log was found, 2 bad options or rule file."})
public final class ReportCommand implements Callable<Integer> {

    static final String DEFAULT_PATHS = "/var/log/mail.log, /var/log/maillog, /var/log/exim4/mainlog, /var/log/mail/mail.log";

    @Mixin
    LogInputOptions input = new LogInputOptions();

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML page with charts to FILE.")
    Path html;

    @Option(names = "--suppress-out", paramLabel = "FILE",
            description = "Write the full suppress list to FILE, one address a line (the text report shows the first 100).")
    Path suppressOut;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "Extra classifier rule file, tried before the built-in rules (repeatable), as in classify --rules.")
    List<Path> ruleFiles = new ArrayList<>();

    @Option(names = "--progress", description = "Draw the progress bar on stderr even when it is not a terminal.")
    boolean progress;

    @Parameters(arity = "0..*", paramLabel = "FILE",
            description = "Log files, plain or gzip, oldest first; - for stdin. Default: this host's mail log.")
    List<String> files = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where to look for the mail log when no file is given; a field so tests can point it at temp files. */
    List<Path> candidates = MailLogLocator.DEFAULT_CANDIDATES;

    /** The journal reader used when no mail log file exists (Debian 12 without rsyslog); a field for tests. */
    Path journalctl = MailLogLocator.JOURNALCTL;

    @Override
    public Integer call() throws IOException {
        ParserSettings settings = input.settings(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Classifier classifier;
        try {
            classifier = Classifier.load(ruleFiles);
        } catch (RuleFileException e) {
            err.println("bouncewatch report: bad rule file: " + e.getMessage());
            err.flush();
            return 2;
        }
        List<String> toRead = files;
        Process journal = null;
        if (toRead.isEmpty()) {
            MailLogLocator locator = new MailLogLocator(candidates);
            MailLogLocator.Found found = locator.find();
            if (found.file() == null && found.unreadable().isEmpty() && Files.isExecutable(journalctl)) {
                // no syslog file at all: the MTA's lines are in the journal, under the mail facility
                List<String> command = List.of(journalctl.toString(), "--no-pager", "--quiet", "--output=short-iso",
                        "SYSLOG_FACILITY=2");
                err.println("bouncewatch report: no mail log file; reading the systemd journal: " + String.join(" ", command));
                err.flush();
                journal = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                journal.getOutputStream().close();
            } else if (found.file() == null) {
                err.println("bouncewatch report: " + locator.notFoundMessage(found));
                err.flush();
                return 1;
            } else {
                err.println("bouncewatch report: reading " + found.file() + " (found automatically; name files to read others)");
                List<Path> older = MailLogLocator.rotatedSiblings(found.file());
                if (!older.isEmpty()) {
                    err.println("  older rotations such as " + older.get(0) + " are not read; name them, oldest first, to include them");
                }
                err.flush();
                toRead = List.of(found.file().toString());
            }
        }

        LogParser parser = new LogParser(settings, Correlator.withDefaults(), reject -> { });
        LogInputs inputs = new LogInputs(parser, settings.maxLineLength(), input.year, "bouncewatch report", err,
                progress ? LogInputs.Progress.ALWAYS : LogInputs.Progress.ON_TERMINAL);
        ReportBuilder builder = new ReportBuilder();
        boolean allRead;
        // classifying and aggregating on a second thread overlaps them with parsing
        try (BackgroundHandler aggregate = new BackgroundHandler(
                r -> builder.add(entry(r, classifier.classify(ClassifierInput.of(r)))), "bouncewatch-report")) {
            allRead = journal == null ? inputs.readAll(toRead, aggregate)
                    : inputs.readStream("journal (mail facility)", journal.getInputStream(), aggregate);
        }
        if (journal != null) {
            try {
                allRead &= journal.waitFor() == 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                allRead = false;
            }
        }
        for (LogInputs.Source s : inputs.sources()) {
            builder.addSource(s.name(), s.lines(), s.skipped());
        }
        Report report = builder.build();

        ZoneId zone = settings.zone();
        new TextReportRenderer(100, 100, zone).render(report, out);
        out.flush();
        boolean written = true;
        if (html != null) {
            written &= writeFile(html, "HTML report", w -> new HtmlReportRenderer(5000, zone).render(report, w), err);
        }
        if (suppressOut != null) {
            written &= writeFile(suppressOut, report.suppress().size() + " addresses to suppress",
                    w -> SuppressListWriter.write(report, w), err);
        }
        err.println(parser.counters().summary());
        err.println("  " + parser.counters().details());
        err.flush();
        return allRead && written ? 0 : 1;
    }

    static ReportEntry entry(DeliveryResult r, Classification c) {
        return new ReportEntry(r, c.severity().wireName(), c.category(), c.action().wireName(), c.hardBounce(),
                c.signals(), c.advice());
    }

    private interface Render {
        void to(Writer w) throws IOException;
    }

    private static boolean writeFile(Path file, String what, Render render, PrintWriter err) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            render.to(w);
        } catch (IOException e) {
            err.println("bouncewatch report: cannot write " + file + ": " + e);
            return false;
        }
        err.println("bouncewatch report: " + what + " written to " + file);
        return true;
    }
}
