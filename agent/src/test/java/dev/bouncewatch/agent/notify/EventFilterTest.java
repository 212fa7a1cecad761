package dev.bouncewatch.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bouncewatch.agent.notify.event.EventFactory;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventFilterTest {

    private final EventFactory factory = new EventFactory("mx1", Clock.systemUTC());
    private final NotificationEvent gmailBounce = factory.fromResult(Results.gmailUserUnknown(1, "jane@gmail.com"), null);
    private final NotificationEvent outlookDeferral = factory.fromResult(Results.outlookDeferred(2, "bob@eu.Outlook.com"), null);
    private final NotificationEvent delivered = factory.fromResult(Results.delivered(3, "c@example.org"), null);
    private final NotificationEvent ping = factory.webhookTest("x");

    @Test
    void defaultsTakeEverythingButDeliveries() {
        EventFilter f = EventFilter.defaults();
        assertThat(f.accepts(gmailBounce)).isTrue();
        assertThat(f.accepts(outlookDeferral)).isTrue();
        assertThat(f.accepts(ping)).isTrue();
        assertThat(f.accepts(delivered)).isFalse();
    }

    @Test
    void typesCategoriesAndDomainsCombine() {
        EventFilter f = new EventFilter(EnumSet.of(EventType.MESSAGE_BOUNCED, EventType.MESSAGE_DEFERRED, EventType.ALERT_FIRING),
                Set.of("UserUnknown", "badreputation"), Set.of("outlook.com", "@gmail.com"));
        assertThat(f.accepts(gmailBounce)).isTrue();
        assertThat(f.accepts(outlookDeferral)).as("subdomain, any case").isTrue();
        assertThat(f.accepts(ping)).as("type not listed").isFalse();

        EventFilter onlyYahoo = new EventFilter(EventFilter.DEFAULT_TYPES, Set.of(), Set.of("yahoo.com"));
        assertThat(onlyYahoo.accepts(gmailBounce)).isFalse();
        assertThat(onlyYahoo.accepts(ping)).as("no recipient: the domain filter does not apply").isTrue();
        assertThat(new EventFilter(EventFilter.DEFAULT_TYPES, Set.of(), Set.of("ail.com")).accepts(gmailBounce))
                .as("suffix only on a label boundary").isFalse();

        EventFilter onlyBlocked = new EventFilter(EventFilter.DEFAULT_TYPES, Set.of("blocked"), Set.of());
        assertThat(onlyBlocked.accepts(gmailBounce)).isFalse();
        assertThat(onlyBlocked.accepts(factory.fromSuppression(Results.suppressionFor(Results.gmailUserUnknown(1, "jane@gmail.com")))))
                .as("suppression category counts too").isFalse();
    }

    @Test
    void unknownTypesAreNotAccepted() {
        NotificationEvent odd = new NotificationEvent("evt_1", "something.else", Results.T0, 1, "mx1",
                gmailBounce.data(), null);
        assertThat(EventFilter.defaults().accepts(odd)).isFalse();
    }
}
