package dev.bouncewatch.agent.source;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential back-off for a child process or listener that keeps failing: the first retry waits
 * {@code initial}, each further one twice as long up to {@code max}. A run that stayed healthy for
 * {@code healthyAfter} resets it, so a journalctl that dies once a day restarts at once instead of
 * after the 30 s the last crash loop reached. Not thread-safe: one per retry loop.
 */
final class Backoff {

    /** 0.5 s .. 30 s, reset after a healthy minute. */
    static final Backoff.Settings DEFAULTS =
            new Settings(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(1));

    record Settings(Duration initial, Duration max, Duration healthyAfter) {
        Settings {
            Objects.requireNonNull(initial, "initial");
            Objects.requireNonNull(max, "max");
            Objects.requireNonNull(healthyAfter, "healthyAfter");
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("back-off needs 0 < initial <= max, got " + initial + " and " + max);
            }
        }
    }

    private final Settings settings;
    private Duration next;

    Backoff(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.next = settings.initial();
    }

    /**
     * How long to wait before the next attempt, after an attempt that ran for {@code ranFor}
     * (zero when it could not start at all).
     */
    Duration delayAfter(Duration ranFor) {
        if (ranFor.compareTo(settings.healthyAfter()) >= 0) {
            next = settings.initial();
        }
        Duration delay = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(settings.max()) > 0 ? settings.max() : doubled;
        return delay;
    }
}
