package dev.bouncewatch.agent.notify.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads an HTTP {@code Retry-After} value (RFC 9110 10.2.3): delay seconds or an HTTP date. */
public final class RetryAfter {

    /** A receiver asking for more than this is not taken literally: the schedule still moves on. */
    public static final Duration MAX = Duration.ofHours(1);

    private RetryAfter() {
    }

    /** The delay, at most {@link #MAX}; empty when absent or unreadable, zero for a date in the past. */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        Duration d;
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                d = Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException e) {
                d = MAX; // more digits than a long: certainly longer than the cap
            }
        } else {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                d = at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.of(d.compareTo(MAX) > 0 ? MAX : d);
    }
}
