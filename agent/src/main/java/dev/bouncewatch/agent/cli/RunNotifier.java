package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.config.NotifyConfig;
import dev.bouncewatch.agent.http.AgentStatus;
import dev.bouncewatch.agent.notify.DefaultNotifier;
import dev.bouncewatch.agent.notify.Destination;
import dev.bouncewatch.agent.notify.NotificationTimers;
import dev.bouncewatch.agent.notify.Notifications;
import dev.bouncewatch.agent.notify.Notifier;
import dev.bouncewatch.agent.notify.alert.AgentHealthBoard;
import dev.bouncewatch.agent.notify.delivery.DeliverySettings;
import dev.bouncewatch.agent.notify.delivery.DestinationHealth;
import dev.bouncewatch.agent.notify.delivery.HealthEvents;
import dev.bouncewatch.agent.notify.delivery.OutboxDispatcher;
import dev.bouncewatch.agent.notify.event.EventFactory;
import dev.bouncewatch.agent.notify.slack.SlackDestinations;
import dev.bouncewatch.agent.run.Agent;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import dev.bouncewatch.agent.store.StoreTransaction;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The notifier {@code bouncewatch run} gives the agent: the outbox notifier for every configured
 * destination (console, webhooks, Slack), the alert engine and the daily digest on their timer,
 * and what waits in the outbox for {@code /metrics} and {@code /healthz}. It lives here because it
 * joins two stages (notify, run) that do not know each other.
 *
 * <p>Destination health goes one of two ways, never both (each would tell people once): with alerts
 * on, into the alert engine's health board, which groups it with source lag, honours mutes and
 * remembers the resolved message across restarts; with alerts off, straight out as an
 * {@code agent.health} event through the other destinations.
 */
final class RunNotifier implements Notifier, Agent.QueueReporting {

    private static final Duration SOURCE_LAG_INTERVAL = Duration.ofSeconds(10);

    private final DefaultNotifier delegate;
    private final NotificationTimers timers;
    private final AgentHealthBoard board;
    private volatile Supplier<List<AgentStatus.SourceStatus>> sources = List::of;
    private ScheduledExecutorService lagReporter;

    private RunNotifier(DefaultNotifier delegate, NotificationTimers timers, AgentHealthBoard board) {
        this.delegate = delegate;
        this.timers = timers;
        this.board = board;
    }

    static RunNotifier create(NotifyConfig config, Store store, Clock clock) {
        String host = Notifications.hostName();
        List<Destination> destinations = new ArrayList<>(Notifications.destinations(config, clock));
        destinations.addAll(SlackDestinations.create(config.slack(), config.digest().timezone(), clock));
        OutboxDispatcher dispatcher = new OutboxDispatcher(store, destinations, DeliverySettings.defaults(), clock);
        AgentHealthBoard board = new AgentHealthBoard(clock);
        if (config.alerts().enabled()) {
            dispatcher.healthReporter(health -> toBoard(board, health));
        } else {
            dispatcher.healthReporter(new HealthEvents(dispatcher, host, clock));
        }
        NotificationTimers timers = NotificationTimers.create(store, config, destinations, board, host, clock,
                dispatcher::wakeAll);
        return new RunNotifier(new DefaultNotifier(new EventFactory(host, clock), dispatcher, config.maxEventAge(), clock), timers, board);
    }

    private static void toBoard(AgentHealthBoard board, DestinationHealth health) {
        switch (health.condition()) {
            case PAUSED -> board.paused(health.destination(), health.detail());
            case FAILING -> board.failed(health.destination(), health.detail());
            case RECOVERED -> board.delivered(health.destination());
            case DEAD_LETTER -> {
                // the dead-letter rule reads the outbox itself
            }
        }
    }

    /** Where source lag comes from, for the agent-health alert; set once the agent runs. */
    void watchSources(Supplier<List<AgentStatus.SourceStatus>> statuses) {
        this.sources = statuses;
    }

    @Override
    public void onBatch(StoreTransaction tx, List<StoredResult> results, List<Suppression> newSuppressions)
            throws SQLException {
        delegate.onBatch(tx, results, newSuppressions);
    }

    @Override
    public void start() {
        delegate.start();
        timers.start();
        lagReporter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bouncewatch-source-lag");
            t.setDaemon(true);
            return t;
        });
        lagReporter.scheduleWithFixedDelay(this::reportSourceLag, 0, SOURCE_LAG_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void reportSourceLag() {
        try {
            for (AgentStatus.SourceStatus s : sources.get()) {
                board.sourceLag(s.health().id(), Duration.ofMillis((long) (s.lagSeconds() * 1000)),
                        s.health().lastError());
            }
        } catch (RuntimeException e) {
            // status reading must never stop the reporter
        }
    }

    @Override
    public void close() {
        if (lagReporter != null) {
            lagReporter.shutdownNow();
        }
        timers.close();
        delegate.close();
    }

    @Override
    public Map<String, Long> pendingByDestination() {
        try {
            return delegate.dispatcher().queue().pendingCounts();
        } catch (StoreException e) {
            return Map.of();
        }
    }
}
