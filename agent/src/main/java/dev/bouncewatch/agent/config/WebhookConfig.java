package dev.bouncewatch.agent.config;

import dev.bouncewatch.agent.notify.EventType;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of {@code notify.webhooks}.
 *
 * @param name          unique among all destinations; the outbox's destination column
 * @param url           https unless {@code allowInsecure}
 * @param secrets       Standard Webhooks {@code whsec_} secrets; the first signs, all sign during a
 *                      rotation (one signature each)
 * @param events        event types sent; default every type but {@code message.delivered}
 * @param categories    classifier categories of message and recipient events; empty for all
 * @param domains       recipient domains (and their subdomains) of message and recipient events; empty for all
 * @param allowInsecure permits a plain-http URL (a receiver on loopback or in a test)
 * @param timeout       per request, default 15 s
 */
public record WebhookConfig(String name, URI url, List<Secret> secrets, Set<EventType> events, Set<String> categories,
                            Set<String> domains, boolean allowInsecure, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    public WebhookConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        secrets = List.copyOf(secrets);
        events = Set.copyOf(events);
        categories = Set.copyOf(categories);
        domains = Set.copyOf(domains);
        Objects.requireNonNull(timeout, "timeout");
    }
}
