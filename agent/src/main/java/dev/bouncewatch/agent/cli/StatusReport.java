package dev.bouncewatch.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bouncewatch.agent.notify.DisplayFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of {@code bouncewatch status}: the running agent's {@code /healthz} and the last hour
 * and day of {@code /api/stats}, in the lines an admin reads first. Remote reply text never
 * appears here, only counts, states and the agent's own error messages.
 */
final class StatusReport {

    private StatusReport() {
    }

    /**
     * @param health {@code /healthz}
     * @param hour   {@code /api/stats?window=1h}, null when it could not be read (e.g. a token is needed)
     * @param day    {@code /api/stats?window=24h}, likewise
     */
    static List<String> lines(String url, JsonNode health, JsonNode hour, JsonNode day, Instant now) {
        List<String> out = new ArrayList<>();
        String status = health.path("status").asText("unknown");
        Duration up = Duration.ofSeconds(health.path("uptimeSeconds").asLong());
        out.add("bouncewatch agent at " + url + ": " + status + ", up " + DisplayFormat.duration(up));
        out.add("sources:");
        JsonNode sources = health.path("sources");
        if (sources.isEmpty()) {
            out.add("  none");
        }
        for (JsonNode s : sources) {
            out.add("  " + source(s, now));
            String error = s.path("lastError").asText("");
            if (!error.isEmpty()) {
                out.add("    last error: " + TerminalText.safe(error));
            }
        }
        if (hour != null) {
            out.add("last hour: " + totals(hour));
        }
        if (day != null) {
            out.add("last 24 hours: " + totals(day));
        }
        if (hour == null || day == null) {
            out.add("(statistics need the API token: --config names the file that has it)");
        }
        for (JsonNode p : health.path("problems")) {
            out.add("problem: " + TerminalText.safe(p.asText()));
        }
        return out;
    }

    private static String source(JsonNode s, Instant now) {
        StringBuilder line = new StringBuilder(s.path("id").asText()).append("  ").append(s.path("state").asText());
        line.append(", ").append(DisplayFormat.count(s.path("committedLines").asLong())).append(" lines, ")
                .append(DisplayFormat.count(s.path("results").asLong())).append(" results");
        if (!s.path("lagBytes").isNull() && s.path("lagBytes").asLong() > 0) {
            line.append(", ").append(DisplayFormat.bytes(s.path("lagBytes").asLong())).append(" behind");
        }
        String last = s.path("lastLineTime").asText("");
        if (!last.isEmpty()) {
            try {
                line.append(", last line ").append(DisplayFormat.duration(Duration.between(Instant.parse(last), now)))
                        .append(" ago");
            } catch (RuntimeException e) {
                // an unexpected time format: leave it out rather than fail the whole report
            }
        }
        long skipped = 0;
        for (JsonNode n : s.path("skipped")) {
            skipped += n.asLong();
        }
        if (skipped > 0) {
            line.append(", ").append(DisplayFormat.count(skipped)).append(" lines skipped");
        }
        return line.toString();
    }

    private static String totals(JsonNode stats) {
        JsonNode by = stats.path("byStatus");
        long total = stats.path("total").asLong();
        if (total == 0) {
            return "no deliveries";
        }
        return DisplayFormat.count(total) + " results: " + DisplayFormat.count(by.path("delivered").asLong())
                + " delivered, " + DisplayFormat.count(by.path("deferred").asLong()) + " deferred, "
                + DisplayFormat.count(by.path("bounced").asLong() + by.path("expired").asLong()) + " bounced"
                + " (bounce rate " + DisplayFormat.percent(stats.path("bounceRate").asDouble()) + ")";
    }
}
