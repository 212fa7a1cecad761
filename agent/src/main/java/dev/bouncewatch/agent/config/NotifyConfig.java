package dev.bouncewatch.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code notify:}.
 *
 * @param console  print what would be sent to the agent's log (the zero-config default)
 * @param webhooks signed webhook endpoints, in config order
 * @param slack    Slack incoming webhooks, in config order
 * @param alerts   alert rules and grouping timers
 * @param digest   the daily report's schedule
 * @param maxEventAge results whose log time is older than this make no message event (a first start
 *                 reading a week of mail.log would otherwise post a week of bounces to every webhook);
 *                 they are stored and suppress as usual. Zero: no limit.
 */
public record NotifyConfig(boolean console, List<WebhookConfig> webhooks, List<SlackConfig> slack, AlertsConfig alerts,
                           DigestConfig digest, Duration maxEventAge) {

    /** A day: longer than an agent is usually down, shorter than the week a Debian mail.log holds. */
    public static final Duration DEFAULT_MAX_EVENT_AGE = Duration.ofDays(1);

    public NotifyConfig {
        webhooks = List.copyOf(webhooks);
        slack = List.copyOf(slack);
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(maxEventAge, "maxEventAge");
    }

    public NotifyConfig(boolean console, List<WebhookConfig> webhooks, List<SlackConfig> slack, AlertsConfig alerts,
                        DigestConfig digest) {
        this(console, webhooks, slack, alerts, digest, DEFAULT_MAX_EVENT_AGE);
    }

    public NotifyConfig(boolean console, List<WebhookConfig> webhooks) {
        this(console, webhooks, List.of(), AlertsConfig.defaults(), DigestConfig.defaults());
    }

    public NotifyConfig(boolean console, List<SlackConfig> slack, AlertsConfig alerts, DigestConfig digest) {
        this(console, List.of(), slack, alerts, digest);
    }

    public NotifyConfig(boolean console) {
        this(console, List.of(), List.of(), AlertsConfig.defaults(), DigestConfig.defaults());
    }

    /** The zero-config default: notifications printed to the console. */
    public static NotifyConfig defaults() {
        return new NotifyConfig(true);
    }

    /** The destinations by name, for the start-up summary (never URLs or secrets). */
    public List<String> destinationNames() {
        List<String> names = new ArrayList<>();
        if (console) {
            names.add("console");
        }
        webhooks.forEach(w -> names.add(w.name()));
        slack.forEach(s -> names.add(s.name()));
        return names;
    }
}
