package dev.bouncewatch.agent.config;

/**
 * {@code notify:}. Issue 5 fills this in (Slack, webhooks, alerts, digest).
 *
 * @param console print what would be sent to the agent's log (the zero-config default)
 */
public record NotifyConfig(boolean console) {
}
