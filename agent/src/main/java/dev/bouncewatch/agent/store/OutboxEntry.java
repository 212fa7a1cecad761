package dev.bouncewatch.agent.store;

import java.time.Instant;

/**
 * One notification for one destination.
 *
 * @param id            row id; 0 before insertion
 * @param eventId       stable across retries (the webhook-id)
 * @param groupKey      a newer pending entry with the same destination and key replaces an older
 *                      pending one (Slack group state); null when every entry counts
 * @param payload       the body to send, as the notifier rendered it
 * @param state         {@code pending}, {@code delivered}, {@code dead}
 */
public record OutboxEntry(long id, String destination, String eventId, String eventType, String groupKey,
                          String payload, Instant createdAt, Instant nextAttemptAt, int attempts, String state,
                          String lastError, Instant finishedAt) {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String DEAD = "dead";

    public static OutboxEntry pending(String destination, String eventId, String eventType, String groupKey,
                                      String payload, Instant now) {
        return new OutboxEntry(0, destination, eventId, eventType, groupKey, payload, now, now, 0, PENDING, null, null);
    }
}
