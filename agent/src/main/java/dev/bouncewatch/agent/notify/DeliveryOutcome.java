package dev.bouncewatch.agent.notify;

import java.time.Duration;
import java.util.Objects;

/**
 * What one send attempt gave.
 *
 * @param retryAfter the receiver's Retry-After when it gave one, else null
 * @param detail     short text for logs and the outbox's last_error (never a secret, bounded)
 */
public record DeliveryOutcome(Kind kind, Duration retryAfter, String detail) {

    public enum Kind {
        /** 2xx: done */
        DELIVERED,
        /** timeout, connection refused, 5xx, 429: try again on the schedule */
        RETRY,
        /** the destination itself is broken (Slack invalid_token, no_service, channel_is_archived; 401/403/404/410 webhooks): stop sending to it until the config changes or an operator resumes it; raise agent.health */
        PAUSE,
        /** this entry can never succeed (400 with a bad payload): dead letter */
        DEAD
    }

    public DeliveryOutcome {
        Objects.requireNonNull(kind, "kind");
    }

    public static DeliveryOutcome delivered(String detail) {
        return new DeliveryOutcome(Kind.DELIVERED, null, detail);
    }
}
