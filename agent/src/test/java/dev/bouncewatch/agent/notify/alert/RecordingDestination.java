package dev.bouncewatch.agent.notify.alert;

import dev.bouncewatch.agent.notify.DeliveryOutcome;
import dev.bouncewatch.agent.notify.Destination;
import dev.bouncewatch.agent.notify.NotificationEvent;
import dev.bouncewatch.agent.store.OutboxEntry;
import java.util.ArrayList;
import java.util.List;

/** A webhook-like destination that takes every alert, health and digest event and remembers what it rendered. */
final class RecordingDestination implements Destination {

    final List<NotificationEvent> rendered = new ArrayList<>();
    private final String name;

    RecordingDestination(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "webhook";
    }

    @Override
    public boolean accepts(NotificationEvent event) {
        return !event.type().startsWith("message.");
    }

    @Override
    public String render(NotificationEvent event) {
        rendered.add(event);
        return event.data().toString();
    }

    @Override
    public DeliveryOutcome send(OutboxEntry entry) {
        throw new UnsupportedOperationException("no delivery in these tests");
    }

    List<String> summary() {
        return rendered.stream().map(e -> e.type() + " " + e.groupKey()).toList();
    }
}
