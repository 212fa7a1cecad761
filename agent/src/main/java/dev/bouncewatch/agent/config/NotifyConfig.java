package dev.bouncewatch.agent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code notify:}. Issue 5 fills this in (Slack, webhooks, alerts, digest).
 *
 * @param console  print what would be sent to the agent's log (the zero-config default)
 * @param webhooks signed webhook endpoints, in config order
 */
public record NotifyConfig(boolean console, List<WebhookConfig> webhooks) {

    public NotifyConfig {
        webhooks = List.copyOf(webhooks);
    }

    public NotifyConfig(boolean console) {
        this(console, List.of());
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
        return names;
    }
}
