package dev.bouncewatch.agent.notify.delivery;

import java.time.Instant;
import java.util.Objects;

/**
 * A change in how a destination is doing, as its worker saw it.
 *
 * @param condition           what happened
 * @param detail              the last answer or error (bounded, never a secret), null on recovery
 * @param consecutiveFailures failed attempts in a row when it was reported
 * @param deadLetters         for {@link Condition#DEAD_LETTER}: entries given up since the last such report
 * @param since               when the condition began
 */
public record DestinationHealth(String destination, String kind, Condition condition, String detail,
                                int consecutiveFailures, int deadLetters, Instant since) {

    public enum Condition {
        /** The destination answered that it is broken (Slack no_service, webhook 410 ...): nothing is sent until it is fixed. */
        PAUSED,
        /** Several attempts in a row failed; the circuit breaker opened. Entries wait, none is lost yet. */
        FAILING,
        /** Back to normal after PAUSED or FAILING. */
        RECOVERED,
        /** Entries were given up (retry budget used, or the receiver refused them for good). */
        DEAD_LETTER;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public DestinationHealth {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(since, "since");
    }
}
