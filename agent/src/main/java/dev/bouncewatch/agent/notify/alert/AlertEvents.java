package dev.bouncewatch.agent.notify.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bouncewatch.agent.notify.EventType;
import dev.bouncewatch.agent.notify.NotificationEvent;
import dev.bouncewatch.agent.notify.alert.AlertGrouper.Notification;
import dev.bouncewatch.agent.notify.alert.AlertGrouper.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Turns a group notification into the event every destination gets: {@code alert.firing},
 * {@code alert.resolved} or {@code agent.health}, with {@code data} in the shape of Alertmanager's
 * webhook payload ({@code status}, {@code groupKey}, {@code notificationReason}, {@code alerts[]}).
 * The event id is derived from the group, its episode and the message number, so a write that is
 * rolled back and redone produces the same id, and the outbox keeps one copy.
 */
final class AlertEvents {

    private final String source;

    /** @param source the agent's host name */
    AlertEvents(String source) {
        this.source = source;
    }

    NotificationEvent event(Notification n, Instant now) {
        GroupState g = n.group();
        boolean resolved = n.reason() == Reason.RESOLVED;
        ObjectNode alert = AlertJson.parse(g.details());
        alert.put("status", resolved ? "resolved" : "firing");
        alert.put("fingerprint", fingerprint(g.groupKey()));
        alert.put("startsAt", g.activeSince().toString());
        if (resolved && g.resolvedAt() != null) {
            alert.put("endsAt", g.resolvedAt().toString());
        } else {
            alert.putNull("endsAt");
        }
        boolean health = alert.path("rule").isTextual() && AgentHealthRule.isHealthRule(alert.path("rule").asText())
                || (n.alert() != null && n.alert().health());
        ObjectNode data = AlertJson.object();
        data.put("status", resolved ? "resolved" : "firing");
        data.put("groupKey", g.groupKey());
        data.put("notificationReason", n.reason().wireName());
        data.putArray("alerts").add(alert);
        String type = health ? EventType.AGENT_HEALTH.wireName()
                : resolved ? EventType.ALERT_RESOLVED.wireName() : EventType.ALERT_FIRING.wireName();
        String id = "evt_alert_" + fingerprint(g.groupKey()) + "_" + g.activeSince().toEpochMilli() + "_" + g.sentCount();
        return new NotificationEvent(id, type, now, NotificationEvent.SCHEMA_VERSION, source, data, g.groupKey());
    }

    /** A short stable hash of the group key: ids and fingerprints must not carry its untrusted text. */
    static String fingerprint(String groupKey) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(groupKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
