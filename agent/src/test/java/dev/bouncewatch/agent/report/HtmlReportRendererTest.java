package dev.bouncewatch.agent.report;

import static dev.bouncewatch.agent.report.Entries.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class HtmlReportRendererTest {

    private static final String XHTML = "http://www.w3.org/1999/xhtml";
    private static final String SVG = "http://www.w3.org/2000/svg";
    private static final String HOSTILE = "550 5.7.1 <script>alert('x')</script> & \"quoted\" <img src=x onerror=alert(1)>";

    private static String render(Report report) {
        StringWriter out = new StringWriter();
        new HtmlReportRenderer(5000, ZoneOffset.UTC).render(report, out);
        return out.toString();
    }

    private static Document parse(String html) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
    }

    private static Report sample() {
        ReportBuilder builder = new ReportBuilder(ReportLimits.DEFAULTS.withMinVolume(1));
        builder.addSource("mail.log & <friends>", 10, 1);
        for (int h = 0; h < 5; h++) {
            builder.add(Entries.userUnknown("Q" + h, "u" + h + "@gmail.com", T0.plus(Duration.ofHours(h))));
            builder.add(Entries.delivered("D" + h, "v" + h + "@web.de", T0.plus(Duration.ofHours(h))));
        }
        builder.add(Entries.bounced("X1", "x@evil.example", HOSTILE, "blocked<b>", "check-blocklist", false,
                T0.plusSeconds(30)));
        builder.add(Entries.deferred("X2", "y@evil.example", "450 greylisted", T0.plusSeconds(40)));
        return builder.build();
    }

    @Test
    void thePageIsWellFormedXhtmlWithoutScriptsOrExternalResources() throws Exception {
        Document doc = parse(render(sample()));

        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo(XHTML);
        assertThat(doc.getElementsByTagNameNS("*", "script").getLength()).isZero();
        assertThat(doc.getElementsByTagNameNS("*", "img").getLength()).isZero();
        assertThat(doc.getElementsByTagNameNS("*", "link").getLength()).isZero();
        assertThat(doc.getElementsByTagNameNS(XHTML, "style").getLength()).isEqualTo(1);
        NodeList all = doc.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            assertThat(e.hasAttribute("src") || e.hasAttribute("href") || e.hasAttribute("onerror"))
                    .as("<%s> loads or runs nothing", e.getLocalName()).isFalse();
        }
        assertThat(doc.getElementsByTagNameNS(XHTML, "style").item(0).getTextContent()).doesNotContain("url(", "@import");
    }

    @Test
    void textFromLogsIsEscapedAndShownAsText() throws Exception {
        String html = render(sample());

        assertThat(html).doesNotContain("<script>").doesNotContain("<img").doesNotContain("<b>")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;")
                .contains("mail.log &amp; &lt;friends&gt;");
        Document doc = parse(html);
        assertThat(doc.getDocumentElement().getTextContent()).contains(HOSTILE).contains("blocked<b>");
    }

    @Test
    void chartsAreDrawnAsInlineSvg() throws Exception {
        Document doc = parse(render(sample()));

        List<String> titles = new ArrayList<>();
        NodeList svgs = doc.getElementsByTagNameNS(SVG, "svg");
        for (int i = 0; i < svgs.getLength(); i++) {
            Element svg = (Element) svgs.item(i);
            titles.add(svg.getElementsByTagNameNS(SVG, "title").item(0).getTextContent());
        }
        assertThat(titles).containsExactly("Bounces over time", "Attempts not delivered, by category",
                "Bounce rate by recipient domain");
        Element timeline = (Element) svgs.item(0);
        // five hourly buckets, each a group with a tooltip naming its counts
        NodeList groups = timeline.getElementsByTagNameNS(SVG, "g");
        assertThat(groups.getLength()).isEqualTo(5);
        assertThat(groups.item(0).getTextContent()).contains("2026-11-01 08:00: 2 bounced, 0 expired, 1 deferred");
        Element domains = (Element) svgs.item(2);
        assertThat(domains.getTextContent()).contains("evil.example", "100.0 %", "gmail.com", "web.de", "0.0 %");
    }

    @Test
    void invalidXmlCharactersFromLogsDoNotBreakThePage() throws Exception {
        ReportBuilder builder = new ReportBuilder();
        builder.add(Entries.bounced("Q1", "a@example.org", "550 bad \u0000\u0007\uD800 byte", "undefined", "investigate",
                false, T0));

        Document doc = parse(render(builder.build()));

        assertThat(doc.getDocumentElement().getTextContent()).contains("550 bad \uFFFD\uFFFD\uFFFD byte");
    }

    @Test
    void anEmptyReportIsStillAPage() throws Exception {
        Document doc = parse(render(new ReportBuilder().build()));

        assertThat(doc.getDocumentElement().getTextContent()).contains("No dated results", "No bounces or deferrals");
    }

    @Test
    void theAxisEndsAtARoundNumberJustAboveTheData() {
        assertThat(SvgChart.axis(0)).isEqualTo(new SvgChart.Axis(1, 1));
        assertThat(SvgChart.axis(3)).isEqualTo(new SvgChart.Axis(3, 1));
        assertThat(SvgChart.axis(493)).isEqualTo(new SvgChart.Axis(500, 100));
        assertThat(SvgChart.axis(5_200)).isEqualTo(new SvgChart.Axis(6_000, 2_000));
        assertThat(SvgChart.axis(10_001)).isEqualTo(new SvgChart.Axis(15_000, 5_000));
        assertThat(SvgChart.axis(1_000_000)).isEqualTo(new SvgChart.Axis(1_000_000, 200_000));
    }
}
