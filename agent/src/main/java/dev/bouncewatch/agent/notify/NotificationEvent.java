package dev.bouncewatch.agent.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One event, the envelope every destination gets: {@code {id, type, timestamp, schemaVersion,
 * source, data}}. See README "Events" and /work/shared/research/notifications.md.
 *
 * @param id        unique, stable across retries (becomes the webhook-id)
 * @param type      {@code message.bounced}, {@code alert.firing} ... (see {@link EventType})
 * @param source    the agent instance (host name) that produced it
 * @param data      type-specific body; SES-like names (bounceType, diagnosticCode, remoteMta ...)
 * @param groupKey  for alert and health events: newer state for the same key replaces older pending
 *                  messages of the same destination; null otherwise. Not part of the JSON.
 */
public record NotificationEvent(String id, String type, Instant timestamp, int schemaVersion, String source,
                                ObjectNode data, String groupKey) {

    public static final int SCHEMA_VERSION = 1;

    public NotificationEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(data, "data");
    }
}
