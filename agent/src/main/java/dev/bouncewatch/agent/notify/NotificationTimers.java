package dev.bouncewatch.agent.notify;

import dev.bouncewatch.agent.config.NotifyConfig;
import dev.bouncewatch.agent.notify.alert.AgentHealthBoard;
import dev.bouncewatch.agent.notify.alert.AlertEngine;
import dev.bouncewatch.agent.notify.alert.HealthSignals;
import dev.bouncewatch.agent.notify.digest.DailyDigest;
import dev.bouncewatch.agent.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one background thread that evaluates the alert rules and checks the digest schedule every
 * evaluation interval (30 s by default). A failing round is logged and the next one tries again:
 * alert state and the digest schedule are in the database, so nothing is lost by waiting.
 */
public final class NotificationTimers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationTimers.class);

    private final AlertEngine alerts;
    private final DailyDigest digest;
    private final Duration interval;
    private ScheduledExecutorService executor;

    /** @param alerts null when alerts are off; @param digest null when the digest is off */
    public NotificationTimers(AlertEngine alerts, DailyDigest digest, Duration interval) {
        this.alerts = alerts;
        this.digest = digest;
        this.interval = interval;
    }

    /**
     * Everything {@code notify.alerts} and {@code notify.digest} ask for, on one thread.
     *
     * @param destinations every destination of the agent (Slack, webhooks, console); each picks its events
     * @param health       what the running parts report about themselves (an {@link AgentHealthBoard})
     * @param host         this agent's name, the events' source
     * @param wake         called after entries were queued, to wake the outbox workers
     */
    public static NotificationTimers create(Store store, NotifyConfig notify, List<Destination> destinations,
                                            HealthSignals health, String host, Clock clock, Runnable wake) {
        AlertEngine alerts = notify.alerts().enabled()
                ? new AlertEngine(store, notify.alerts(), destinations, health, host, clock, wake) : null;
        DailyDigest digest = notify.digest().enabled()
                ? new DailyDigest(store, notify.digest(), destinations, host, clock, wake) : null;
        return new NotificationTimers(alerts, digest, notify.alerts().evaluationInterval());
    }

    public synchronized void start() {
        if (executor != null || (alerts == null && digest == null)) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bouncewatch-alerts");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::runOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round: the rules, then the digest. Never throws. */
    public void runOnce() {
        if (alerts != null) {
            try {
                alerts.evaluate();
            } catch (Exception e) {
                LOG.warn("alert evaluation failed, retrying in {}s: {}", interval.toSeconds(), e.getMessage());
            }
        }
        if (digest != null) {
            try {
                digest.tick();
            } catch (Exception e) {
                LOG.warn("daily digest failed, retrying in {}s: {}", interval.toSeconds(), e.getMessage());
            }
        }
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }
}
