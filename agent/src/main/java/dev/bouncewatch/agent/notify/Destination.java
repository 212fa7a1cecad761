package dev.bouncewatch.agent.notify;

import dev.bouncewatch.agent.store.OutboxEntry;

/**
 * Where notifications go: a webhook endpoint, a Slack incoming webhook, the console. One outbox
 * worker per destination calls {@link #send} for due entries in order.
 */
public interface Destination {

    /** Unique name from the config; the outbox's destination column. */
    String name();

    /** {@code webhook}, {@code slack}, {@code console}. */
    String kind();

    /** Whether this destination wants the event (its type, category, domain filters). */
    boolean accepts(NotificationEvent event);

    /**
     * Whether events of this type can be accepted at all. False lets the notifier skip building
     * events nobody wants (one per delivered message adds up); the default says yes to every type.
     */
    default boolean mayAccept(EventType type) {
        return true;
    }

    /** The body stored in the outbox and sent later, e.g. the event JSON or a Slack Block Kit message. */
    String render(NotificationEvent event);

    /** Sends one stored entry. Never throws for remote errors: they are outcomes. */
    DeliveryOutcome send(OutboxEntry entry) throws InterruptedException;
}
