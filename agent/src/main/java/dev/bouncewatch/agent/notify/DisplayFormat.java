package dev.bouncewatch.agent.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Numbers, rates, durations and times the way messages and summaries show them. */
public final class DisplayFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm z", Locale.ROOT);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);

    private DisplayFormat() {
    }

    /** 1,240 */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** 812 B, 4.2 KiB, 110.7 MiB, 1.5 GiB */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int unit = -1;
        while (v >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[unit]);
    }

    /** 6.1%, 0.25%, 100% */
    public static String percent(double ratio) {
        double p = ratio * 100;
        if (p != 0 && Math.abs(p) < 1) {
            return String.format(Locale.ROOT, "%.2f%%", p);
        }
        String s = String.format(Locale.ROOT, "%.1f%%", p);
        return s.endsWith(".0%") ? s.substring(0, s.length() - 3) + "%" : s;
    }

    /** 45s, 42m, 3h 5m, 2d 4h */
    public static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 60) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 48) {
            return m % 60 == 0 ? h + "h" : h + "h " + (m % 60) + "m";
        }
        return h % 24 == 0 ? (h / 24) + "d" : (h / 24) + "d " + (h % 24) + "h";
    }

    public static String time(Instant t, ZoneId zone) {
        return TIME.format(t.atZone(zone));
    }

    public static String dateTime(Instant t, ZoneId zone) {
        return DATE_TIME.format(t.atZone(zone));
    }
}
