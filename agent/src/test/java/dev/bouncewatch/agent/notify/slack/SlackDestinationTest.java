package dev.bouncewatch.agent.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bouncewatch.agent.config.Secret;
import dev.bouncewatch.agent.config.SlackConfig;
import dev.bouncewatch.agent.notify.AlertSeverity;
import dev.bouncewatch.agent.notify.DeliveryOutcome;
import dev.bouncewatch.agent.notify.DeliveryOutcome.Kind;
import dev.bouncewatch.agent.notify.EventType;
import dev.bouncewatch.agent.notify.NotificationEvent;
import dev.bouncewatch.agent.store.OutboxEntry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One POST per send against a Slack stand-in on loopback, and what each answer means. */
class SlackDestinationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/services/T000/B000/SECRETPART";

    private SlackStandIn slack;
    private SlackRateLimits limits;

    @BeforeEach
    void start() throws Exception {
        slack = new SlackStandIn();
        limits = new SlackRateLimits();
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    private SlackDestination destination(String url, boolean insecure, Set<EventType> events, AlertSeverity min, Duration timeout) {
        SlackConfig config = new SlackConfig("ops", new Secret(url, "config"), insecure, events, min, timeout);
        return new SlackDestination(config, new SlackMessageRenderer(ZoneOffset.UTC), SlackDestination.newHttpClient(), limits,
                Clock.systemUTC());
    }

    private SlackDestination destination() {
        return destination(slack.url(PATH), true, Set.of(), null, Duration.ofSeconds(10));
    }

    private static NotificationEvent alert(String severity) {
        ObjectNode data = SlackMessageRendererTest.alertData("firing", severity, "provider", "microsoft", "451 4.7.650", 1, 1);
        return SlackMessageRendererTest.event("alert.firing", data);
    }

    private static OutboxEntry entry(SlackDestination d, NotificationEvent e) {
        return OutboxEntry.pending(d.name(), e.id(), e.type(), e.groupKey(), d.render(e), Instant.now());
    }

    private DeliveryOutcome send(SlackDestination d) throws InterruptedException {
        return d.send(entry(d, alert("critical")));
    }

    @Test
    void okIsDeliveredAndThePostCarriesTheBlockKitJson() throws Exception {
        SlackDestination d = destination();
        DeliveryOutcome o = send(d);
        assertThat(o.kind()).isEqualTo(Kind.DELIVERED);
        assertThat(slack.received).hasSize(1);
        SlackStandIn.Received r = slack.received.peek();
        assertThat(r.path()).isEqualTo(PATH);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(JSON.readTree(r.body()).path("blocks").get(0).path("type").asText()).isEqualTo("header");
    }

    @Test
    void rateLimitIsRetriedAfterRetryAfterAndHoldsTheBucket() throws Exception {
        slack.answer(new SlackStandIn.Reply(429, "rate_limited", Map.of("Retry-After", "30"), 0));
        SlackDestination d = destination();
        DeliveryOutcome o = send(d);
        assertThat(o.kind()).isEqualTo(Kind.RETRY);
        assertThat(o.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        TokenBucket bucket = limits.forUrl(slack.url(PATH));
        assertThat(bucket.available()).isZero();
        assertThat(bucket.reserve()).isGreaterThan(Duration.ofSeconds(25).toNanos());
    }

    @Test
    void serverErrorIsRetried() throws Exception {
        slack.answer(SlackStandIn.Reply.of(500, "rollup_error"));
        assertThat(send(destination()).kind()).isEqualTo(Kind.RETRY);
    }

    @Test
    void noServicePausesTheDestinationWithoutShowingTheUrl() throws Exception {
        slack.answer(SlackStandIn.Reply.of(404, "no_service"));
        DeliveryOutcome o = send(destination());
        assertThat(o.kind()).isEqualTo(Kind.PAUSE);
        assertThat(o.detail()).contains("no_service").doesNotContain("SECRETPART", "127.0.0.1");
    }

    @Test
    void invalidPayloadIsADeadLetter() throws Exception {
        slack.answer(SlackStandIn.Reply.of(400, "invalid_payload"));
        assertThat(send(destination()).kind()).isEqualTo(Kind.DEAD);
    }

    @Test
    void redirectsAreNeverFollowed() throws Exception {
        slack.answer(new SlackStandIn.Reply(302, "", Map.of("Location", slack.url("/elsewhere")), 0));
        DeliveryOutcome o = send(destination());
        assertThat(o.kind()).isEqualTo(Kind.PAUSE);
        assertThat(slack.received).extracting(SlackStandIn.Received::path).containsExactly(PATH);
        assertThatThrownBy(() -> new SlackDestination(new SlackConfig("x", new Secret(slack.url(PATH), "config"), true, Set.of(),
                null, null), new SlackMessageRenderer(ZoneOffset.UTC), HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL).build(), limits, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeoutAndRefusedConnectionAreRetried() throws Exception {
        slack.answer(new SlackStandIn.Reply(200, "ok", Map.of(), 3000));
        DeliveryOutcome slow = send(destination(slack.url(PATH), true, Set.of(), null, Duration.ofMillis(300)));
        assertThat(slow.kind()).isEqualTo(Kind.RETRY);
        assertThat(slow.detail()).startsWith("timed out");
        String url = slack.url(PATH);
        slack.close();
        DeliveryOutcome refused = send(destination(url, true, Set.of(), null, Duration.ofSeconds(5)));
        assertThat(refused.kind()).isEqualTo(Kind.RETRY);
        assertThat(refused.detail()).doesNotContain("SECRETPART", "127.0.0.1");
    }

    @Test
    void httpsIsRequiredUnlessInsecureIsAllowed() {
        assertThatThrownBy(() -> destination(slack.url(PATH), false, Set.of(), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("notify.slack 'ops'").hasMessageContaining("plain http")
                .hasMessageNotContaining("SECRETPART");
        assertThatThrownBy(() -> destination("ftp://hooks.example/x", true, Set.of(), null, null))
                .hasMessageContaining("https://");
        assertThatThrownBy(() -> destination("not a url at all", true, Set.of(), null, null))
                .hasMessageContaining("not a valid URL").hasMessageNotContaining("not a url at all");
        assertThat(destination("https://hooks.slack.com/services/T/B/X", false, Set.of(), null, null).name()).isEqualTo("ops");
    }

    @Test
    void acceptsSummariesOnlyAndFiltersBySeverity() {
        SlackDestination all = destination();
        SlackDestination criticalOnly = destination(slack.url(PATH), true, Set.of(), AlertSeverity.CRITICAL, null);
        SlackDestination digestOnly = destination(slack.url(PATH), true, Set.of(EventType.REPORT_DIGEST), null, null);
        NotificationEvent bounce = new NotificationEvent("evt_2", "message.bounced", Instant.now(), 1, "mx1",
                JSON.createObjectNode(), null);
        NotificationEvent digest = new NotificationEvent("evt_3", "report.digest", Instant.now(), 1, "mx1",
                JSON.createObjectNode(), null);
        assertThat(all.accepts(bounce)).isFalse();
        assertThat(all.accepts(alert("warning"))).isTrue();
        assertThat(criticalOnly.accepts(alert("warning"))).isFalse();
        assertThat(criticalOnly.accepts(alert("critical"))).isTrue();
        assertThat(digestOnly.accepts(alert("critical"))).isFalse();
        assertThat(digestOnly.accepts(digest)).isTrue();
    }

    @Test
    void healthNewsAboutItselfGoesThroughOtherDestinations() {
        ObjectNode data = JSON.createObjectNode();
        ObjectNode a = data.putArray("alerts").addObject();
        a.putObject("scope").put("key", "destination").put("value", "ops");
        NotificationEvent aboutOps = new NotificationEvent("evt_4", "agent.health", Instant.now(), 1, "mx1", data, "agent_health/destination=ops");
        assertThat(destination().accepts(aboutOps)).isFalse();
        a.putObject("scope").put("key", "destination").put("value", "hooks");
        assertThat(destination().accepts(aboutOps)).isTrue();
    }
}
