package dev.bouncewatch.agent.http;

import static dev.bouncewatch.agent.http.ApiTestAgent.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.parse.SkipReason;
import dev.bouncewatch.agent.source.SourceHealth;
import dev.bouncewatch.agent.source.SourceHealth.State;
import dev.bouncewatch.agent.store.StoredResult;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentMetricsTest extends ApiTestBase {

    @Test
    void deliveriesAreCountedByStatusCategoryAndProviderGroup() throws Exception {
        List<StoredResult> stored = agent.insert(
                Seeds.delivered("a@gmail.com", NOW.minusSeconds(50)),
                Seeds.delivered("b@gmail.com", NOW.minusSeconds(40)),
                Seeds.delivered("c@hotmail.co.uk", NOW.minusSeconds(30)),
                Seeds.bounced("d@gmail.com", NOW.minusSeconds(20), ResultsEndpointTest.USER_UNKNOWN),
                Seeds.bounced("e@small-company.example", NOW.minusSeconds(10), ResultsEndpointTest.USER_UNKNOWN));
        agent.suppress(ApiTestAgent.bounceSuppression(stored.get(3), NOW), ApiTestAgent.bounceSuppression(stored.get(4), NOW));

        Map<String, PrometheusFormat.Family> m = scrape();
        PrometheusFormat.Family deliveries = m.get("bouncewatch_deliveries_total");
        assertThat(deliveries.type()).isEqualTo("counter");
        assertThat(value(deliveries, Map.of("status", "delivered", "category", "delivered", "domain_group", "google"))).isEqualTo(2);
        assertThat(value(deliveries, Map.of("status", "delivered", "category", "delivered", "domain_group", "microsoft"))).isEqualTo(1);
        assertThat(value(deliveries, Map.of("status", "bounced", "category", "userunknown", "domain_group", "google"))).isEqualTo(1);
        assertThat(value(deliveries, Map.of("status", "bounced", "category", "userunknown", "domain_group", "other"))).isEqualTo(1);
        assertThat(deliveries.samples()).hasSize(4);
        assertThat(value(m.get("bouncewatch_suppressions_added_total"), Map.of())).isEqualTo(2);

        // from the store itself
        assertThat(value(m.get("bouncewatch_store_up"), Map.of())).isEqualTo(1);
        assertThat(value(m.get("bouncewatch_store_results"), Map.of())).isEqualTo(5);
        assertThat(value(m.get("bouncewatch_suppressions"), Map.of())).isEqualTo(2);
        assertThat(value(m.get("bouncewatch_store_size_bytes"), Map.of())).isGreaterThan(4096);
        assertThat(value(m.get("bouncewatch_outbox_entries"), Map.of("state", "pending"))).isZero();
        assertThat(value(m.get("process_start_time_seconds"), Map.of()))
                .isEqualTo(NOW.minus(Duration.ofHours(3)).getEpochSecond());
    }

    @Test
    void sourcesAndTheNotifierQueueComeFromTheAgentStatus() throws Exception {
        agent.status.set(TestStatus.file("/var/log/mail.log", State.RUNNING, 2048, null, NOW.minusSeconds(5)),
                TestStatus.journal(State.FAILING));
        agent.status.queue(Map.of("slack-ops", 3L, "webhook", 0L));
        Map<String, PrometheusFormat.Family> m = scrape();
        Map<String, String> file = Map.of("source", "file:/var/log/mail.log");
        assertThat(value(m.get("bouncewatch_source_up"), Map.of("source", "file:/var/log/mail.log", "type", "file"))).isEqualTo(1);
        assertThat(value(m.get("bouncewatch_source_up"), Map.of("source", "journal:postfix", "type", "journal"))).isZero();
        assertThat(value(m.get("bouncewatch_source_state"), Map.of("source", "journal:postfix", "state", "failing"))).isEqualTo(1);
        assertThat(value(m.get("bouncewatch_source_state"), Map.of("source", "journal:postfix", "state", "running"))).isZero();
        assertThat(value(m.get("bouncewatch_source_lag_bytes"), file)).isEqualTo(2048);
        assertThat(m.get("bouncewatch_source_lag_bytes").samples()).hasSize(1); // the journal has no byte lag
        assertThat(value(m.get("bouncewatch_source_lag_seconds"), file)).isEqualTo(0.25);
        assertThat(value(m.get("bouncewatch_source_last_line_timestamp_seconds"), file))
                .isEqualTo(NOW.minusSeconds(5).getEpochSecond());
        assertThat(value(m.get("bouncewatch_source_lines_read_total"), file)).isEqualTo(1200);
        assertThat(value(m.get("bouncewatch_lines_committed_total"), file)).isEqualTo(1190);
        assertThat(value(m.get("bouncewatch_source_results_total"), file)).isEqualTo(640);
        assertThat(value(m.get("bouncewatch_lines_skipped_total"), Map.of("source", "file:/var/log/mail.log", "reason", "garbage"))).isEqualTo(4);
        assertThat(value(m.get("bouncewatch_lines_skipped_total"), Map.of("source", "file:/var/log/mail.log", "reason", "too_long"))).isEqualTo(1);
        assertThat(m.get("bouncewatch_lines_skipped_total").samples()).hasSize(2 * SkipReason.values().length);
        assertThat(value(m.get("bouncewatch_lines_invalid_utf8_total"), file)).isEqualTo(2);
        assertThat(value(m.get("bouncewatch_notifier_queue"), Map.of("destination", "slack-ops"))).isEqualTo(3);
        assertThat(value(m.get("bouncewatch_notifier_queue"), Map.of("destination", "webhook"))).isZero();
    }

    @Test
    void labelValuesAreEscapedAndEveryFamilyHasHelpAndType() throws Exception {
        String odd = "file:/var/log/we\"ird\\dir\nmail.log";
        SourceHealth h = new SourceHealth(odd, "file", odd, State.RUNNING, 0L, null, 1, 0, null);
        agent.status.set(new AgentStatus.SourceStatus(h, 1, 0, null, null, 0, Map.of(), 0));
        HttpResponse<String> response = agent.get("/metrics");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("source=\"file:/var/log/we\\\"ird\\\\dir\\nmail.log\"");
        Map<String, PrometheusFormat.Family> m = PrometheusFormat.parse(response.body()); // throws on a format error
        assertThat(m.get("bouncewatch_source_up").samples().get(0).labels()).containsEntry("source", odd);
        assertThat(m).containsKeys("bouncewatch_deliveries_total", "bouncewatch_lines_skipped_total",
                "bouncewatch_source_lag_bytes", "bouncewatch_source_lag_seconds", "bouncewatch_store_size_bytes",
                "bouncewatch_store_results", "bouncewatch_suppressions", "bouncewatch_notifier_queue",
                "process_start_time_seconds");
        m.values().forEach(f -> assertThat(f.help()).as(f.name()).isNotBlank());
    }

    @Test
    void anUnknownCategoryIsCountedAsOtherSoNoNewSeriesAppearsPerTypo() {
        StoredResult r = Seeds.delivered("x@example.com", NOW);
        DeliveryResult d = r.result();
        var c = r.classification();
        StoredResult odd = new StoredResult(1, r.source(), r.ingestedAt(), d,
                new dev.bouncewatch.agent.classify.Classification(c.severity(), "made-up", c.hardBounce(), c.action(),
                        c.signals(), c.ruleId(), c.advice()));
        AgentMetrics metrics = new AgentMetrics();
        metrics.recordResults(List.of(odd, odd));
        String text = metrics.scrape(agent.status, agent.store.reader());
        assertThat(PrometheusFormat.parse(text).get("bouncewatch_deliveries_total").samples())
                .singleElement()
                .satisfies(s -> assertThat(s.labels()).contains(entry("category", "other")))
                .satisfies(s -> assertThat(s.value()).isEqualTo(2));
    }

    private Map<String, PrometheusFormat.Family> scrape() {
        HttpResponse<String> response = agent.get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusFormat.parse(response.body());
    }

    private static double value(PrometheusFormat.Family family, Map<String, String> labels) {
        return family.samples().stream().filter(s -> s.labels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + family.name() + labels + " in " + family.samples()))
                .value();
    }
}
