package dev.bouncewatch.agent.notify.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bouncewatch.agent.classify.Action;
import dev.bouncewatch.agent.classify.Classification;
import dev.bouncewatch.agent.classify.Severity;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.notify.NotificationEvent;
import dev.bouncewatch.agent.notify.Results;
import dev.bouncewatch.agent.store.StoredResult;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFactoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventFactory factory = new EventFactory("mx1.example.net",
            Clock.fixed(Instant.parse("2026-11-28T15:00:00Z"), ZoneOffset.UTC));

    @Test
    void hardBounceBecomesAPermanentMessageBouncedEventWithSesNames() throws Exception {
        StoredResult r = Results.gmailUserUnknown(42, "Jane@Gmail.com");
        NotificationEvent e = factory.fromResult(r, Results.suppressionFor(r));

        assertThat(e.type()).isEqualTo("message.bounced");
        assertThat(e.timestamp()).isEqualTo(Results.T0);
        assertThat(e.groupKey()).isNull();
        JsonNode json = JSON.readTree(EventJson.write(e));
        assertThat(json.path("id").asText()).isEqualTo(e.id()).startsWith("evt_").hasSize(30);
        assertThat(json.path("timestamp").asText()).isEqualTo("2026-11-28T14:03:12.481Z");
        assertThat(json.path("schemaVersion").asInt()).isEqualTo(1);
        assertThat(json.path("source").path("host").asText()).isEqualTo("mx1.example.net");
        assertThat(json.path("source").path("agent").asText()).isEqualTo("bouncewatch");

        JsonNode data = json.path("data");
        assertThat(data.path("resultId").asLong()).isEqualTo(42);
        assertThat(data.path("mail").path("queueId").asText()).isEqualTo("4XyZ1abcD");
        assertThat(data.path("mail").path("messageId").asText()).isEqualTo("<20261128140311.4F2A1@example.com>");
        assertThat(data.path("mail").path("source").asText()).isEqualTo("bounces@example.com");
        assertThat(data.path("mail").path("sendingDomain").asText()).isEqualTo("example.com");
        assertThat(data.path("recipient").path("emailAddress").asText()).isEqualTo("Jane@Gmail.com");
        assertThat(data.path("recipient").path("domain").asText()).isEqualTo("gmail.com");
        assertThat(data.path("recipient").path("provider").asText()).isEqualTo("google");

        JsonNode b = data.path("bounce");
        assertThat(b.path("bounceType").asText()).isEqualTo("Permanent");
        assertThat(b.path("bounceSubType").asText()).isEqualTo("NoEmail");
        assertThat(b.path("severity").asText()).isEqualTo("permanent");
        assertThat(b.path("category").asText()).isEqualTo("userunknown");
        assertThat(b.path("action").asText()).isEqualTo("suppress");
        assertThat(b.path("dsnAction").asText()).isEqualTo("failed");
        assertThat(b.path("status").asText()).isEqualTo("5.1.1");
        assertThat(b.path("smtpCode").asInt()).isEqualTo(550);
        assertThat(b.path("diagnosticCode").asText()).contains("550-5.1.1 The email account");
        assertThat(b.path("remoteMta").asText()).isEqualTo("gmail-smtp-in.l.google.com");
        assertThat(b.path("remoteMtaIp").asText()).isEqualTo("142.250.27.26");
        assertThat(b.path("reportingMta").asText()).isEqualTo("mx1.example.net");
        assertThat(b.path("stage").asText()).isEqualTo("rcpt");
        assertThat(b.path("attempt").asInt()).isEqualTo(1);
        assertThat(b.path("ruleId").asText()).isEqualTo("gmail-nosuchuser");
        assertThat(b.path("advice").asText()).startsWith("The address does not exist");
        assertThat(data.path("suppression").path("added").asBoolean()).isTrue();
        assertThat(data.path("suppression").path("reason").asText()).startsWith("userunknown: 550 5.1.1");
    }

    @Test
    void deferralIsTransientWithItsAttemptAndNoSuppression() throws Exception {
        NotificationEvent e = factory.fromResult(Results.outlookDeferred(7, "bob@outlook.com"), null);
        JsonNode b = JSON.readTree(EventJson.write(e)).path("data").path("bounce");
        assertThat(e.type()).isEqualTo("message.deferred");
        assertThat(b.path("bounceType").asText()).isEqualTo("Transient");
        assertThat(b.path("bounceSubType").asText()).isEqualTo("General");
        assertThat(b.path("dsnAction").asText()).isEqualTo("delayed");
        assertThat(b.path("category").asText()).isEqualTo("badreputation");
        assertThat(b.path("action").asText()).isEqualTo("check-reputation");
        assertThat(b.path("attempt").asInt()).isEqualTo(3);
        assertThat(b.path("delaySeconds").asDouble()).isEqualTo(2400.0);
        assertThat(e.data().has("suppression")).isFalse();
    }

    @Test
    void blocklistingIsNamedAndIsNotAPermanentAddressProblem() {
        NotificationEvent e = factory.fromResult(Results.spamhausBlocked(9, "a@example.org"), null);
        JsonNode b = e.data().path("bounce");
        assertThat(e.type()).isEqualTo("message.bounced");
        assertThat(b.path("bounceType").asText()).isEqualTo("Transient");
        assertThat(b.path("blocklist").asText()).isEqualTo("spamhaus");
        assertThat(b.path("hardBounce").asBoolean()).isFalse();
        assertThat(b.path("stage").asText()).isEqualTo("connect");
    }

    @Test
    void deliveredHasADeliveryObjectInsteadOfABounce() {
        NotificationEvent e = factory.fromResult(Results.delivered(3, "c@example.org"), null);
        assertThat(e.type()).isEqualTo("message.delivered");
        assertThat(e.data().has("bounce")).isFalse();
        assertThat(e.data().path("delivery").path("smtpResponse").asText()).startsWith("250 2.0.0 Ok");
        assertThat(e.data().path("delivery").path("status").asText()).isEqualTo("2.0.0");
    }

    @Test
    void expiredIsABouncedEventMarkedExpired() {
        StoredResult base = Results.outlookDeferred(8, "bob@outlook.com");
        DeliveryResult d = base.result();
        DeliveryResult expired = new DeliveryResult(d.time(), d.host(), d.mta(), d.queueId(), d.messageId(), d.sender(),
                d.recipient(), null, d.relay(), d.relayIp(), DeliveryStatus.EXPIRED, "expired", d.dsn(), d.replyCode(),
                d.diagnostic(), d.stage(), 432000.0, 40);
        NotificationEvent e = factory.fromResult(new StoredResult(8, base.source(), base.ingestedAt(), expired,
                base.classification()), null);
        assertThat(e.type()).isEqualTo("message.bounced");
        assertThat(e.data().path("bounce").path("expired").asBoolean()).isTrue();
        assertThat(e.data().path("bounce").path("dsnAction").asText()).isEqualTo("failed");
    }

    @Test
    void sameResultAlwaysGetsTheSameIdAndOtherResultsNever() {
        StoredResult r = Results.gmailUserUnknown(42, "jane@gmail.com");
        String first = factory.fromResult(r, null).id();
        String again = new EventFactory("other-host", Clock.systemUTC()).fromResult(r, null).id();
        assertThat(again).isEqualTo(first);
        assertThat(factory.fromResult(r.withId(43), null).id()).isNotEqualTo(first);
        // a fresh database numbers rows from 1 again: row 42 there is another result and must not collide
        assertThat(factory.fromResult(Results.gmailUserUnknown(42, "john@gmail.com"), null).id()).isNotEqualTo(first);
    }

    @Test
    void remoteTextIsBoundedSoAnEventStaysSmall() throws Exception {
        StoredResult base = Results.gmailUserUnknown(1, "x".repeat(5000) + "@example.org");
        DeliveryResult d = base.result();
        DeliveryResult huge = new DeliveryResult(d.time(), d.host(), d.mta(), "q".repeat(10_000), "m".repeat(10_000),
                d.sender(), d.recipient(), null, "h".repeat(10_000), d.relayIp(), d.status(), d.mtaStatus(), d.dsn(),
                d.replyCode(), "550 " + "z".repeat(100_000), d.stage(), d.delaySeconds(), d.attempts());
        Classification c = new Classification(Severity.PERMANENT, "userunknown", true, Action.SUPPRESS,
                java.util.Collections.nCopies(500, "signal:" + "s".repeat(1000)), "r", "advice");
        String body = EventJson.write(factory.fromResult(new StoredResult(1, "f", d.time(), huge, c), null));
        assertThat(body.length()).isLessThan(20_000);
        JsonNode b = JSON.readTree(body).path("data").path("bounce");
        assertThat(b.path("diagnosticCode").asText()).hasSize(EventFactory.MAX_DIAGNOSTIC).endsWith("…");
    }

    @Test
    void suppressionEventCarriesWhyAndIsStable() {
        StoredResult r = Results.gmailUserUnknown(42, "jane@gmail.com");
        NotificationEvent e = factory.fromSuppression(Results.suppressionFor(r));
        assertThat(e.type()).isEqualTo("recipient.suppressed");
        assertThat(e.data().path("recipient").path("emailAddress").asText()).isEqualTo("jane@gmail.com");
        assertThat(e.data().path("recipient").path("domain").asText()).isEqualTo("gmail.com");
        JsonNode s = e.data().path("suppression");
        assertThat(s.path("origin").asText()).isEqualTo("bounce");
        assertThat(s.path("category").asText()).isEqualTo("userunknown");
        assertThat(s.path("status").asText()).isEqualTo("5.1.1");
        assertThat(s.path("smtpCode").asInt()).isEqualTo(550);
        assertThat(s.path("resultId").asLong()).isEqualTo(42);
        assertThat(factory.fromSuppression(Results.suppressionFor(r)).id()).isEqualTo(e.id());
        assertThat(e.id()).isNotEqualTo(factory.fromResult(r, null).id());
    }

    @Test
    void testEventsGetAFreshIdEachTime() {
        NotificationEvent a = factory.webhookTest("ops");
        NotificationEvent b = factory.webhookTest("ops");
        assertThat(a.type()).isEqualTo("webhook.test");
        assertThat(a.timestamp()).isEqualTo(Instant.parse("2026-11-28T15:00:00Z"));
        assertThat(a.id()).isNotEqualTo(b.id()).doesNotContain(".");
        assertThat(a.data().path("destination").asText()).isEqualTo("ops");
    }

    @Test
    void writtenJsonReadsBackAsTheSameEvent() {
        NotificationEvent e = factory.fromResult(Results.outlookDeferred(7, "bob@outlook.com"), null);
        NotificationEvent back = EventJson.read(EventJson.write(e));
        assertThat(back.id()).isEqualTo(e.id());
        assertThat(back.type()).isEqualTo(e.type());
        assertThat(back.timestamp()).isEqualTo(e.timestamp());
        assertThat(back.source()).isEqualTo("mx1.example.net");
        assertThat(back.data().toString()).isEqualTo(e.data().toString()); // node types differ (long vs int), the text does not
        assertThat(EventJson.write(back)).isEqualTo(EventJson.write(e));
    }

    @Test
    void readingSomethingElseIsAClearError() {
        assertThatThrownBy(() -> EventJson.read("[1,2]")).hasMessageContaining("object");
        assertThatThrownBy(() -> EventJson.read("{\"id\":\"x\",\"type\":\"t\",\"timestamp\":\"yesterday\",\"data\":{}}"))
                .hasMessageContaining("timestamp");
        assertThatThrownBy(() -> EventJson.read("{not json")).hasMessageContaining("not JSON");
    }

    @Test
    void timestampsAlwaysHaveMilliseconds() {
        assertThat(EventJson.timestamp(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05.000Z");
    }

    @Test
    void idsAre128BitsOfBase32() {
        assertThat(EventIds.base32(new byte[16])).isEqualTo("0".repeat(26));
        byte[] ones = new byte[16];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertThat(EventIds.base32(ones)).isEqualTo("z".repeat(25) + "w"); // last digit holds 3 bits
        assertThat(List.of(EventIds.random(), EventIds.random())).doesNotHaveDuplicates();
    }
}
