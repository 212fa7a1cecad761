package dev.bouncewatch.agent.report;

import static dev.bouncewatch.agent.report.Entries.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextReportRendererTest {

    private static final String GMAIL = "550-5.1.1 The email account that you tried to reach does not exist. Please try"
            + " 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces."
            + " For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp";

    private static String render(Report report, int width) {
        StringWriter out = new StringWriter();
        new TextReportRenderer(width, 100, ZoneOffset.UTC).render(report, out);
        return out.toString();
    }

    private static Report sample() {
        ReportBuilder builder = new ReportBuilder(ReportLimits.DEFAULTS.withMinVolume(1));
        builder.addSource("/var/log/mail.log", 1234, 5);
        builder.add(Entries.bounced("Q1", "gone@gmail.com", GMAIL, "userunknown", "suppress", true, T0));
        builder.add(Entries.delivered("Q2", "ok@gmail.com", T0.plusSeconds(60)));
        builder.add(Entries.deferred("Q3", "later@example.org",
                "450 4.2.0 <later@example.org>: Recipient address rejected: Greylisted", T0.plusSeconds(120)));
        return builder.build();
    }

    @Test
    void theFullReasonTextIsThereWrappedNotCut() {
        String text = render(sample(), 80);

        assertThat(text).contains("Top reasons");
        // unwrap the example: every word of the reply, in order, nothing cut at 50 characters like pflogsumm
        String example = text.substring(text.indexOf("example: 550-5.1.1"));
        example = example.substring(0, example.indexOf("grouped:"));
        assertThat(String.join(" ", example.replace("example:", "").trim().split("\\s+")))
                .isEqualTo(GMAIL.replace("  ", " "));
        assertThat(text).contains("grouped: 550-5.1.1", "NoSuchUser <id> - gsmtp", "advice:  Remove the address.");
        assertThat(Arrays.stream(text.split("\n")).filter(l -> l.contains("example:") || l.startsWith("         "))
                .mapToInt(String::length).max().orElseThrow()).isLessThanOrEqualTo(80);
    }

    @Test
    void sectionsTotalsAndSourcesAreShown() {
        String text = render(sample(), 100);

        assertThat(text).contains("Delivery results", "Categories", "Actions", "Recipient domains by bounce rate",
                "Remote hosts by bounce rate", "Addresses to suppress (1)", "Signals", "Bounces over time (per hour)");
        assertThat(text).contains("/var/log/mail.log: 1,234 lines, 5 skipped");
        assertThat(text).containsPattern("(?m)^  bounced +1 +33\\.3 % +1 +33\\.3 %$");
        assertThat(text).containsPattern("(?m)^  gone@gmail\\.com +1 +userunknown +2026-11-01 08:00:00 \\+00:00$");
        assertThat(text).containsPattern("(?m)^  greylisted +1 +100\\.0 % +0$");
        assertThat(text).containsPattern("(?m)^  gmail\\.com +50\\.0 % +1 +0 +0 +1$");
    }

    @Test
    void columnsAreAligned() {
        String text = render(sample(), 100);
        List<String> table = Arrays.stream(text.split("\n"))
                .dropWhile(l -> !l.startsWith("  status")).limit(7).toList();

        int shareEnd = table.get(0).indexOf("attempts") + "attempts".length();
        assertThat(table.subList(2, 7)).allSatisfy(line -> assertThat(line.charAt(shareEnd - 1)).isNotEqualTo(' '));
    }

    @Test
    void controlCharactersFromRemoteTextCannotDriveTheTerminal() {
        ReportBuilder builder = new ReportBuilder();
        builder.add(Entries.bounced("Q1", "a@example.org", "550 bad\u001b[2J\u001b[31mred\rover", "undefined",
                "investigate", false, T0));

        String text = render(builder.build(), 100);

        assertThat(text).doesNotContain("\u001b").doesNotContain("\r").contains("550 bad\uFFFD[2J\uFFFD[31mred\uFFFDover");
    }

    @Test
    void anEmptyReportSaysSo() {
        String text = render(new ReportBuilder().build(), 100);

        assertThat(text).contains("Period   -  to  -").contains("no dated results").contains("none");
    }

    @Test
    void wrapSplitsWordsLongerThanTheWidthInsteadOfCuttingThem() {
        String url = "https://example.org/" + "x".repeat(50);

        List<String> lines = TextWrap.wrap("see " + url + " now", 20);

        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(20));
        assertThat(String.join("", lines).replace(" ", "")).isEqualTo(("see" + url + "now"));
    }

    @Test
    void theSuppressListWriterWritesOneAddressALine() {
        ReportBuilder builder = new ReportBuilder();
        builder.add(Entries.userUnknown("Q1", "b@example.org", T0));
        builder.add(Entries.userUnknown("Q2", "a@example.org", T0));
        builder.add(Entries.userUnknown("Q3", "evil\n@example.org", T0));
        StringWriter out = new StringWriter();

        SuppressListWriter.write(builder.build(), out);

        assertThat(out.toString().lines()).containsExactly("a@example.org", "b@example.org", "evil?@example.org");
    }
}
