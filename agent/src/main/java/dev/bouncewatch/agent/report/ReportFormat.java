package dev.bouncewatch.agent.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Number, percentage, time and duration formats shared by the text and HTML renderers. */
final class ReportFormat {

    private final ZoneId zone;
    private final DateTimeFormatter minutes;
    private final DateTimeFormatter seconds;
    private final DateTimeFormatter days;

    ReportFormat(ZoneId zone) {
        this.zone = zone;
        this.minutes = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(zone);
        this.seconds = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx", Locale.ROOT).withZone(zone);
        this.days = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(zone);
    }

    ZoneId zone() {
        return zone;
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** "1 attempt", "2 attempts". */
    static String count(long n, String noun) {
        return count(n) + " " + noun + (n == 1 ? "" : "s");
    }

    /** A share as a percentage with one decimal; "-" when there is no whole to share. */
    static String percent(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", 100.0 * share);
    }

    String time(Instant t) {
        return t == null ? "-" : seconds.format(t);
    }

    /** A bucket's label: with the hour for hourly buckets, the date alone for daily ones. */
    String bucket(Instant t, long bucketSeconds) {
        return bucketSeconds >= BounceTimeline.DAY ? days.format(t) : minutes.format(t);
    }

    String hourOfDay(Instant t) {
        return DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(zone).format(t);
    }

    String date(Instant t) {
        return days.format(t);
    }

    static String span(Instant from, Instant to) {
        if (from == null || to == null) {
            return "";
        }
        Duration d = Duration.between(from, to);
        if (d.toDays() > 0) {
            return d.toDays() + "d " + d.toHoursPart() + "h";
        }
        return d.toHours() + "h " + d.toMinutesPart() + "m";
    }
}
