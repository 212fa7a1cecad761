package dev.bouncewatch.agent.notify.digest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * "Every day at 08:00 in this zone" as instants. Local days, not 24-hour steps, so a digest after a
 * daylight-saving change covers the 23 or 25 hours of that day; a time that falls into a spring-forward
 * gap moves to just after it (java.time's rule).
 */
record DigestSchedule(LocalTime time, ZoneId zone) {

    /** The latest scheduled time at or before {@code now}. */
    Instant latestAtOrBefore(Instant now) {
        LocalDate today = now.atZone(zone).toLocalDate();
        Instant t = at(today);
        return t.isAfter(now) ? at(today.minusDays(1)) : t;
    }

    /** The scheduled time one local day before {@code scheduled}. */
    Instant dayBefore(Instant scheduled) {
        return at(scheduled.atZone(zone).toLocalDate().minusDays(1));
    }

    Instant next(Instant now) {
        Instant latest = latestAtOrBefore(now);
        return at(latest.atZone(zone).toLocalDate().plusDays(1));
    }

    private Instant at(LocalDate day) {
        return ZonedDateTime.of(day, time, zone).toInstant();
    }
}
