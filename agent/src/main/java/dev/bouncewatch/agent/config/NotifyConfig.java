package dev.bouncewatch.agent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code notify:}.
 *
 * @param console print what would be sent to the agent's log (the zero-config default)
 * @param slack   Slack incoming webhooks, in config order
 * @param alerts  alert rules and grouping timers
 * @param digest  the daily report's schedule
 */
public record NotifyConfig(boolean console, List<SlackConfig> slack, AlertsConfig alerts, DigestConfig digest) {

    public NotifyConfig {
        slack = List.copyOf(slack);
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(digest, "digest");
    }

    public NotifyConfig(boolean console) {
        this(console, List.of(), AlertsConfig.defaults(), DigestConfig.defaults());
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
        slack.forEach(s -> names.add(s.name()));
        return names;
    }
}
