package dev.bouncewatch.agent.notify;

import java.util.Locale;

/** The event types; wire names are {@code message.bounced} style. */
public enum EventType {
    MESSAGE_DELIVERED("message.delivered"),
    MESSAGE_DEFERRED("message.deferred"),
    MESSAGE_BOUNCED("message.bounced"),
    RECIPIENT_SUPPRESSED("recipient.suppressed"),
    ALERT_FIRING("alert.firing"),
    ALERT_RESOLVED("alert.resolved"),
    REPORT_DIGEST("report.digest"),
    AGENT_HEALTH("agent.health"),
    WEBHOOK_TEST("webhook.test");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static EventType fromWireName(String name) {
        for (EventType t : values()) {
            if (t.wireName.equals(name.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown event type '" + name + "'");
    }
}
