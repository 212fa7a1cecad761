package dev.bouncewatch.agent.config;

import dev.bouncewatch.agent.notify.AlertSeverity;
import dev.bouncewatch.agent.notify.EventType;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * One Slack incoming webhook under {@code notify.slack}.
 *
 * @param name          unique among destinations; the outbox's destination column
 * @param url           the webhook URL: whoever has it can post, so it is a secret
 * @param allowInsecure permit a plain-http URL (a stand-in on loopback, a test)
 * @param events        the event types wanted; empty means every type Slack takes
 * @param minSeverity   alerts below this are not posted (resolved messages follow their alert)
 * @param timeout       for one POST
 */
public record SlackConfig(String name, Secret url, boolean allowInsecure, Set<EventType> events,
                          AlertSeverity minSeverity, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    public SlackConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        events = events == null ? Set.of() : Set.copyOf(events);
        minSeverity = Objects.requireNonNullElse(minSeverity, AlertSeverity.WARNING);
        timeout = Objects.requireNonNullElse(timeout, DEFAULT_TIMEOUT);
    }

}
