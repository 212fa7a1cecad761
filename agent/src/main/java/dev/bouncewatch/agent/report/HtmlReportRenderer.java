package dev.bouncewatch.agent.report;

import dev.bouncewatch.agent.model.DeliveryStatus;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * One self-contained HTML page: inline CSS and hand-drawn inline SVG charts, no scripts, fonts or
 * requests to anywhere. The markup is XHTML-compatible (parses as XML) and every string from the
 * logs is escaped: a remote reply is untrusted text.
 */
public final class HtmlReportRenderer {

    private static final String CSS = """
            :root{--fail:#c0392b;--defer:#e6a117;--ok:#2e8b57;--ink:#1d232b;--muted:#5f6b7a;--line:#dde2e8;--bg:#f5f7fa}
            *{box-sizing:border-box}
            body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
            main{max-width:1180px;margin:0 auto;padding:24px}
            h1{font-size:24px;margin:0 0 4px}
            h2{font-size:17px;margin:0 0 12px}
            .meta{color:var(--muted);margin:0}
            section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 18px;margin:16px 0}
            .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin:16px 0}
            .card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px;border-top:4px solid var(--muted)}
            .card .n{font-size:24px;font-weight:600}
            .card .l{color:var(--muted)}
            .card.delivered{border-top-color:var(--ok)}.card.deferred{border-top-color:var(--defer)}
            .card.bounced,.card.expired{border-top-color:var(--fail)}
            .grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:16px}
            .grid2 section{margin:0}
            table{border-collapse:collapse;width:100%}
            th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
            th{color:var(--muted);font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
            td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            td.key{word-break:break-all}
            .reason{border-top:1px solid var(--line);padding:10px 0}
            .reason:first-of-type{border-top:0}
            .reason .head{font-weight:600}
            .tag{display:inline-block;background:#eef1f5;border-radius:10px;padding:0 8px;margin-left:6px;font-size:12px;font-weight:500;color:var(--ink)}
            .tag.fail{background:#f8e1de;color:#8e2a1f}
            pre{white-space:pre-wrap;word-break:break-word;background:var(--bg);border-radius:6px;padding:8px 10px;margin:6px 0;font:12.5px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
            .label-small{color:var(--muted);font-size:12px}
            .note{color:var(--muted);font-size:12.5px;margin:8px 0 0}
            svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
            svg .axis{font-size:11px;fill:var(--muted)}
            svg .label{font-size:12px;fill:var(--ink)}
            svg .value{font-size:12px;fill:var(--muted)}
            svg .grid{stroke:var(--line);stroke-width:1}
            svg .baseline{stroke:#9aa5b1;stroke-width:1}
            details summary{cursor:pointer;color:var(--muted);margin:6px 0}
            """;

    private final int suppressShown;
    private final ReportFormat format;

    /** Up to 5000 suppress-list addresses, times in UTC. */
    public HtmlReportRenderer() {
        this(5000, ZoneOffset.UTC);
    }

    public HtmlReportRenderer(int suppressShown, ZoneId zone) {
        this.suppressShown = suppressShown;
        this.format = new ReportFormat(zone);
    }

    public void render(Report report, Writer writer) {
        PrintWriter out = writer instanceof PrintWriter pw ? pw : new PrintWriter(writer);
        out.println("<!DOCTYPE html>");
        out.println("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>");
        out.println("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>");
        out.println("<title>bouncewatch report</title><style>");
        out.print(CSS);
        out.println("</style></head><body><main>");
        header(report, out);
        cards(report, out);
        timeline(report, out);
        out.println("<div class=\"grid2\">");
        categories(report, out);
        domainChart(report, out);
        out.println("</div>");
        rates("Recipient domains by bounce rate", "domain", report.domains(), report.minVolume(), out);
        rates("Remote hosts by bounce rate", "remote host", report.hosts(), report.minVolume(), out);
        reasons(report, out);
        suppress(report, out);
        out.println("</main></body></html>");
        out.flush();
    }

    private void header(Report report, PrintWriter out) {
        out.println("<h1>bouncewatch report</h1>");
        out.print("<p class=\"meta\">" + e(format.time(report.firstSeen())) + " to " + e(format.time(report.lastSeen())));
        if (report.firstSeen() != null) {
            out.print(" (" + e(ReportFormat.span(report.firstSeen(), report.lastSeen())) + ")");
        }
        out.println("</p>");
        for (Report.Source s : report.sources()) {
            out.println("<p class=\"meta\">" + e(s.name()) + ": " + ReportFormat.count(s.lines()) + " lines, "
                    + ReportFormat.count(s.skippedLines()) + " skipped</p>");
        }
    }

    private void cards(Report report, PrintWriter out) {
        long recipients = report.totalRecipients();
        out.println("<div class=\"cards\">");
        card("total", ReportFormat.count(recipients), "recipients, " + ReportFormat.count(report.totalAttempts())
                + " attempts", out);
        for (DeliveryStatus s : DeliveryStatus.values()) {
            long r = report.recipients().get(s);
            String name = s == DeliveryStatus.DEFERRED ? "still deferred" : s.wireName();
            card(s.wireName(), ReportFormat.count(r), name + " (" + ReportFormat.percent(r, recipients)
                    + "), " + ReportFormat.count(report.attempts().get(s)) + " attempts", out);
        }
        out.println("</div>");
        out.println("<p class=\"note\">Recipients: each recipient of each message once, by its final outcome"
                + " (deferred = still queued when the log ends)."
                + (report.recipientsExact() ? "" : " More recipients were waiting at once than tracked, so a few"
                + " may be counted twice.") + "</p>");
    }

    private void card(String cssClass, String number, String label, PrintWriter out) {
        out.println("<div class=\"card " + e(cssClass) + "\"><div class=\"n\">" + e(number) + "</div><div class=\"l\">"
                + e(label) + "</div></div>");
    }

    private void timeline(Report report, PrintWriter out) {
        Report.Timeline t = report.timeline();
        String unit = t.bucketSeconds() >= BounceTimeline.DAY ? "day" : "hour";
        out.println("<section id=\"timeline\"><h2>Bounces over time (per " + unit + ")</h2>");
        if (t.buckets().isEmpty()) {
            out.println("<p>No dated results.</p></section>");
            return;
        }
        List<SvgChart.Column> columns = new ArrayList<>();
        boolean spansDays = !format.date(t.buckets().get(0).start())
                .equals(format.date(t.buckets().get(t.buckets().size() - 1).start()));
        for (Report.Bucket b : t.buckets()) {
            String label = t.bucketSeconds() >= BounceTimeline.DAY || spansDays
                    ? format.bucket(b.start(), t.bucketSeconds()) : format.hourOfDay(b.start());
            columns.add(new SvgChart.Column(label, b.failed(), b.deferred(),
                    format.bucket(b.start(), t.bucketSeconds()) + ": " + ReportFormat.count(b.bounced()) + " bounced, "
                    + ReportFormat.count(b.expired()) + " expired, " + ReportFormat.count(b.deferred())
                    + " deferred, " + ReportFormat.count(b.delivered()) + " delivered"));
        }
        out.println(SvgChart.columns("Bounces over time", columns));
        if (t.undated() > 0) {
            out.println("<p class=\"note\">" + ReportFormat.count(t.undated()) + " results without a usable time.</p>");
        }
        out.println("</section>");
    }

    private void categories(Report report, PrintWriter out) {
        out.println("<section id=\"categories\"><h2>By category</h2>");
        List<Report.CountRow> rows = report.categories();
        if (rows.isEmpty()) {
            out.println("<p>No bounces or deferrals.</p></section>");
            return;
        }
        long total = rows.stream().mapToLong(Report.CountRow::count).sum();
        List<SvgChart.Bar> bars = new ArrayList<>();
        for (Report.CountRow r : rows) {
            bars.add(new SvgChart.Bar(r.key(), r.count(), ReportFormat.count(r.count()),
                    r.key() + ": " + ReportFormat.count(r.count()) + " attempts, " + ReportFormat.count(r.hardBounces())
                    + " hard bounces"));
        }
        out.println(SvgChart.bars("Attempts not delivered, by category", bars, 0, SvgChart.NEUTRAL));
        out.println("<table><thead><tr><th>category</th><th class=\"num\">attempts</th><th class=\"num\">share</th>"
                + "<th class=\"num\">hard bounces</th></tr></thead><tbody>");
        for (Report.CountRow r : rows) {
            out.println("<tr><td class=\"key\">" + e(r.key()) + "</td>" + num(r.count()) + "<td class=\"num\">"
                    + ReportFormat.percent(r.count(), total) + "</td>" + num(r.hardBounces()) + "</tr>");
        }
        out.println("</tbody></table>");
        out.println("</section>");
    }

    private void actions(Report report, PrintWriter out) {
        countTable("By action", "action", report.actions(), out);
        if (!report.signals().isEmpty()) {
            countTable("By signal", "signal", report.signals(), out);
        }
    }

    private void countTable(String title, String what, List<Report.CountRow> rows, PrintWriter out) {
        out.println("<h2 style=\"margin-top:16px\">" + e(title) + "</h2>");
        out.println("<table><thead><tr><th>" + e(what) + "</th><th class=\"num\">attempts</th>"
                + "<th class=\"num\">hard bounces</th></tr></thead><tbody>");
        for (Report.CountRow r : rows) {
            out.println("<tr><td class=\"key\">" + e(r.key()) + "</td>" + num(r.count()) + num(r.hardBounces())
                    + "</tr>");
        }
        out.println("</tbody></table>");
    }

    private void domainChart(Report report, PrintWriter out) {
        out.println("<section id=\"domain-chart\"><h2>Bounce rate by recipient domain</h2>");
        if (report.domains().isEmpty()) {
            out.println("<p>No domain with at least " + report.minVolume() + " final outcomes.</p>");
            actions(report, out);
            out.println("</section>");
            return;
        }
        List<SvgChart.Bar> bars = new ArrayList<>();
        for (Report.RateRow r : report.domains()) {
            bars.add(new SvgChart.Bar(r.key(), r.bounceRate(), ReportFormat.percent(r.bounceRate()),
                    r.key() + ": " + ReportFormat.count(r.bounced() + r.expired()) + " of "
                    + ReportFormat.count(r.finals()) + " final outcomes failed"));
        }
        out.println(SvgChart.bars("Bounce rate by recipient domain", bars, 0, SvgChart.FAILED));
        out.println("<p class=\"note\">Bounce rate = (bounced + expired) / (delivered + bounced + expired), for domains"
                + " with at least " + report.minVolume() + " final outcomes.</p>");
        actions(report, out);
        out.println("</section>");
    }

    private void rates(String title, String what, List<Report.RateRow> rows, int minVolume, PrintWriter out) {
        out.println("<section><h2>" + e(title) + "</h2>");
        if (rows.isEmpty()) {
            out.println("<p>None with at least " + minVolume + " final outcomes.</p></section>");
            return;
        }
        out.println("<table><thead><tr><th>" + e(what) + "</th><th class=\"num\">bounce rate</th>"
                + "<th class=\"num\">bounced</th><th class=\"num\">expired</th><th class=\"num\">deferred</th>"
                + "<th class=\"num\">delivered</th></tr></thead><tbody>");
        for (Report.RateRow r : rows) {
            out.println("<tr><td class=\"key\">" + e(r.key()) + "</td><td class=\"num\">"
                    + ReportFormat.percent(r.bounceRate()) + "</td>" + num(r.bounced()) + num(r.expired())
                    + num(r.deferred()) + num(r.delivered()) + "</tr>");
        }
        out.println("</tbody></table></section>");
    }

    private void reasons(Report report, PrintWriter out) {
        out.println("<section id=\"reasons\"><h2>Top reasons</h2>");
        if (report.reasons().isEmpty()) {
            out.println("<p>No bounces or deferrals.</p></section>");
            return;
        }
        for (Report.ReasonGroup g : report.reasons()) {
            String domains = (g.domains() >= ReasonStats.DOMAINS_COUNTED ? g.domains() + "+" : "" + g.domains())
                    + (g.domains() == 1 ? " domain" : " domains");
            out.println("<div class=\"reason\"><div class=\"head\">" + ReportFormat.count(g.count(), "attempt")
                    + "<span class=\"tag" + (g.bounced() > 0 ? " fail" : "") + "\">" + ReportFormat.count(g.bounced())
                    + " bounced or expired</span><span class=\"tag\">" + e(g.category()) + "</span>"
                    + "<span class=\"tag\">" + e(g.action()) + "</span><span class=\"tag\">" + e(domains)
                    + "</span></div>");
            out.println("<div class=\"label-small\">example</div><pre>" + e(g.example()) + "</pre>");
            if (!g.pattern().equals(g.example())) {
                out.println("<div class=\"label-small\">grouped as</div><pre>" + e(g.pattern()) + "</pre>");
            }
            if (!g.advice().isBlank()) {
                out.println("<div class=\"label-small\">advice</div><p style=\"margin:2px 0\">" + e(g.advice())
                        + "</p>");
            }
            out.println("</div>");
        }
        if (report.otherReasons() > 0) {
            out.println("<p class=\"note\">" + ReportFormat.count(report.otherReasons())
                    + " more attempts with other reasons.</p>");
        }
        out.println("</section>");
    }

    private void suppress(Report report, PrintWriter out) {
        List<Report.SuppressedAddress> list = report.suppress();
        out.println("<section id=\"suppress\"><h2>Addresses to suppress (" + ReportFormat.count(list.size()) + ")</h2>");
        if (list.isEmpty()) {
            out.println("<p>None.</p></section>");
            return;
        }
        int shown = Math.min(list.size(), suppressShown);
        // A long list folds away so the charts stay near the top of the page.
        out.println(shown > 25 ? "<details><summary>show " + ReportFormat.count(shown) + " addresses</summary>" : "");
        out.println("<table><thead><tr><th>address</th><th class=\"num\">bounces</th><th>category</th>"
                + "<th>last reason</th><th>last seen</th></tr></thead><tbody>");
        for (Report.SuppressedAddress a : list.subList(0, shown)) {
            out.println("<tr><td class=\"key\">" + e(a.address()) + "</td>" + num(a.bounces()) + "<td>" + e(a.category())
                    + "</td><td>" + e(a.reason()) + "</td><td class=\"num\">" + e(format.time(a.lastSeen()))
                    + "</td></tr>");
        }
        out.println("</tbody></table>" + (shown > 25 ? "</details>" : ""));
        if (list.size() > shown) {
            out.println("<p class=\"note\">" + ReportFormat.count(list.size() - shown) + " more addresses not shown.</p>");
        }
        if (report.suppressOmitted() > 0) {
            out.println("<p class=\"note\">" + ReportFormat.count(report.suppressOmitted())
                    + " hard bounces of further addresses were not kept (list full).</p>");
        }
        out.println("</section>");
    }

    private static String num(long n) {
        return "<td class=\"num\">" + ReportFormat.count(n) + "</td>";
    }

    private static String e(String s) {
        return Html.escape(s);
    }

}
