package dev.bouncewatch.testmta.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.testmta.session.Stage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SinkMetricsTest {

    /** One sample line of the 0.0.4 text format: name, optional {labels}, value. */
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\",?");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** Parses the exposition back, unescaping label values, and fails on any line that is not valid. */
    static List<Sample> parse(String text) {
        assertThat(text).endsWith("\n");
        java.util.ArrayList<Sample> samples = new java.util.ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("sample line: %s", line).isTrue();
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                int end = 0;
                while (l.find() && l.start() == end) {
                    labels.put(l.group(1), l.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\"));
                    end = l.end();
                }
                assertThat(end).as("labels fully parsed: %s", line).isEqualTo(m.group(2).length());
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return samples;
    }

    private static double value(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels))
                .mapToDouble(Sample::value).findFirst().orElse(-1);
    }

    @Test
    void countsRepliesByStageCodeAndRuleAndReadsGauges() {
        AtomicInteger active = new AtomicInteger(3);
        SinkMetrics m = new SinkMetrics(active::get, () -> 7, () -> 42);
        m.onReply(Events.at("a", Stage.CONNECT, 220));
        m.onReply(Events.at("b", Stage.CONNECT, 220));
        m.onReply(Events.rcpt("a", "x@example.test", 550, "5.1.1", "no", "unknown-user"));
        m.onReply(Events.rcpt("a", "y@example.test", 550, "5.1.1", "no", "unknown-user"));
        m.onReply(Events.rcpt("b", "z@example.test", 250, "2.1.5", "ok", null));
        active.set(5);

        String text = m.scrape();
        List<Sample> samples = parse(text);

        assertThat(text).contains("# TYPE testmta_replies_total counter\n", "# TYPE testmta_active_connections gauge\n");
        assertThat(value(samples, "testmta_replies_total", Map.of("stage", "rcpt", "code", "550", "rule", "unknown-user")))
                .isEqualTo(2);
        assertThat(value(samples, "testmta_replies_total", Map.of("stage", "rcpt", "code", "250", "rule", "")))
                .isEqualTo(1);
        assertThat(value(samples, "testmta_replies_total", Map.of("stage", "connect", "code", "220", "rule", "")))
                .isEqualTo(2);
        assertThat(value(samples, "testmta_sessions_total", Map.of())).isEqualTo(2);
        assertThat(value(samples, "testmta_active_connections", Map.of())).isEqualTo(5);
        assertThat(value(samples, "testmta_scenario_version", Map.of())).isEqualTo(7);
        assertThat(value(samples, "testmta_events_dropped_total", Map.of())).isEqualTo(42);
        assertThat(m.replies(Stage.RCPT, 550)).isEqualTo(2);
    }

    @Test
    void ruleIdsWithQuotesBackslashesAndNewlinesAreEscapedAndReadBack() {
        SinkMetrics m = new SinkMetrics(() -> 0, () -> 1, () -> 0);
        String nasty = "say \"no\" \\ to\nspam";
        m.onReply(Events.rcpt("a", "x@example.test", 554, "5.7.1", "no", nasty));

        String text = m.scrape();

        assertThat(text).contains("rule=\"say \\\"no\\\" \\\\ to\\nspam\"");
        assertThat(value(parse(text), "testmta_replies_total", Map.of("stage", "rcpt", "code", "554", "rule", nasty)))
                .isEqualTo(1);
    }

    @Test
    void ruleLabelsAreBounded() {
        SinkMetrics m = new SinkMetrics(() -> 0, () -> 1, () -> 0);
        for (int i = 0; i < SinkMetrics.MAX_RULES + 50; i++) {
            m.onReply(Events.rcpt("a", "x@example.test", 550, "5.1.1", "no", "rule-" + i));
        }
        List<Sample> samples = parse(m.scrape());

        assertThat(samples.stream().filter(s -> s.name().equals("testmta_replies_total")).count())
                .isEqualTo(SinkMetrics.MAX_RULES + 1);
        assertThat(value(samples, "testmta_replies_total", Map.of("stage", "rcpt", "code", "550", "rule", "_other")))
                .isEqualTo(50);
    }

    @Test
    void valuesAreFormattedAsPrometheusNumbers() {
        assertThat(PrometheusText.format(3)).isEqualTo("3");
        assertThat(PrometheusText.format(0.5)).isEqualTo("0.5");
        assertThat(PrometheusText.format(Double.NaN)).isEqualTo("NaN");
        assertThat(PrometheusText.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PrometheusText.escapeHelp("a\\b\nc")).isEqualTo("a\\\\b\\nc");
    }
}
