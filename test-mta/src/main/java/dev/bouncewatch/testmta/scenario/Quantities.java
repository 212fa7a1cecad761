package dev.bouncewatch.testmta.scenario;

import dev.bouncewatch.testmta.yaml.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the human quantities scenario files use: durations ({@code 300s}, {@code 5m},
 * {@code 1h30m}, {@code 500ms}; the syntax the agent's config shares, {@link Durations}), sizes
 * ({@code 50MiB}, {@code 10MB}, {@code 1024}) and rates
 * ({@code 10/s}, {@code 600/m}). Each parser throws {@link IllegalArgumentException} with a
 * message saying what was expected.
 */
final class Quantities {

    /** Longer than any sensible SMTP delay or TTL; catches {@code 5000d}-style typos. */
    static final Duration MAX_DURATION = Duration.ofDays(400);

    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(b|kb|kib|mb|mib|gb|gib)?");
    private static final Pattern RATE = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,6})?)\\s*/\\s*(s|sec|m|min|h|hour|d|day)");

    private Quantities() {
    }

    static Duration duration(String text) {
        return Durations.parse(text, MAX_DURATION, "500ms, 30s, 5m, 2h, 1d or 1h30m");
    }

    /** Octets; KB/MB/GB are powers of 1000, KiB/MiB/GiB powers of 1024. */
    static long size(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size like 52428800, 50MiB or 10MB, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2) == null ? "b" : m.group(2)) {
            case "kb" -> 1000L;
            case "kib" -> 1024L;
            case "mb" -> 1000L * 1000;
            case "mib" -> 1024L * 1024;
            case "gb" -> 1000L * 1000 * 1000;
            case "gib" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        try {
            return Math.multiplyExact(n, unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("size '" + text + "' is too large", e);
        }
    }

    /** Events per second. */
    static double ratePerSecond(String text) {
        Matcher m = RATE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a rate like 10/s, 600/m or 1000/h, got '" + text + "'");
        }
        double n = Double.parseDouble(m.group(1));
        double seconds = switch (m.group(2)) {
            case "s", "sec" -> 1;
            case "m", "min" -> 60;
            case "h", "hour" -> 3600;
            default -> 86400;
        };
        if (n <= 0) {
            throw new IllegalArgumentException("rate '" + text + "' must be above zero");
        }
        return n / seconds;
    }

    /** Short form for descriptions, in the largest whole unit: {@code 2d}, {@code 5m}, {@code 1500ms}. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return ms + "ms";
    }
}
