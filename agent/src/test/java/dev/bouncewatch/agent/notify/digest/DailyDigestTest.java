package dev.bouncewatch.agent.notify.digest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncewatch.agent.config.DigestConfig;
import dev.bouncewatch.agent.config.Secret;
import dev.bouncewatch.agent.config.SlackConfig;
import dev.bouncewatch.agent.notify.Destination;
import dev.bouncewatch.agent.notify.ReadOnlyDatabase;
import dev.bouncewatch.agent.notify.TestClock;
import dev.bouncewatch.agent.notify.slack.SlackDestination;
import dev.bouncewatch.agent.notify.slack.SlackMessageRenderer;
import dev.bouncewatch.agent.notify.slack.SlackRateLimits;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.Suppression;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daily digest's schedule across restarts, and what it says. */
class DailyDigestTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private TestClock clock;
    private Store store;

    @BeforeEach
    void open() throws Exception {
        clock = new TestClock(Instant.parse("2026-11-27T09:00:00Z")); // 10:00 in Berlin
        store = Store.open(dir.resolve("bouncewatch.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private DailyDigest digest() {
        SlackDestination slack = new SlackDestination(new SlackConfig("ops-slack",
                new Secret("https://hooks.slack.test/services/T/B/X", "config"), false, Set.of(), null, null),
                new SlackMessageRenderer(BERLIN), SlackDestination.newHttpClient(), new SlackRateLimits(), clock);
        List<Destination> destinations = List.of(slack);
        return new DailyDigest(store, new DigestConfig(true, LocalTime.of(8, 0), BERLIN), destinations, "mx1.example.net",
                clock, () -> { });
    }

    private List<String> queued() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = ReadOnlyDatabase.open(store.file());
             PreparedStatement st = c.prepareStatement("SELECT event_id, payload FROM outbox ORDER BY id");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return out;
    }

    /** Ticks every minute for {@code duration}; returns how many digests were queued. */
    private int tickFor(DailyDigest d, Duration duration) throws Exception {
        int n = 0;
        Instant end = clock.instant().plus(duration);
        while (clock.instant().isBefore(end)) {
            clock.advance(Duration.ofMinutes(1));
            n += d.tick() ? 1 : 0;
        }
        return n;
    }

    @Test
    void onceADayAtTheLocalTimeAndNeverTwiceAcrossRestarts() throws Exception {
        DailyDigest d = digest();
        assertThat(d.tick()).as("first start: wait for the next 08:00").isFalse();
        assertThat(tickFor(d, Duration.ofHours(21).plusMinutes(59))).isZero(); // to 07:59 Berlin (UTC+1)
        assertThat(tickFor(d, Duration.ofMinutes(2))).isEqualTo(1);
        assertThat(queued()).hasSize(1).first().asString().startsWith("evt_digest_20261127 ");

        store.close();
        store = Store.open(dir.resolve("bouncewatch.db"));
        assertThat(tickFor(digest(), Duration.ofHours(1))).as("restarted after it was sent").isZero();

        // down across the next 08:00: it goes out at the first tick after the restart
        store.close();
        clock.set(Instant.parse("2026-11-29T09:30:00Z"));
        store = Store.open(dir.resolve("bouncewatch.db"));
        assertThat(digest().tick()).isTrue();
        assertThat(digest().tick()).isFalse();
        assertThat(queued()).hasSize(2).last().asString().startsWith("evt_digest_20261128 ");
    }

    @Test
    void coversTheLocalDayAcrossADaylightSavingChange() {
        DigestSchedule s = new DigestSchedule(LocalTime.of(8, 0), BERLIN);
        Instant due = s.latestAtOrBefore(Instant.parse("2026-03-29T12:00:00Z"));
        assertThat(due).isEqualTo(Instant.parse("2026-03-29T06:00:00Z")); // 08:00 CEST
        assertThat(Duration.between(s.dayBefore(due), due)).isEqualTo(Duration.ofHours(23));
        assertThat(s.latestAtOrBefore(Instant.parse("2026-03-29T05:59:59Z"))).isEqualTo(Instant.parse("2026-03-28T07:00:00Z"));
    }

    @Test
    void summarisesTheDayBeforeTheScheduledTime() throws Exception {
        Instant day = Instant.parse("2026-11-27T12:00:00Z");
        store.write(tx -> {
            for (int i = 0; i < 90; i++) {
                tx.insertResult(dev.bouncewatch.agent.notify.alert.TrafficAccess.result(day.plusSeconds(i), "a" + i + "@gmail.com",
                        "250 2.0.0 OK gsmtp"));
            }
            for (int i = 0; i < 10; i++) {
                tx.insertResult(dev.bouncewatch.agent.notify.alert.TrafficAccess.result(day.plusSeconds(100 + i), "b" + i + "@gmail.com",
                        "550-5.1.1 The email account that you tried to reach does not exist. <!channel> gsmtp"));
                tx.suppress(new Suppression("b" + i + "@gmail.com", Suppression.ORIGIN_BOUNCE, "userunknown", "userunknown",
                        day.plusSeconds(100 + i), day.plusSeconds(100 + i), null, "5.1.1", 550, "550 5.1.1", 1));
            }
            // outside the period: the day after
            tx.insertResult(dev.bouncewatch.agent.notify.alert.TrafficAccess.result(Instant.parse("2026-11-28T07:30:00Z"),
                    "late@gmail.com", "250 2.0.0 OK gsmtp"));
            return null;
        });
        clock.set(Instant.parse("2026-11-28T07:05:00Z"));
        var event = digest().event(Instant.parse("2026-11-28T07:00:00Z"), clock.instant());
        JsonNode data = event.data();
        assertThat(data.path("period").path("label").asText()).isEqualTo("2026-11-27");
        assertThat(data.path("total").asLong()).isEqualTo(100);
        assertThat(data.path("byStatus").path("delivered").asLong()).isEqualTo(90);
        assertThat(data.path("byStatus").path("bounced").asLong()).isEqualTo(10);
        assertThat(data.path("bounceRate").asDouble()).isEqualTo(0.1);
        assertThat(data.path("newSuppressions").asLong()).isEqualTo(10);
        assertThat(data.path("topReasons").get(0).path("category").asText()).isEqualTo("userunknown");
        assertThat(data.path("topDomains").get(0).path("domain").asText()).isEqualTo("gmail.com");
        assertThat(data.path("topDomains").get(0).path("total").asLong()).isEqualTo(100);

        JsonNode slack = JSON.readTree(new SlackMessageRenderer(BERLIN).render(event));
        assertThat(slack.path("text").asText()).isEqualTo(
                "Daily mail report 2026-11-27: 100 results, 90 delivered, 10 bounced (10%), 0 deferred");
        assertThat(slack.toString()).doesNotContain("<!channel>").contains("&lt;!channel&gt;");
    }
}
