package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.config.NotifyConfig;
import dev.bouncewatch.agent.notify.DefaultNotifier;
import dev.bouncewatch.agent.notify.Notifications;
import dev.bouncewatch.agent.notify.Notifier;
import dev.bouncewatch.agent.run.Agent;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import dev.bouncewatch.agent.store.StoreTransaction;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The notifier {@code bouncewatch run} gives the agent: the outbox notifier for the configured
 * destinations, plus what waits in its queue for {@code /metrics} and {@code /healthz}. It lives
 * here because it joins two stages (notify, run) that do not know each other.
 */
final class RunNotifier implements Notifier, Agent.QueueReporting {

    private final DefaultNotifier delegate;

    private RunNotifier(DefaultNotifier delegate) {
        this.delegate = delegate;
    }

    static RunNotifier create(NotifyConfig config, Store store, Clock clock) {
        return new RunNotifier(Notifications.notifier(config, store, Notifications.hostName(), clock));
    }

    @Override
    public void onBatch(StoreTransaction tx, List<StoredResult> results, List<Suppression> newSuppressions)
            throws SQLException {
        delegate.onBatch(tx, results, newSuppressions);
    }

    @Override
    public void start() {
        delegate.start();
    }

    @Override
    public void close() {
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
