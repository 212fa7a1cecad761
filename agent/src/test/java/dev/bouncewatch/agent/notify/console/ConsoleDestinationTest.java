package dev.bouncewatch.agent.notify.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.classify.Classification;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.notify.DeliveryOutcome;
import dev.bouncewatch.agent.notify.EventFilter;
import dev.bouncewatch.agent.notify.NotificationEvent;
import dev.bouncewatch.agent.notify.Results;
import dev.bouncewatch.agent.notify.event.EventFactory;
import dev.bouncewatch.agent.notify.event.EventJson;
import dev.bouncewatch.agent.store.OutboxEntry;
import dev.bouncewatch.agent.store.StoredResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleDestinationTest {

    private final EventFactory factory = new EventFactory("mx1", Clock.systemUTC());
    private final List<String> lines = new ArrayList<>();
    private final ConsoleDestination console = new ConsoleDestination(EventFilter.defaults(), lines::add);

    @Test
    void oneReadableLinePerBounce() {
        StoredResult r = Results.gmailUserUnknown(1, "jane@gmail.com");
        String line = console.render(factory.fromResult(r, Results.suppressionFor(r)));
        assertThat(line).startsWith("message.bounced 2026-11-28T14:03:12.481Z \"jane@gmail.com\" permanent userunknown 5.1.1 550")
                .contains("from \"gmail-smtp-in.l.google.com\": \"host gmail-smtp-in")
                .contains("-> suppress", "(queue \"4XyZ1abcD\")", "[suppressed]")
                .doesNotContain("\n");

        DeliveryOutcome o = console.send(OutboxEntry.pending("console", "evt_1", "message.bounced", null, line, Results.T0));
        assertThat(o.kind()).isEqualTo(DeliveryOutcome.Kind.DELIVERED);
        assertThat(lines).containsExactly(line);
    }

    @Test
    void hostileRemoteTextCannotForgeLinesOrEscapeSequences() {
        StoredResult base = Results.gmailUserUnknown(1, "jane@gmail.com");
        DeliveryResult d = base.result();
        DeliveryResult hostile = new DeliveryResult(d.time(), d.host(), d.mta(), d.queueId(), d.messageId(), d.sender(),
                "x\"@evil\n12:00:00 INFO fake line", null, "mx\u001b[2J.evil", d.relayIp(), d.status(), d.mtaStatus(), d.dsn(),
                d.replyCode(), "550 nope\r\nINFO  Notifier - all good \u202eevil", d.stage(), d.delaySeconds(), d.attempts());
        Classification c = base.classification();
        String line = console.render(factory.fromResult(new StoredResult(1, "f", d.time(), hostile, c), null));
        assertThat(line).doesNotContain("\n", "\r", "\u001b", "\u202e")
                .contains("\"x\\\"@evil\\n12:00:00 INFO fake line\"", "mx\\u001b[2J.evil", "\\u202eevil");
    }

    @Test
    void otherEventsShowTheirGroupAndSummary() {
        var data = EventJson.newObject().put("summary", "38% of 1,240 attempts to Microsoft deferred in 15m");
        NotificationEvent alert = new NotificationEvent("evt_a", "alert.firing", Results.T0, 1, "mx1", data,
                "deferral_spike/provider=microsoft");
        assertThat(console.render(alert)).isEqualTo("alert.firing 2026-11-28T14:03:12.481Z "
                + "\"deferral_spike/provider=microsoft\": \"38% of 1,240 attempts to Microsoft deferred in 15m\"");
        assertThat(console.render(factory.webhookTest("console"))).startsWith("webhook.test ").contains("delivery works");
    }

    @Test
    void deliveriesAreNotLoggedByDefault() {
        assertThat(console.accepts(factory.fromResult(Results.delivered(1, "a@b.c"), null))).isFalse();
        assertThat(console.accepts(factory.fromResult(Results.outlookDeferred(1, "a@b.c"), null))).isTrue();
    }
}
