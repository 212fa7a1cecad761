package dev.bouncewatch.agent.notify.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bouncewatch.agent.notify.EventFilter;
import dev.bouncewatch.agent.notify.NotificationEvent;
import dev.bouncewatch.agent.notify.delivery.DestinationHealth.Condition;
import dev.bouncewatch.agent.store.OutboxEntry;
import dev.bouncewatch.agent.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthEventsTest {

    private static final Instant T = Instant.parse("2026-11-28T14:00:00Z");

    @TempDir
    Path dir;

    @Test
    void describesTheDestinationFlatAndAsAnAlert() throws Exception {
        try (Store store = Store.open(dir.resolve("b.db"))) {
            OutboxDispatcher dispatcher = new OutboxDispatcher(store, List.of(), DeliverySettings.defaults(), Clock.systemUTC());
            HealthEvents health = new HealthEvents(dispatcher, "mx1", Clock.fixed(T.plusSeconds(5), ZoneOffset.UTC));
            NotificationEvent e = health.event(new DestinationHealth("slack-ops", "slack", Condition.PAUSED,
                    "HTTP 404: no_service", 1, 0, T));

            assertThat(e.type()).isEqualTo("agent.health");
            assertThat(e.groupKey()).isEqualTo("agent.health/notifier/slack-ops");
            JsonNode d = e.data();
            assertThat(d.path("condition").asText()).isEqualTo("paused");
            assertThat(d.path("destination").asText()).isEqualTo("slack-ops");
            assertThat(d.path("summary").asText()).isEqualTo("slack destination 'slack-ops' is paused: it answered that it is broken");
            assertThat(d.path("status").asText()).isEqualTo("firing");
            JsonNode a = d.path("alerts").path(0);
            assertThat(a.path("severity").asText()).isEqualTo("critical");
            assertThat(a.path("scope").path("key").asText()).isEqualTo("destination");
            assertThat(a.path("scope").path("value").asText()).isEqualTo("slack-ops");
            assertThat(a.path("startsAt").asText()).isEqualTo("2026-11-28T14:00:00.000Z");
            assertThat(a.path("facts").toString()).contains("HTTP 404: no_service");

            NotificationEvent back = health.event(new DestinationHealth("slack-ops", "slack", Condition.RECOVERED, null, 0, 0, T));
            assertThat(back.data().path("status").asText()).isEqualTo("resolved");
            assertThat(back.data().path("alerts").path(0).path("endsAt").asText()).isEqualTo("2026-11-28T14:00:00.000Z");
        }
    }

    @Test
    void isQueuedForEveryOtherDestinationButNotTheOneItIsAbout() throws Exception {
        try (Store store = Store.open(dir.resolve("b.db"))) {
            ScriptedDestination a = new ScriptedDestination("a");
            ScriptedDestination b = new ScriptedDestination("b");
            ScriptedDestination onlyBounces = new ScriptedDestination("c", "webhook",
                    EventFilter.types(java.util.Set.of(dev.bouncewatch.agent.notify.EventType.MESSAGE_BOUNCED)));
            OutboxDispatcher dispatcher = new OutboxDispatcher(store, List.of(a, b, onlyBounces), DeliverySettings.defaults(),
                    Clock.systemUTC());
            new HealthEvents(dispatcher, "mx1", Clock.systemUTC())
                    .report(new DestinationHealth("a", "webhook", Condition.FAILING, "HTTP 503", 5, 0, T));
            List<OutboxEntry> queued = dispatcher.queue().list("pending", null, 10);
            assertThat(queued).extracting(OutboxEntry::destination).containsExactly("b");
            assertThat(queued.get(0).groupKey()).isEqualTo("agent.health/notifier/a");
        }
    }
}
