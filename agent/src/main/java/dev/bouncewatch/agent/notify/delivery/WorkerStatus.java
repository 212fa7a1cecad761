package dev.bouncewatch.agent.notify.delivery;

import java.time.Instant;

/**
 * A destination's delivery state, for {@code /healthz}, metrics and the alert engine.
 *
 * @param state               {@code ok}, {@code failing} (circuit open) or {@code paused}
 * @param consecutiveFailures failed attempts in a row
 * @param lastError           the last failure's detail, null when the last attempt worked
 * @param nextProbe           when a paused or failing destination is tried again, else null
 * @param delivered           entries delivered since start
 * @param dead                entries given up since start
 */
public record WorkerStatus(String destination, String kind, String state, int consecutiveFailures, String lastError,
                           Instant nextProbe, long delivered, long dead) {
}
