package dev.bouncewatch.agent.http;

import dev.bouncewatch.agent.classify.Category;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.testmta.http.ApiException;
import dev.bouncewatch.testmta.http.Exchanges;
import com.sun.net.httpserver.HttpExchange;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One request's query parameters, read into typed values. Every refusal is a 400 whose message
 * starts with the parameter's name and says what was expected, so a client can fix the request.
 */
final class QueryParams {

    /** {@code 90s}, {@code 15m}, {@code 1h30m}, {@code 7d}, {@code 2w}: units largest first, each once. */
    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    private static final long[] UNIT_SECONDS = {7 * 86_400L, 86_400L, 3_600L, 60L, 1L};
    /** Ten years: far enough back for any retention, small enough to keep time arithmetic safe. */
    static final Duration MAX_DURATION = Duration.ofDays(3660);

    private final Map<String, String> values;

    private QueryParams(Map<String, String> values) {
        this.values = values;
    }

    /** The request's parameters; a name outside {@code allowed} is a 400 that lists the allowed ones. */
    static QueryParams of(HttpExchange ex, Set<String> allowed) throws ApiException {
        Map<String, String> values = Exchanges.query(ex);
        for (String name : values.keySet()) {
            if (!allowed.contains(name)) {
                throw new ApiException(400, "unknown parameter '" + name + "'; expected one of "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return new QueryParams(values);
    }

    /** The trimmed value, null when absent or empty. */
    String text(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        v = v.trim();
        return v.isEmpty() ? null : v;
    }

    int integer(String name, int fallback, int min, int max) throws ApiException {
        String v = text(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what was expected
        }
        throw new ApiException(400, name + ": expected a whole number from " + min + " to " + max + ", got '" + v + "'");
    }

    Long positiveLong(String name) throws ApiException {
        String v = text(name);
        if (v == null) {
            return null;
        }
        try {
            long n = Long.parseLong(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what was expected
        }
        throw new ApiException(400, name + ": expected a positive whole number (the 'next' value of the previous page), got '" + v + "'");
    }

    /** An RFC 3339 time ({@code 2026-11-29T06:00:00Z}, any offset) or a duration before now ({@code 1h}). */
    Instant time(String name, Instant now) throws ApiException {
        String v = text(name);
        if (v == null) {
            return null;
        }
        if (!v.isEmpty() && Character.isDigit(v.charAt(v.length() - 1)) || v.contains("T") || v.contains("t")) {
            try {
                // an unencoded '+01:00' arrives as ' 01:00' (form decoding): give the plus back
                String iso = v.toUpperCase(Locale.ROOT).replaceFirst(" (\\d\\d:\\d\\d)$", "+$1");
                return OffsetDateTime.parse(iso).toInstant();
            } catch (DateTimeParseException e) {
                throw new ApiException(400, name + ": expected an RFC 3339 time like 2026-11-29T06:00:00Z or a duration"
                        + " before now like 1h, got '" + v + "'");
            }
        }
        Duration ago = parseDuration(v);
        if (ago == null) {
            throw new ApiException(400, name + ": expected an RFC 3339 time like 2026-11-29T06:00:00Z or a duration"
                    + " before now like 15m, 1h, 7d, got '" + v + "'");
        }
        return now.minus(ago);
    }

    Duration duration(String name, Duration fallback, Duration min, Duration max) throws ApiException {
        String v = text(name);
        if (v == null) {
            return fallback;
        }
        Duration d = parseDuration(v);
        if (d == null) {
            throw new ApiException(400, name + ": expected a duration like 30s, 5m, 1h, 7d or 1h30m, got '" + v + "'");
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ApiException(400, name + ": expected a duration from " + format(min) + " to " + format(max)
                    + ", got '" + v + "'");
        }
        return d;
    }

    /** Comma-separated statuses, e.g. {@code bounced,expired}; empty when absent. */
    Set<DeliveryStatus> statuses(String name) throws ApiException {
        String v = text(name);
        Set<DeliveryStatus> out = EnumSet.noneOf(DeliveryStatus.class);
        if (v == null) {
            return out;
        }
        for (String part : v.split(",")) {
            String p = part.trim().toUpperCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            try {
                out.add(DeliveryStatus.valueOf(p));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, name + ": unknown status '" + part.trim() + "'; expected "
                        + Arrays.stream(DeliveryStatus.values()).map(DeliveryStatus::wireName).collect(Collectors.joining(", "))
                        + " (several separated by commas)");
            }
        }
        return out;
    }

    /** A classification category's wire name (aliases resolved), null when absent. */
    String category(String name) throws ApiException {
        String v = text(name);
        if (v == null) {
            return null;
        }
        return Category.fromWireName(v).map(Category::wireName).orElseThrow(() -> new ApiException(400,
                name + ": unknown category '" + v + "'; expected one of "
                        + Arrays.stream(Category.values()).map(Category::wireName).collect(Collectors.joining(", "))));
    }

    /** One of {@code choices}, or the fallback when absent. */
    String choice(String name, String fallback, Set<String> choices) throws ApiException {
        String v = text(name);
        if (v == null) {
            return fallback;
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (!choices.contains(lower)) {
            throw new ApiException(400, name + ": expected one of " + String.join(", ", new TreeSet<>(choices))
                    + ", got '" + v + "'");
        }
        return lower;
    }

    /** {@code 1h30m} and friends, or null when the text is not such a duration (or zero, or beyond ten years). */
    static Duration parseDuration(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return null;
        }
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            return null;
        }
        long seconds = 0;
        for (int i = 0; i < UNIT_SECONDS.length; i++) {
            String g = m.group(i + 1);
            if (g != null) {
                if (g.length() > 7) { // beyond ten years in any unit; also keeps the sum far from overflow
                    return null;
                }
                seconds += Long.parseLong(g) * UNIT_SECONDS[i];
            }
        }
        Duration d = Duration.ofSeconds(seconds);
        return d.isZero() || d.compareTo(MAX_DURATION) > 0 ? null : d;
    }

    /** The shortest text {@link #parseDuration} reads back: {@code 1h30m}, {@code 7d}. */
    static String format(Duration d) {
        long s = d.getSeconds();
        StringBuilder b = new StringBuilder();
        String[] units = {"w", "d", "h", "m", "s"};
        for (int i = 0; i < UNIT_SECONDS.length; i++) {
            long n = s / UNIT_SECONDS[i];
            if (n > 0) {
                b.append(n).append(units[i]);
                s -= n * UNIT_SECONDS[i];
            }
        }
        return b.length() == 0 ? "0s" : b.toString();
    }
}
