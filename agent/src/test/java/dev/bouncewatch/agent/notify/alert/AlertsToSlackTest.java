package dev.bouncewatch.agent.notify.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncewatch.agent.config.AlertsConfig;
import dev.bouncewatch.agent.config.Secret;
import dev.bouncewatch.agent.config.SlackConfig;
import dev.bouncewatch.agent.notify.DeliveryOutcome;
import dev.bouncewatch.agent.notify.Destination;
import dev.bouncewatch.agent.notify.ReadOnlyDatabase;
import dev.bouncewatch.agent.notify.TestClock;
import dev.bouncewatch.agent.notify.slack.SlackDestinations;
import dev.bouncewatch.agent.notify.slack.SlackStandIn;
import dev.bouncewatch.agent.store.OutboxEntry;
import dev.bouncewatch.agent.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From stored bounces to what a Slack stand-in on loopback receives: the engine queues, and each
 * queued entry is posted the way an outbox worker would (one send per entry, in order).
 */
class AlertsToSlackTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static List<OutboxEntry> pending(Store store, String destination) throws Exception {
        List<OutboxEntry> out = new ArrayList<>();
        try (Connection c = ReadOnlyDatabase.open(store.file());
             PreparedStatement st = c.prepareStatement("SELECT id, event_id, event_type, group_key, payload FROM outbox"
                     + " WHERE destination = ? AND state = 'pending' ORDER BY id")) {
            st.setString(1, destination);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new OutboxEntry(rs.getLong(1), destination, rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), Instant.EPOCH, Instant.EPOCH, 0, OutboxEntry.PENDING, null, null));
                }
            }
        }
        return out;
    }

    @Test
    void anIncidentReachesSlackAsAFewSafeMessages() throws Exception {
        TestClock clock = new TestClock(AlertEngineTest.T0);
        try (SlackStandIn slack = new SlackStandIn(); Store store = Store.open(dir.resolve("bouncewatch.db"))) {
            slack.answer(new SlackStandIn.Reply(429, "rate_limited", Map.of("Retry-After", "1"), 0), SlackStandIn.Reply.of(200, "ok"));
            List<Destination> destinations = SlackDestinations.create(List.of(new SlackConfig("ops-slack",
                    new Secret(slack.url("/services/T/B/X"), "env:SLACK_URL"), true, Set.of(), null, Duration.ofSeconds(10))),
                    ZoneOffset.UTC, clock);
            new Traffic()
                    .add(3_000, AlertEngineTest.T0, 60, "news@example.com", "outlook.com", Traffic.MICROSOFT_MX,
                            Traffic.SPAMHAUS + " <!channel> <https://evil.example|unblock here>")
                    .add(2_000, AlertEngineTest.T0, 60, "news@example.com", "gmail.com", Traffic.GMAIL_MX, Traffic.OK)
                    .insertInto(store);
            AlertEngine engine = new AlertEngine(store, AlertsConfig.defaults(), destinations, HealthSignals.NONE,
                    "mx1.example.net", clock, () -> { });
            for (int i = 0; i < 6; i++) {
                clock.advance(Duration.ofSeconds(30));
                engine.evaluate();
            }
            Destination d = destinations.get(0);
            List<OutboxEntry> queued = pending(store, "ops-slack");
            assertThat(queued).extracting(OutboxEntry::groupKey).containsExactly("blocklisted/list=spamhaus");

            // the first answer is a 429: the worker would retry after Retry-After; here we retry at once
            DeliveryOutcome first = d.send(queued.get(0));
            assertThat(first.kind()).isEqualTo(DeliveryOutcome.Kind.RETRY);
            assertThat(first.retryAfter()).isEqualTo(Duration.ofSeconds(1));
            DeliveryOutcome second = d.send(queued.get(0));
            assertThat(second.kind()).isEqualTo(DeliveryOutcome.Kind.DELIVERED);

            List<SlackStandIn.Received> got = new ArrayList<>(slack.received);
            assertThat(got).hasSize(2);
            JsonNode message = JSON.readTree(got.get(1).body());
            assertThat(message.path("text").asText()).startsWith("FIRING [critical] Blocklisted `spamhaus`: 3,000 replies");
            assertThat(message.path("blocks").get(0).path("text").path("text").asText())
                    .isEqualTo("🔴 FIRING · Blocklisted · spamhaus");
            assertThat(got.get(1).body()).doesNotContain("<!channel>", "<https://").contains("&lt;!channel&gt;");
        }
    }
}
