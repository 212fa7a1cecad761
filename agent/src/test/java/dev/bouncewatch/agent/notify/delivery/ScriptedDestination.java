package dev.bouncewatch.agent.notify.delivery;

import dev.bouncewatch.agent.notify.DeliveryOutcome;
import dev.bouncewatch.agent.notify.Destination;
import dev.bouncewatch.agent.notify.EventFilter;
import dev.bouncewatch.agent.notify.NotificationEvent;
import dev.bouncewatch.agent.store.OutboxEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A destination whose answers the test decides; it remembers every entry it was asked to send. */
final class ScriptedDestination implements Destination {

    private final String name;
    private final String kind;
    private final EventFilter filter;
    private volatile Function<OutboxEntry, DeliveryOutcome> script = e -> DeliveryOutcome.delivered("ok");
    private final List<OutboxEntry> sent = new ArrayList<>();

    ScriptedDestination(String name) {
        this(name, "webhook", EventFilter.defaults());
    }

    ScriptedDestination(String name, String kind, EventFilter filter) {
        this.name = name;
        this.kind = kind;
        this.filter = filter;
    }

    void script(Function<OutboxEntry, DeliveryOutcome> s) {
        this.script = s;
    }

    synchronized List<OutboxEntry> sent() {
        return List.copyOf(sent);
    }

    synchronized List<String> sentEventIds() {
        return sent.stream().map(OutboxEntry::eventId).toList();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public boolean accepts(NotificationEvent event) {
        return filter.accepts(event);
    }

    @Override
    public String render(NotificationEvent event) {
        return name + ":" + event.type() + ":" + event.id();
    }

    @Override
    public DeliveryOutcome send(OutboxEntry entry) {
        synchronized (this) {
            sent.add(entry);
        }
        return script.apply(entry);
    }
}
