package dev.bouncewatch.agent.notify.slack;

import dev.bouncewatch.agent.config.SlackConfig;
import dev.bouncewatch.agent.notify.Destination;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the Slack destinations of a config: one HTTP client and one set of rate limits for all of
 * them, so destinations that share a webhook URL share its token bucket.
 */
public final class SlackDestinations {

    private SlackDestinations() {
    }

    /** @param zone time zone for times shown in messages (the digest's zone is a good choice) */
    public static List<Destination> create(List<SlackConfig> configs, ZoneId zone, Clock clock) {
        if (configs.isEmpty()) {
            return List.of();
        }
        HttpClient http = SlackDestination.newHttpClient();
        SlackRateLimits limits = new SlackRateLimits();
        SlackMessageRenderer renderer = new SlackMessageRenderer(zone);
        List<Destination> out = new ArrayList<>();
        for (SlackConfig c : configs) {
            out.add(new SlackDestination(c, renderer, http, limits, clock));
        }
        return out;
    }
}
