package dev.bouncewatch.agent.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One address on the suppression list, and why.
 *
 * @param address    lower case
 * @param origin     {@code bounce} (added by the agent) or {@code manual}
 * @param reason     one line a person understands ("userunknown: 550 5.1.1 ... from mx.example.com")
 * @param category   classification category of the deciding bounce, null for manual entries
 * @param resultId   the deciding result's id, null for manual entries
 * @param failures   hard failures counted when it was added
 */
public record Suppression(String address, String origin, String reason, String category, Instant createdAt,
                          Instant updatedAt, Long resultId, String dsn, Integer replyCode, String diagnostic,
                          int failures) {

    public static final String ORIGIN_BOUNCE = "bounce";
    public static final String ORIGIN_MANUAL = "manual";

    public Suppression {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
