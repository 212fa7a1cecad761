package dev.bouncewatch.agent.notify.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How long to wait after each failed attempt before the next, and when to give up. Every step gets
 * ±{@code jitter} so that many entries failing together do not retry in lock step; a receiver's
 * Retry-After wins when it is longer than the step (it is capped at {@link RetryAfter#MAX}).
 *
 * @param delays the wait after failure 1, 2, ...; after as many failures as there are steps the
 *               entry is dead
 * @param jitter a fraction, e.g. 0.2 for ±20%
 */
public record RetrySchedule(List<Duration> delays, double jitter) {

    /**
     * Webhooks, as Svix does: attempts at 0, 5s, 5m, 30m, 2h, 5h, 10h, 10h; dead about 28 h after
     * the first attempt.
     */
    public static final RetrySchedule WEBHOOK = new RetrySchedule(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10)), 0.2);

    /** Slack: 1s, 5s, 30s, 2m, 5m, 15m, 30m; an alert older than about an hour is not worth posting. */
    public static final RetrySchedule SLACK = new RetrySchedule(List.of(Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofMinutes(30)), 0.2);

    public RetrySchedule {
        delays = List.copyOf(delays);
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
        }
    }

    /** The schedule for a destination kind ({@code slack} or anything else). */
    public static RetrySchedule forKind(String kind) {
        return "slack".equals(kind) ? SLACK : WEBHOOK;
    }

    /** How many attempts an entry gets in all. */
    public int maxAttempts() {
        return delays.size() + 1;
    }

    /**
     * The wait before the next attempt, or empty when this was the last one.
     *
     * @param failures   attempts made so far, all failed (1 after the first failure)
     * @param retryAfter the receiver's Retry-After, or null
     */
    public Optional<Duration> next(int failures, Duration retryAfter, RandomGenerator random) {
        if (failures < 1 || failures > delays.size()) {
            return Optional.empty();
        }
        Duration step = delays.get(failures - 1);
        long millis = step.toMillis();
        if (jitter > 0 && millis > 0) {
            double factor = 1 + jitter * (2 * random.nextDouble() - 1);
            millis = Math.round(millis * factor);
        }
        Duration wait = Duration.ofMillis(millis);
        if (retryAfter != null) {
            Duration capped = retryAfter.compareTo(RetryAfter.MAX) > 0 ? RetryAfter.MAX : retryAfter;
            if (capped.compareTo(wait) > 0) {
                wait = capped;
            }
        }
        return Optional.of(wait);
    }
}
