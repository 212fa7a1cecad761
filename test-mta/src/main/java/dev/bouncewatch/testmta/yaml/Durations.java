package dev.bouncewatch.testmta.yaml;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax of bouncewatch's YAML files (scenarios, the agent's config): {@code 250ms},
 * {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}, {@code 2w}, combined as {@code 1h30m}; {@code 0}
 * is zero. Each file kind sets its own maximum, which catches {@code 30000d}-style typos.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d|w)");

    private Durations() {
    }

    /**
     * @param examples how the error names the syntax, e.g. "250ms, 30s, 5m, 1h, 30d, 2w or 1h30m"
     * @throws IllegalArgumentException saying what was expected
     */
    public static Duration parse(String text, Duration max, String examples) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            });
            end = m.end();
        }
        if (end == 0 || end != s.length()) {
            String hint = s.matches("\\d+") ? " (a number needs a unit)" : "";
            throw new IllegalArgumentException("expected a duration like " + examples + hint + ", got '" + text + "'");
        }
        if (total.compareTo(max) > 0) {
            throw new IllegalArgumentException("duration '" + text + "' is longer than the maximum of " + format(max));
        }
        return total;
    }

    /** In days down to milliseconds, as a user would write it: {@code 30d}, {@code 1h30m}, {@code 250ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
        String[] units = {"d", "h", "m", "s", "ms"};
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < sizes.length && ms > 0; i++) {
            if (ms >= sizes[i]) {
                out.append(ms / sizes[i]).append(units[i]);
                ms %= sizes[i];
            }
        }
        return out.toString();
    }
}
