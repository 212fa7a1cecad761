package dev.bouncewatch.agent.notify.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bouncewatch.agent.notify.EventType;
import dev.bouncewatch.agent.notify.NotificationEvent;
import dev.bouncewatch.agent.notify.event.EventIds;
import dev.bouncewatch.agent.notify.event.EventJson;
import dev.bouncewatch.agent.notify.delivery.DestinationHealth.Condition;
import dev.bouncewatch.agent.store.StoreException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link HealthReporter}: turns a destination's trouble into an {@code agent.health}
 * event queued for every <em>other</em> destination that accepts it (a broken Slack webhook is
 * reported through the webhooks and the console, and the reverse). Events about one destination
 * share a group key, so a newer state replaces an older one still waiting in a queue.
 */
public final class HealthEvents implements HealthReporter {

    private static final Logger LOG = LoggerFactory.getLogger(HealthEvents.class);

    private final OutboxDispatcher dispatcher;
    private final String source;
    private final Clock clock;

    /** @param source this agent's host name */
    public HealthEvents(OutboxDispatcher dispatcher, String source, Clock clock) {
        this.dispatcher = dispatcher;
        this.source = source;
        this.clock = clock;
    }

    /** The group key of health events about a destination. */
    public static String groupKey(String destination) {
        return "agent.health/notifier/" + destination;
    }

    @Override
    public void report(DestinationHealth h) {
        NotificationEvent event = event(h);
        try {
            int queued = dispatcher.store().write(tx -> dispatcher.publishExcept(tx, event, h.destination()));
            if (queued == 0) {
                LOG.warn("{} (no other destination to tell)", event.data().path("summary").asText());
            }
        } catch (StoreException e) {
            LOG.error("could not queue the health event about {}: {}", h.destination(), e.getMessage());
        }
    }

    /**
     * The event: flat fields ({@code condition}, {@code destination}, {@code summary} ...) for
     * webhook consumers, and the same facts as one alert in {@code alerts[0]} (rule, severity,
     * scope, summary, facts, advice, startsAt/endsAt), the shape alert events have, so Slack renders
     * it like any other alert and a recovery reads as "resolved".
     */
    NotificationEvent event(DestinationHealth h) {
        boolean resolved = h.condition() == Condition.RECOVERED;
        String severity = switch (h.condition()) {
            case PAUSED, DEAD_LETTER -> "critical";
            case FAILING -> "warning";
            case RECOVERED -> "info";
        };
        String summary = summary(h);
        ObjectNode data = EventJson.newObject();
        data.put("status", resolved ? "resolved" : "firing");
        data.put("groupKey", groupKey(h.destination()));
        data.put("component", "notifier");
        data.put("condition", h.condition().wireName());
        data.put("severity", severity);
        data.put("destination", h.destination());
        data.put("destinationKind", h.kind());
        data.put("summary", summary);
        if (h.detail() != null) {
            data.put("detail", h.detail());
        }
        data.put("consecutiveFailures", h.consecutiveFailures());
        if (h.condition() == Condition.DEAD_LETTER) {
            data.put("deadLetters", h.deadLetters());
        }
        data.put("since", EventJson.timestamp(h.since()));
        data.put("advice", advice(h));

        ObjectNode alert = data.putArray("alerts").addObject();
        alert.put("rule", "notifier_" + h.condition().wireName());
        alert.put("title", switch (h.condition()) {
            case PAUSED -> "Notification destination paused";
            case FAILING -> "Notification destination failing";
            case RECOVERED -> "Notification destination delivering again";
            case DEAD_LETTER -> "Notifications given up";
        });
        alert.put("status", resolved ? "resolved" : "firing");
        alert.put("severity", severity);
        ObjectNode scope = alert.putObject("scope");
        scope.put("key", "destination");
        scope.put("value", h.destination());
        alert.put("summary", summary);
        var facts = alert.putArray("facts");
        facts.addObject().put("label", "Kind").put("value", h.kind());
        if (h.detail() != null) {
            facts.addObject().put("label", "Last answer").put("value", h.detail());
        }
        if (h.consecutiveFailures() > 0) {
            facts.addObject().put("label", "Failures in a row").put("value", Integer.toString(h.consecutiveFailures()));
        }
        if (h.condition() == Condition.DEAD_LETTER) {
            facts.addObject().put("label", "Given up").put("value", Integer.toString(h.deadLetters()));
        }
        alert.put("advice", advice(h));
        alert.put(resolved ? "endsAt" : "startsAt", EventJson.timestamp(h.since()));
        return new NotificationEvent(EventIds.random(), EventType.AGENT_HEALTH.wireName(), clock.instant(),
                NotificationEvent.SCHEMA_VERSION, source, data, groupKey(h.destination()));
    }

    private static String summary(DestinationHealth h) {
        String who = h.kind() + " destination '" + h.destination() + "'";
        return switch (h.condition()) {
            case PAUSED -> who + " is paused: it answered that it is broken";
            case FAILING -> who + " is failing: " + h.consecutiveFailures() + " attempts in a row did not get through";
            case RECOVERED -> who + " is delivering again";
            case DEAD_LETTER -> who + " gave up on " + h.deadLetters() + (h.deadLetters() == 1 ? " notification" : " notifications");
        };
    }

    private static String advice(DestinationHealth h) {
        return switch (h.condition()) {
            case PAUSED -> "Check the destination's URL and credentials (or that the channel still exists), fix the config "
                    + "and restart the agent; queued notifications are kept and sent once it works.";
            case FAILING -> "Check that the receiver is up and reachable; notifications are kept and retried.";
            case RECOVERED -> "Nothing to do.";
            case DEAD_LETTER -> "See them with 'bouncewatch outbox list --state dead' and send them again with "
                    + "'bouncewatch outbox replay --all-dead' once the receiver is fixed.";
        };
    }
}
