package dev.bouncewatch.agent.notify.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bouncewatch.agent.config.AlertsConfig;
import dev.bouncewatch.agent.config.Secret;
import dev.bouncewatch.agent.config.SlackConfig;
import dev.bouncewatch.agent.notify.Destination;
import dev.bouncewatch.agent.notify.NotificationEvent;
import dev.bouncewatch.agent.notify.ReadOnlyDatabase;
import dev.bouncewatch.agent.notify.TestClock;
import dev.bouncewatch.agent.notify.slack.SlackDestination;
import dev.bouncewatch.agent.notify.slack.SlackMessageRenderer;
import dev.bouncewatch.agent.notify.slack.SlackRateLimits;
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
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine with a real store: rules over stored results, grouping, inhibition, mutes, restarts. */
class AlertEngineTest {

    static final Instant T0 = Instant.parse("2026-11-28T13:00:00Z");
    static final String SENDER = "news@example.com";

    @TempDir
    Path dir;

    private TestClock clock;
    private Store store;
    private RecordingDestination hook;
    private AgentHealthBoard health;
    private final AtomicInteger wakeUps = new AtomicInteger();
    private AlertsConfig config = AlertsConfig.defaults();

    @BeforeEach
    void open() throws Exception {
        clock = new TestClock(T0);
        store = Store.open(dir.resolve("bouncewatch.db"));
        hook = new RecordingDestination("hook");
        health = new AgentHealthBoard(clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private AlertEngine engine() {
        SlackDestination slack = new SlackDestination(new SlackConfig("ops-slack",
                new Secret("https://hooks.slack.test/services/T/B/X", "config"), false, Set.of(), null, null),
                new SlackMessageRenderer(ZoneOffset.UTC), SlackDestination.newHttpClient(), new SlackRateLimits(), clock);
        List<Destination> destinations = List.of(slack, hook);
        return new AlertEngine(store, config, destinations, health, "mx1.example.net", clock, wakeUps::incrementAndGet);
    }

    /** Evaluates every 30 s for {@code duration}; returns the number of notifications. */
    private int run(AlertEngine engine, Duration duration) throws Exception {
        return run(engine, duration, Duration.ofSeconds(30));
    }

    /** Evaluates every {@code step} (longer steps keep long stretches cheap) for {@code duration}. */
    private int run(AlertEngine engine, Duration duration, Duration step) throws Exception {
        int n = 0;
        Instant end = clock.instant().plus(duration);
        while (clock.instant().isBefore(end)) {
            clock.advance(step);
            n += engine.evaluate().notifications();
        }
        return n;
    }

    private List<String> outbox(String destination) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = ReadOnlyDatabase.open(store.file());
             PreparedStatement st = c.prepareStatement("SELECT event_type, group_key FROM outbox WHERE destination = ? ORDER BY id")) {
            st.setString(1, destination);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
        }
        return out;
    }

    private String heldBy(String groupKey) throws Exception {
        try (Connection c = ReadOnlyDatabase.open(store.file());
             PreparedStatement st = c.prepareStatement("SELECT held_by FROM alert_groups WHERE group_key = ?")) {
            st.setString(1, groupKey);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : "(no group)";
            }
        }
    }

    /** 5,000 bounces and deferrals in one minute, plus normal deliveries: a blocklisting, a bad list, a throttle. */
    private void incident(Instant from) throws Exception {
        new Traffic()
                .add(2_500, from, 60, SENDER, "outlook.com", Traffic.MICROSOFT_MX, Traffic.SPAMHAUS)
                .add(500, from, 60, SENDER, "contoso.com", Traffic.MICROSOFT_MX, Traffic.SPAMHAUS)
                .add(1_500, from, 60, SENDER, "gmail.com", Traffic.GMAIL_MX, Traffic.GMAIL_UNKNOWN)
                .add(500, from, 60, SENDER, "yahoo.com", Traffic.YAHOO_MX, Traffic.YAHOO_TSS04)
                .add(1_500, from, 60, SENDER, "gmail.com", Traffic.GMAIL_MX, Traffic.OK)
                .add(400, from, 60, SENDER, "yahoo.com", Traffic.YAHOO_MX, Traffic.OK)
                .insertInto(store);
    }

    @Test
    void aBurstOfFiveThousandBouncesMakesAHandfulOfMessages() throws Exception {
        incident(T0);
        AlertEngine engine = engine();
        int notifications = run(engine, Duration.ofMinutes(10));

        // one blocklisting explains the sender's and Microsoft's bounce rates; Gmail's bad list and
        // Yahoo's throttling are separate problems: three messages, not five thousand
        assertThat(notifications).isEqualTo(3);
        assertThat(outbox("ops-slack")).containsExactlyInAnyOrder(
                "alert.firing blocklisted/list=spamhaus",
                "alert.firing bounce_rate_recipient/provider=google",
                "alert.firing deferral_spike/provider=yahoo");
        assertThat(outbox("hook")).hasSize(3);
        assertThat(heldBy("bounce_rate_sender/sender_domain=example.com")).isEqualTo("blocklisted/list=spamhaus");
        assertThat(heldBy("bounce_rate_recipient/provider=microsoft")).isEqualTo("blocklisted/list=spamhaus");
        assertThat(wakeUps.get()).isPositive();

        NotificationEvent block = hook.rendered.stream().filter(e -> e.groupKey().startsWith("blocklisted")).findFirst().orElseThrow();
        JsonNode alert = block.data().path("alerts").get(0);
        assertThat(alert.path("severity").asText()).isEqualTo("critical");
        assertThat(alert.path("summary").asText()).isEqualTo("3,000 replies in the last 1h refused our mail citing this blocklist");
        assertThat(alert.path("action").asText()).isEqualTo("check-blocklist");
        assertThat(alert.path("topReasons").get(0).path("count").asLong()).isEqualTo(3_000);
        assertThat(alert.path("topReasons").get(0).path("sample").asText()).contains("zen.spamhaus.org");
        assertThat(alert.path("topDomains").get(0).path("domain").asText()).isEqualTo("outlook.com");
        assertThat(alert.path("topDomains").get(0).path("count").asLong()).isEqualTo(2_500);
        assertThat(alert.path("explains")).extracting(JsonNode::asText)
                .contains("provider=microsoft", "sender_domain=example.com");
        assertThat(block.data().path("notificationReason").asText()).isEqualTo("new");
        // announced after group wait, not at the first evaluation
        assertThat(Instant.parse(alert.path("startsAt").asText())).isEqualTo(T0.plusSeconds(30));
        assertThat(block.timestamp()).isEqualTo(T0.plusSeconds(60));

        NotificationEvent gmail = hook.rendered.stream().filter(e -> e.groupKey().contains("google")).findFirst().orElseThrow();
        JsonNode g = gmail.data().path("alerts").get(0);
        assertThat(g.path("summary").asText()).isEqualTo("1,500 of 3,000 finished deliveries bounced (50%) in the last 1h");
        assertThat(g.path("action").asText()).isEqualTo("suppress");
        assertThat(g.path("advice").asText()).startsWith("Most replies are userunknown:");
    }

    @Test
    void firingThenResolvedOnceTheWindowEmpties() throws Exception {
        incident(T0);
        AlertEngine engine = engine();
        run(engine, Duration.ofMinutes(10));
        hook.rendered.clear();
        // the 15-minute deferral window empties first, the 1-hour windows later
        run(engine, Duration.ofMinutes(10));
        assertThat(hook.summary()).containsExactly("alert.resolved deferral_spike/provider=yahoo");
        run(engine, Duration.ofMinutes(45), Duration.ofMinutes(3));
        assertThat(hook.summary()).containsExactlyInAnyOrder(
                "alert.resolved deferral_spike/provider=yahoo",
                "alert.resolved blocklisted/list=spamhaus",
                "alert.resolved bounce_rate_recipient/provider=google");
        JsonNode resolved = hook.rendered.get(1).data().path("alerts").get(0);
        assertThat(resolved.path("status").asText()).isEqualTo("resolved");
        assertThat(resolved.path("endsAt").isTextual()).isTrue();
        // the held-back alerts were never announced, so their end is not announced either
        assertThat(hook.summary()).noneMatch(s -> s.contains("bounce_rate_sender") || s.contains("microsoft"));
        assertThat(outbox("ops-slack")).contains("alert.resolved blocklisted/list=spamhaus");
    }

    @Test
    void anAlertHeldByABlocklistingIsAnnouncedWhenTheBlocklistingEnds() throws Exception {
        config = new AlertsConfig(true, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(4),
                config.senderBounceRate(), config.recipientBounceRate(),
                new AlertsConfig.Blocklisted(true, Duration.ofMinutes(10), 1, 10),
                config.deferralSpike(), config.authFailure(), config.suppressionSurge(), config.agentHealth());
        incident(T0);
        AlertEngine engine = engine();
        run(engine, Duration.ofMinutes(5));
        assertThat(hook.summary()).doesNotContain("alert.firing bounce_rate_sender/sender_domain=example.com");
        run(engine, Duration.ofMinutes(10));
        assertThat(hook.summary()).contains("alert.resolved blocklisted/list=spamhaus",
                "alert.firing bounce_rate_sender/sender_domain=example.com",
                "alert.firing bounce_rate_recipient/provider=microsoft");
    }

    @Test
    void aMutedRuleAndScopeStaysQuietUntilTheMuteEnds() throws Exception {
        AlertAdmin admin = new AlertAdmin(store, clock);
        admin.mute("deferral_spike", "provider=yahoo", Duration.ofMinutes(5), "known, Yahoo is throttling everyone");
        incident(T0);
        AlertEngine engine = engine();
        run(engine, Duration.ofMinutes(3));
        assertThat(hook.summary()).doesNotContain("alert.firing deferral_spike/provider=yahoo").hasSize(2);
        assertThat(heldBy("deferral_spike/provider=yahoo")).isEqualTo("mute");
        run(engine, Duration.ofMinutes(3));
        assertThat(hook.summary()).contains("alert.firing deferral_spike/provider=yahoo");

        // unmute from the CLI works at the next evaluation too
        admin.mute("blocklisted", "", Duration.ofHours(2), null);
        assertThat(admin.unmute("blocklisted", "")).isTrue();
        assertThat(admin.unmute("blocklisted", "")).isFalse();
    }

    @Test
    void anUnchangedAlertIsRepeatedAfterTheRepeatIntervalAndAnEscalationSooner() throws Exception {
        config = new AlertsConfig(true, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(1),
                config.senderBounceRate(), config.recipientBounceRate(), config.blocklisted(),
                config.deferralSpike(), config.authFailure(), config.suppressionSurge(), config.agentHealth());
        AlertEngine engine = engine();
        // Gmail keeps refusing a few messages of shop.example for DMARC (warning), every ten minutes
        for (int i = 0; i < 8; i++) {
            new Traffic().add(3, clock.instant(), 60, "billing@shop.example", "gmail.com", Traffic.GMAIL_MX, Traffic.GMAIL_AUTH)
                    .insertInto(store);
            run(engine, Duration.ofMinutes(10), Duration.ofMinutes(1));
        }
        List<String> reasons = hook.rendered.stream().map(e -> e.data().path("notificationReason").asText()).toList();
        assertThat(reasons).containsExactly("new", "repeat");
        // then 60 in a minute: critical, said at once (more than group interval after the last message)
        new Traffic().add(60, clock.instant(), 60, "billing@shop.example", "gmail.com", Traffic.GMAIL_MX, Traffic.GMAIL_AUTH)
                .insertInto(store);
        run(engine, Duration.ofMinutes(1));
        List<NotificationEvent> auth = hook.rendered.stream().filter(e -> e.groupKey().startsWith("auth_failure/")).toList();
        assertThat(auth).hasSize(3);
        assertThat(auth.get(2).data().path("notificationReason").asText()).isEqualTo("escalated");
        assertThat(auth.get(2).data().path("alerts").get(0).path("severity").asText()).isEqualTo("critical");
        assertThat(auth.get(1).timestamp()).isEqualTo(auth.get(0).timestamp().plus(Duration.ofHours(1)));
    }

    @Test
    void aRestartNeitherRepeatsFiringAlertsNorForgetsTheResolvedMessage() throws Exception {
        incident(T0);
        run(engine(), Duration.ofMinutes(3));
        assertThat(hook.rendered).hasSize(3);

        store.close();
        store = Store.open(dir.resolve("bouncewatch.db"));
        hook = new RecordingDestination("hook");
        AlertEngine restarted = engine();
        run(restarted, Duration.ofMinutes(5));
        assertThat(hook.rendered).isEmpty();

        // down for two hours: everything cleared meanwhile; the first evaluation after the restart says so
        store.close();
        clock.advance(Duration.ofHours(2));
        store = Store.open(dir.resolve("bouncewatch.db"));
        hook = new RecordingDestination("hook");
        run(engine(), Duration.ofSeconds(30));
        assertThat(hook.summary()).containsExactlyInAnyOrder(
                "alert.resolved deferral_spike/provider=yahoo",
                "alert.resolved blocklisted/list=spamhaus",
                "alert.resolved bounce_rate_recipient/provider=google");
    }

    @Test
    void aPausedDestinationIsReportedThroughTheOthersWithoutGroupWait() throws Exception {
        AlertEngine engine = engine();
        health.paused("ops-slack", "HTTP 404 no_service: the webhook was removed or disabled; create a new one and update the url");
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.evaluate().notifications()).isEqualTo(1);
        assertThat(hook.summary()).containsExactly("agent.health notifier_paused/destination=ops-slack");
        assertThat(outbox("ops-slack")).isEmpty();
        JsonNode a = hook.rendered.get(0).data().path("alerts").get(0);
        assertThat(a.path("severity").asText()).isEqualTo("critical");
        assertThat(a.path("summary").asText()).contains("no_service");

        health.resumed("ops-slack");
        run(engine, Duration.ofMinutes(5));
        assertThat(hook.rendered.get(hook.rendered.size() - 1).data().path("status").asText()).isEqualTo("resolved");
        assertThat(hook.rendered.get(hook.rendered.size() - 1).type()).isEqualTo("agent.health");
    }

    @Test
    void authFailuresFirePerSendingDomain() throws Exception {
        new Traffic().add(5, T0, 60, "billing@shop.example", "gmail.com", Traffic.GMAIL_MX, Traffic.GMAIL_AUTH)
                .add(2, T0, 60, "news@other.example", "gmail.com", Traffic.GMAIL_MX, Traffic.GMAIL_AUTH).insertInto(store);
        run(engine(), Duration.ofMinutes(2));
        assertThat(hook.summary()).containsExactly("alert.firing auth_failure/sender_domain=shop.example");
        assertThat(hook.rendered.get(0).data().path("alerts").get(0).path("action").asText()).isEqualTo("fix-authentication");
    }

    @Test
    void greylistingIsNoBlocklistingButAnUnnamedBlockStillIs() throws Exception {
        String greylisted = "451 4.7.1 <ann@example.org>: Recipient address rejected: Greylisted, please try again later";
        String blocked = "550 5.7.1 Your IP 192.0.2.1 is blocked";
        new Traffic().add(20, T0, 60, SENDER, "example.org", "mx.example.org[192.0.2.25]:25", greylisted)
                .add(2, T0, 60, SENDER, "example.net", "mx.example.net[192.0.2.26]:25", blocked).insertInto(store);
        run(engine(), Duration.ofMinutes(2));
        // the greylisted deferrals are classified "blocked" as well, but only the real block may alert
        assertThat(hook.summary()).containsExactly("alert.firing blocklisted/list=unnamed");
        JsonNode alert = hook.rendered.get(0).data().path("alerts").get(0);
        assertThat(alert.path("metrics").path("replies").asInt()).isEqualTo(2);
        assertThat(alert.path("topReasons").toString()).doesNotContain("Greylisted");
    }

    @Test
    void aDisabledRuleNeverFires() throws Exception {
        config = new AlertsConfig(true, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(4),
                config.senderBounceRate(), config.recipientBounceRate(),
                new AlertsConfig.Blocklisted(false, Duration.ofHours(1), 1, 10),
                config.deferralSpike(), config.authFailure(), config.suppressionSurge(), config.agentHealth());
        incident(T0);
        run(engine(), Duration.ofMinutes(3));
        assertThat(hook.summary()).noneMatch(s -> s.contains("blocklisted"))
                .contains("alert.firing bounce_rate_sender/sender_domain=example.com");
    }
    @Test
    void aSurgeOfSuppressionsAgainstAQuietWeek() throws Exception {
        store.write(tx -> {
            // a quiet week: 14 suppressions over the previous 7 days
            for (int i = 0; i < 14; i++) {
                Instant t = T0.minus(Duration.ofHours(2 + 12L * i));
                tx.suppress(new dev.bouncewatch.agent.store.Suppression("old" + i + "@example.org", "bounce", "userunknown",
                        "userunknown", t, t, null, "5.1.1", 550, "550 5.1.1 no such user", 1));
            }
            for (int i = 0; i < 150; i++) {
                Instant t = T0.plusSeconds(i);
                tx.suppress(new dev.bouncewatch.agent.store.Suppression("new" + i + "@" + (i % 3 == 0 ? "aol.com" : "gmail.com"),
                        "bounce", "userunknown", "userunknown", t, t, null, "5.1.1", 550, "550 5.1.1 <!here> no such user " + i, 1));
            }
            return null;
        });
        run(engine(), Duration.ofMinutes(4));
        assertThat(hook.summary()).containsExactly("alert.firing suppression_surge/all");
        JsonNode a = hook.rendered.get(0).data().path("alerts").get(0);
        assertThat(a.path("metrics").path("suppressed").asLong()).isEqualTo(150);
        assertThat(a.path("topDomains").get(0).path("domain").asText()).isEqualTo("gmail.com");
        assertThat(a.path("topDomains").get(0).path("count").asLong()).isEqualTo(100);
        assertThat(a.path("topReasons").get(0).path("count").asLong()).isEqualTo(150);
        assertThat(a.path("topReasons").get(0).path("sample").asText()).startsWith("550 5.1.1 <!here> no such user");
    }

    @Test
    void suppressionsFromABacklogOfOldLogLinesAreNoSurge() throws Exception {
        // a first start reads last week's mail.log: 150 unknown users logged days ago, suppressed now
        store.write(tx -> {
            for (int i = 0; i < 150; i++) {
                var r = tx.insertResult(dev.bouncewatch.agent.store.Results.bounced("old" + i + "@gmail.com",
                        T0.minus(Duration.ofDays(3)).plusSeconds(i), dev.bouncewatch.agent.classify.Category.USERUNKNOWN,
                        "5.1.1", "550 5.1.1 no such user"));
                Instant now = T0.plusSeconds(i);
                tx.suppress(new dev.bouncewatch.agent.store.Suppression("old" + i + "@gmail.com", "bounce", "userunknown",
                        "userunknown", now, now, r.id(), "5.1.1", 550, "550 5.1.1 no such user", 1));
            }
            return null;
        });
        run(engine(), Duration.ofMinutes(4));
        assertThat(hook.summary()).isEmpty();

        // the same number from bounces logged now is one
        Instant later = clock.instant();
        store.write(tx -> {
            for (int i = 0; i < 150; i++) {
                Instant now = later.plusSeconds(i);
                var r = tx.insertResult(dev.bouncewatch.agent.store.Results.bounced("new" + i + "@gmail.com", now,
                        dev.bouncewatch.agent.classify.Category.USERUNKNOWN, "5.1.1", "550 5.1.1 no such user"));
                tx.suppress(new dev.bouncewatch.agent.store.Suppression("new" + i + "@gmail.com", "bounce", "userunknown",
                        "userunknown", now, now, r.id(), "5.1.1", 550, "550 5.1.1 no such user", 1));
            }
            return null;
        });
        run(engine(), Duration.ofMinutes(4));
        // (the fresh bounces also raise the bounce-rate alerts, as they should)
        assertThat(hook.summary()).contains("alert.firing suppression_surge/all");
    }

    @Test
    void aLaggingSourceAndDeadLettersAreHealthAlerts() throws Exception {
        health.sourceLag("file:/var/log/mail.log", Duration.ofMinutes(40), null);
        store.write(tx -> {
            var e = tx.enqueue(dev.bouncewatch.agent.store.OutboxEntry.pending("hook", "evt_1", "message.bounced", null, "{}", T0));
            try (var st = tx.connection().prepareStatement("UPDATE outbox SET state = 'dead', finished_ms = ? WHERE id = ?")) {
                st.setLong(1, T0.toEpochMilli());
                st.setLong(2, e.id());
                st.executeUpdate();
            }
            return null;
        });
        run(engine(), Duration.ofSeconds(30));
        assertThat(hook.summary()).containsExactlyInAnyOrder("agent.health source_lag/source=file:/var/log/mail.log");
        assertThat(outbox("ops-slack")).containsExactlyInAnyOrder(
                "agent.health source_lag/source=file:/var/log/mail.log", "agent.health dead_letters/destination=hook");
        assertThat(hook.rendered.get(0).data().path("alerts").get(0).path("severity").asText()).isEqualTo("critical");
    }
}
