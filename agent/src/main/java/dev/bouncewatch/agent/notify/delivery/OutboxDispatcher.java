package dev.bouncewatch.agent.notify.delivery;

import dev.bouncewatch.agent.notify.Destination;
import dev.bouncewatch.agent.notify.NotificationEvent;
import dev.bouncewatch.agent.store.OutboxEntry;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreTransaction;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts events into the outbox for the destinations that want them and runs one
 * {@link OutboxWorker} per destination. {@link #publish} is called inside the transaction that
 * caused the event, so the entries commit with it or not at all; it wakes the workers at once:
 * their first read goes through {@link Store#write}, which waits for the publishing transaction to
 * end, so they see the new entries as soon as they are committed (and nothing if it rolled back).
 */
public final class OutboxDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);

    private final Store store;
    private final OutboxQueue queue;
    private final Clock clock;
    private final Map<String, Destination> destinations = new LinkedHashMap<>();
    private final Map<String, OutboxWorker> workers = new LinkedHashMap<>();
    private volatile HealthReporter health = HealthReporter.NONE;
    private boolean started;

    /** @throws IllegalArgumentException when two destinations share a name */
    public OutboxDispatcher(Store store, List<Destination> destinations, DeliverySettings settings, Clock clock) {
        this.store = store;
        this.queue = new OutboxQueue(store);
        this.clock = clock;
        Random random = new Random(new SecureRandom().nextLong()); // jitter only; not security relevant
        HealthReporter forwarding = h -> {
            try {
                health.report(h);
            } catch (RuntimeException e) {
                LOG.error("health reporter failed for {}", h, e);
            }
        };
        for (Destination d : destinations) {
            if (this.destinations.putIfAbsent(d.name(), d) != null) {
                throw new IllegalArgumentException("two destinations are named '" + d.name() + "'");
            }
            workers.put(d.name(), new OutboxWorker(d, queue, settings.schedule().apply(d), settings.breaker().get(),
                    forwarding, clock, random, settings.pollInterval(), settings.firstPauseProbe(), settings.maxPauseProbe()));
        }
    }

    public Store store() {
        return store;
    }

    public OutboxQueue queue() {
        return queue;
    }

    public Clock clock() {
        return clock;
    }

    public Collection<Destination> destinations() {
        return destinations.values();
    }

    public Optional<Destination> destination(String name) {
        return Optional.ofNullable(destinations.get(name));
    }

    public OutboxWorker worker(String name) {
        OutboxWorker w = workers.get(name);
        if (w == null) {
            throw new IllegalArgumentException("no destination named '" + name + "'");
        }
        return w;
    }

    /** Who hears about paused, failing and recovered destinations; set it before {@link #start()}. */
    public void healthReporter(HealthReporter reporter) {
        this.health = reporter;
    }

    /**
     * Queues the event for every destination that accepts it, in the caller's transaction.
     *
     * @return how many destinations will get it
     */
    public int publish(StoreTransaction tx, NotificationEvent event) throws SQLException {
        return publish(tx, event, null);
    }

    /** As {@link #publish(StoreTransaction, NotificationEvent)}, but never to {@code excluded} (health news about it). */
    public int publishExcept(StoreTransaction tx, NotificationEvent event, String excluded) throws SQLException {
        return publish(tx, event, excluded);
    }

    private int publish(StoreTransaction tx, NotificationEvent event, String excluded) throws SQLException {
        int queued = 0;
        for (Destination d : destinations.values()) {
            if (d.name().equals(excluded) || !accepts(d, event)) {
                continue;
            }
            if (enqueue(tx, d, event) != null) {
                queued++;
            }
        }
        return queued;
    }

    /**
     * Queues the event for one destination whatever its filters say ({@code notify test}).
     *
     * @return the queued entry, empty when the destination could not render the event
     */
    public Optional<OutboxEntry> publishTo(StoreTransaction tx, NotificationEvent event, String destination)
            throws SQLException {
        Destination d = destinations.get(destination);
        if (d == null) {
            throw new IllegalArgumentException("no destination named '" + destination + "'");
        }
        return Optional.ofNullable(enqueue(tx, d, event));
    }

    /** Renders and queues; a destination that cannot render the event is skipped, never the caller's transaction. */
    private OutboxEntry enqueue(StoreTransaction tx, Destination d, NotificationEvent event) throws SQLException {
        String payload;
        try {
            payload = d.render(event);
        } catch (RuntimeException e) {
            LOG.error("destination {} could not render {} {}; not queued", d.name(), event.type(), event.id(), e);
            return null;
        }
        OutboxEntry entry = tx.enqueue(OutboxEntry.pending(d.name(), event.id(), event.type(), event.groupKey(), payload,
                clock.instant()));
        workers.get(d.name()).wake();
        return entry;
    }

    private static boolean accepts(Destination d, NotificationEvent event) {
        try {
            return d.accepts(event);
        } catch (RuntimeException e) {
            LOG.error("destination {} failed to filter {} {}; not queued", d.name(), event.type(), event.id(), e);
            return false;
        }
    }

    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        workers.values().forEach(OutboxWorker::start);
        LOG.info("notifications go to {}", destinations.isEmpty() ? "nowhere (no destination configured)"
                : String.join(", ", destinations.values().stream()
                        .map(d -> d.kind().equals(d.name()) ? d.name() : d.kind() + " " + d.name()).toList()));
    }

    public void wakeAll() {
        workers.values().forEach(OutboxWorker::wake);
    }

    public List<WorkerStatus> status() {
        List<WorkerStatus> out = new ArrayList<>();
        workers.values().forEach(w -> out.add(w.status()));
        return out;
    }

    /** Stops every worker (in parallel: each may wait for a request in flight). Pending entries stay for the next start. */
    @Override
    public void close() {
        List<Thread> closers = new ArrayList<>();
        for (OutboxWorker w : workers.values()) {
            Thread t = new Thread(w::close, "outbox-close-" + w.destination().name());
            t.start();
            closers.add(t);
        }
        for (Thread t : closers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
