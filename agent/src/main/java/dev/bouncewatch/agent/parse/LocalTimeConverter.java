package dev.bouncewatch.agent.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Turns zone-less wall-clock times into instants in one configured zone. Consecutive log lines share
 * the hour, so the zone rules are consulted once per hour, not per line.
 */
final class LocalTimeConverter {

    private final ZoneId zone;
    private long cachedHourKey = -1;
    private long cachedHourEpoch;

    LocalTimeConverter(ZoneId zone) {
        this.zone = zone;
    }

    ZoneId zone() {
        return zone;
    }

    /** The instant, or null when the fields make no valid date (Feb 30, hour 25). */
    Instant toInstant(int year, int month, int day, int hour, int minute, int second, int nanos) {
        if (minute > 59 || second > 60) {
            return null;
        }
        long key = ((((long) year * 16 + month) * 32 + day) * 32) + hour;
        if (key != cachedHourKey) {
            try {
                cachedHourEpoch = ZonedDateTime.of(year, month, day, hour, 0, 0, 0, zone).toEpochSecond();
            } catch (DateTimeException e) {
                return null;
            }
            cachedHourKey = key;
        }
        return Instant.ofEpochSecond(cachedHourEpoch + minute * 60L + Math.min(second, 59), nanos);
    }

    /** An instant for a time that carries its own UTC offset. */
    static Instant withOffset(int year, int month, int day, int hour, int minute, int second, int nanos, int offsetSeconds) {
        if (hour > 23 || minute > 59 || second > 60) {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + Math.min(second, 59) - offsetSeconds, nanos);
    }
}
