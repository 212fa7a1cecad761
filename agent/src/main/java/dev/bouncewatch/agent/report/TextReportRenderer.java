package dev.bouncewatch.agent.report;

import dev.bouncewatch.agent.model.DeliveryStatus;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The terminal report: sections with aligned columns, reply texts in full (wrapped, never cut at
 * 50 characters as pflogsumm does), remote text stripped of control characters.
 */
public final class TextReportRenderer {

    private static final String INDENT = "  ";

    private final int width;
    private final int suppressShown;
    private final ReportFormat format;

    /** 100 columns, up to 100 suppress-list addresses (the full list: {@link SuppressListWriter}), UTC. */
    public TextReportRenderer() {
        this(100, 100, ZoneOffset.UTC);
    }

    public TextReportRenderer(int width, int suppressShown, ZoneId zone) {
        if (width < 40) {
            throw new IllegalArgumentException("report width must be at least 40 columns, was " + width);
        }
        this.width = width;
        this.suppressShown = suppressShown;
        this.format = new ReportFormat(zone);
    }

    public void render(Report report, Writer writer) {
        PrintWriter out = writer instanceof PrintWriter pw ? pw : new PrintWriter(writer);
        header(report, out);
        totals(report, out);
        counts("Categories (attempts not delivered)", "category", report.categories(), out);
        counts("Actions (attempts not delivered)", "action", report.actions(), out);
        counts("Signals (attempts not delivered)", "signal", report.signals(), out);
        rates("Recipient domains by bounce rate", "domain", report.domains(), report.minVolume(), out);
        rates("Remote hosts by bounce rate", "remote host", report.hosts(), report.minVolume(), out);
        reasons(report, out);
        suppress(report, out);
        timeline(report, out);
        out.flush();
    }

    private void title(String title, PrintWriter out) {
        out.println();
        out.println(title);
        out.println("=".repeat(title.length()));
    }

    private void header(Report report, PrintWriter out) {
        out.println("bouncewatch report");
        out.println("==================");
        out.println("Period   " + format.time(report.firstSeen()) + "  to  " + format.time(report.lastSeen())
                + (report.firstSeen() == null ? "" : "  (" + ReportFormat.span(report.firstSeen(), report.lastSeen())
                + ")"));
        for (Report.Source s : report.sources()) {
            out.println("Input    " + TextWrap.printable(s.name()) + ": " + ReportFormat.count(s.lines())
                    + " lines, " + ReportFormat.count(s.skippedLines()) + " skipped");
        }
    }

    private void totals(Report report, PrintWriter out) {
        title("Delivery results", out);
        long attempts = report.totalAttempts();
        long recipients = report.totalRecipients();
        TextTable table = new TextTable("status", ">attempts", ">share", ">recipients", ">share");
        for (DeliveryStatus s : DeliveryStatus.values()) {
            long a = report.attempts().get(s);
            long r = report.recipients().get(s);
            table.row(s.wireName(), ReportFormat.count(a), ReportFormat.percent(a, attempts),
                    ReportFormat.count(r), ReportFormat.percent(r, recipients));
        }
        table.row("total", ReportFormat.count(attempts), "", ReportFormat.count(recipients), "");
        table.print(out, INDENT);
        out.println();
        paragraph("Attempts are log lines; recipients count each recipient of each message once, by its final"
                + " outcome (deferred = still queued when the log ends)."
                + (report.recipientsExact() ? "" : " More recipients were waiting at once than tracked:"
                + " a few of them may be counted twice."), INDENT, out);
    }

    private void counts(String title, String what, List<Report.CountRow> rows, PrintWriter out) {
        title(title, out);
        if (rows.isEmpty()) {
            out.println(INDENT + "none");
            return;
        }
        long total = rows.stream().mapToLong(Report.CountRow::count).sum();
        TextTable table = new TextTable(what, ">attempts", ">share", ">hard bounces");
        for (Report.CountRow row : rows) {
            table.row(row.key(), ReportFormat.count(row.count()), ReportFormat.percent(row.count(), total),
                    ReportFormat.count(row.hardBounces()));
        }
        table.print(out, INDENT);
    }

    private void rates(String title, String what, List<Report.RateRow> rows, int minVolume, PrintWriter out) {
        title(title, out);
        if (rows.isEmpty()) {
            out.println(INDENT + "none with at least " + minVolume + " final outcomes");
            return;
        }
        TextTable table = new TextTable(what, ">bounce rate", ">bounced", ">expired", ">deferred", ">delivered");
        for (Report.RateRow row : rows) {
            table.row(row.key(), ReportFormat.percent(row.bounceRate()), ReportFormat.count(row.bounced()),
                    ReportFormat.count(row.expired()), ReportFormat.count(row.deferred()),
                    ReportFormat.count(row.delivered()));
        }
        table.print(out, INDENT);
        out.println();
        paragraph("Bounce rate = (bounced + expired) / (delivered + bounced + expired); only those with at least "
                + minVolume + " final outcomes.", INDENT, out);
    }

    private void reasons(Report report, PrintWriter out) {
        title("Top reasons (full text, grouped)", out);
        if (report.reasons().isEmpty()) {
            out.println(INDENT + "none");
            return;
        }
        int rank = 1;
        for (Report.ReasonGroup g : report.reasons()) {
            String head = String.format("%2d. ", rank++);
            String indent = INDENT + " ".repeat(head.length());
            out.println(INDENT + head + ReportFormat.count(g.count(), "attempt") + ", "
                    + ReportFormat.count(g.bounced()) + " bounced or expired; " + TextWrap.printable(g.category())
                    + " -> " + TextWrap.printable(g.action()) + "; "
                    + (g.domains() >= ReasonStats.DOMAINS_COUNTED ? g.domains() + "+" : g.domains())
                    + (g.domains() == 1 ? " domain" : " domains"));
            labelled("example: ", g.example(), indent, out);
            if (!g.pattern().equals(g.example())) {
                labelled("grouped: ", g.pattern(), indent, out);
            }
            if (!g.advice().isBlank()) {
                labelled("advice:  ", g.advice(), indent, out);
            }
            out.println();
        }
        if (report.otherReasons() > 0) {
            out.println(INDENT + ReportFormat.count(report.otherReasons()) + " more attempts with other reasons.");
        }
    }

    private void suppress(Report report, PrintWriter out) {
        List<Report.SuppressedAddress> list = report.suppress();
        title("Addresses to suppress (" + ReportFormat.count(list.size()) + ")", out);
        if (list.isEmpty()) {
            out.println(INDENT + "none");
            return;
        }
        TextTable table = new TextTable("address", ">bounces", "category", "last seen");
        for (Report.SuppressedAddress a : list.subList(0, Math.min(list.size(), suppressShown))) {
            table.row(a.address(), ReportFormat.count(a.bounces()), a.category(), format.time(a.lastSeen()));
        }
        table.print(out, INDENT);
        if (list.size() > suppressShown) {
            out.println(INDENT + ReportFormat.count(list.size() - suppressShown) + " more addresses not shown.");
        }
        if (report.suppressOmitted() > 0) {
            out.println(INDENT + ReportFormat.count(report.suppressOmitted())
                    + " hard bounces of further addresses were not kept (list full).");
        }
    }

    private void timeline(Report report, PrintWriter out) {
        Report.Timeline t = report.timeline();
        title("Bounces over time (per " + (t.bucketSeconds() >= BounceTimeline.DAY ? "day" : "hour") + ")", out);
        if (t.buckets().isEmpty()) {
            out.println(INDENT + "no dated results");
            return;
        }
        long max = t.buckets().stream().mapToLong(b -> b.failed() + b.deferred()).max().orElse(0);
        int barWidth = Math.max(10, width - 66);
        TextTable table = new TextTable("time", ">bounced", ">expired", ">deferred", ">delivered",
                "# bounced or expired, - deferred");
        for (Report.Bucket b : t.buckets()) {
            int failed = scale(b.failed(), max, barWidth);
            int deferred = scale(b.failed() + b.deferred(), max, barWidth) - failed;
            table.row(format.bucket(b.start(), t.bucketSeconds()), ReportFormat.count(b.bounced()),
                    ReportFormat.count(b.expired()),
                    ReportFormat.count(b.deferred()), ReportFormat.count(b.delivered()),
                    "#".repeat(failed) + "-".repeat(Math.max(0, deferred)));
        }
        table.print(out, INDENT);
        if (t.undated() > 0) {
            out.println(INDENT + ReportFormat.count(t.undated()) + " results without a usable time.");
        }
    }

    /** Bar length; any non-zero count gets at least one character so it is not mistaken for zero. */
    private static int scale(long value, long max, int width) {
        if (value == 0 || max == 0) {
            return 0;
        }
        return (int) Math.max(1, Math.round((double) value * width / max));
    }

    private void labelled(String label, String text, String indent, PrintWriter out) {
        List<String> lines = TextWrap.wrap(TextWrap.printable(text), Math.max(20, width - indent.length()
                - label.length()));
        out.println(indent + label + lines.get(0));
        String hanging = indent + " ".repeat(label.length());
        for (String line : lines.subList(1, lines.size())) {
            out.println(hanging + line);
        }
    }

    private void paragraph(String text, String indent, PrintWriter out) {
        for (String line : TextWrap.wrap(text, width - indent.length())) {
            out.println(indent + line);
        }
    }
}
