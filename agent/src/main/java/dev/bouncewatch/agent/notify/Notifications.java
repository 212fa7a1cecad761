package dev.bouncewatch.agent.notify;

import dev.bouncewatch.agent.config.NotifyConfig;
import dev.bouncewatch.agent.config.WebhookConfig;
import dev.bouncewatch.agent.notify.console.ConsoleDestination;
import dev.bouncewatch.agent.notify.delivery.DeliverySettings;
import dev.bouncewatch.agent.notify.delivery.HealthEvents;
import dev.bouncewatch.agent.notify.delivery.OutboxDispatcher;
import dev.bouncewatch.agent.notify.event.EventFactory;
import dev.bouncewatch.agent.notify.webhook.WebhookDestination;
import dev.bouncewatch.agent.store.Store;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the notifier from the {@code notify:} config: the destinations (console, webhooks; Slack
 * joins here), one dispatcher with a worker each, and the default health reporter.
 */
public final class Notifications {

    private Notifications() {
    }

    /** The configured destinations, console first, in config order. */
    public static List<Destination> destinations(NotifyConfig config, Clock clock) {
        List<Destination> out = new ArrayList<>();
        if (config.console()) {
            out.add(new ConsoleDestination());
        }
        if (!config.webhooks().isEmpty()) {
            HttpClient client = WebhookDestination.newHttpClient();
            for (WebhookConfig w : config.webhooks()) {
                out.add(new WebhookDestination(w, client, clock));
            }
        }
        return out;
    }

    /**
     * The agent's notifier, not started.
     *
     * @param host this agent's name in events ({@code source.host})
     */
    public static DefaultNotifier notifier(NotifyConfig config, Store store, String host, Clock clock) {
        OutboxDispatcher dispatcher = new OutboxDispatcher(store, destinations(config, clock), DeliverySettings.defaults(), clock);
        dispatcher.healthReporter(new HealthEvents(dispatcher, host, clock));
        return new DefaultNotifier(new EventFactory(host, clock), dispatcher, config.maxEventAge(), clock);
    }

    /** This machine's name for {@code source.host}; "localhost" when it has none. */
    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
