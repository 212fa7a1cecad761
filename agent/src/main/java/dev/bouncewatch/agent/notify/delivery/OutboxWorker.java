package dev.bouncewatch.agent.notify.delivery;

import dev.bouncewatch.agent.notify.DeliveryOutcome;
import dev.bouncewatch.agent.notify.DeliveryOutcome.Kind;
import dev.bouncewatch.agent.notify.Destination;
import dev.bouncewatch.agent.notify.RemoteText;
import dev.bouncewatch.agent.notify.delivery.DestinationHealth.Condition;
import dev.bouncewatch.agent.store.OutboxEntry;
import dev.bouncewatch.agent.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one destination's outbox entries, one at a time, in id order. The head of the queue
 * blocks the rest: while it waits for its next retry nothing behind it is sent, so a receiver gets
 * a destination's events in the order they were queued (and each id at least once). An entry leaves
 * the head when it is delivered or dead.
 *
 * <p>Runs on its own thread after {@link #start()}; wakes when {@link #wake()} is called (new
 * entries) and at least every poll interval. {@link #deliverDue()} is the same work done once on
 * the caller's thread ({@code notify test} without a running agent, tests).
 */
public final class OutboxWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxWorker.class);
    /** Entries read per look at the queue; a stale one (replaced meanwhile) only costs a re-read. */
    static final int BATCH = 32;
    /** A burst of dead letters makes one health report per this interval, with the count. */
    static final Duration DEAD_LETTER_REPORT_INTERVAL = Duration.ofHours(1);
    /** Successes of a long run are recorded at least this often, bounding what a crash would resend. */
    static final Duration MARK_EVERY = Duration.ofSeconds(1);
    /** How long close() lets a request in flight finish before interrupting it. */
    private static final long CLOSE_GRACE_MS = 3000;

    private final Destination destination;
    private final OutboxQueue queue;
    private final RetrySchedule schedule;
    private final CircuitBreaker breaker;
    private final HealthReporter health;
    private final Clock clock;
    private final RandomGenerator random;
    private final Duration pollInterval;
    private final Duration firstPauseProbe;
    private final Duration maxPauseProbe;

    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean closed;
    private Thread thread;

    // worker state: written by the delivering thread only, volatile for status()
    private volatile Instant pausedUntil;
    private Duration pauseProbe;
    private volatile String lastError;
    private int deadSinceReport;
    private Instant lastDeadReport;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dead = new AtomicLong();

    public OutboxWorker(Destination destination, OutboxQueue queue, RetrySchedule schedule, CircuitBreaker breaker,
                        HealthReporter health, Clock clock, RandomGenerator random, Duration pollInterval,
                        Duration firstPauseProbe, Duration maxPauseProbe) {
        this.destination = destination;
        this.queue = queue;
        this.schedule = schedule;
        this.breaker = breaker;
        this.health = health;
        this.clock = clock;
        this.random = random;
        this.pollInterval = pollInterval;
        this.firstPauseProbe = firstPauseProbe;
        this.maxPauseProbe = maxPauseProbe;
    }

    public Destination destination() {
        return destination;
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::loop, "outbox-" + destination.name());
        thread.setDaemon(true);
        thread.start();
    }

    /** New entries may be waiting: look now rather than at the next poll. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /**
     * Stops the thread. A request in flight gets a moment to finish; if it is interrupted, its entry
     * stays pending and goes out again after the next start (receivers dedupe on webhook-id).
     */
    @Override
    public void close() {
        closed = true;
        wake();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(CLOSE_GRACE_MS);
            if (t.isAlive()) {
                t.interrupt();
                t.join(CLOSE_GRACE_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (!closed) {
            Instant next;
            try {
                next = deliverDue();
            } catch (InterruptedException e) {
                break; // closing
            } catch (StoreException e) {
                if (closed) {
                    break;
                }
                LOG.warn("outbox {}: {}", destination.name(), e.getMessage());
                next = clock.instant().plus(pollInterval);
            } catch (RuntimeException e) {
                LOG.error("outbox {}: unexpected failure, retrying at the next poll", destination.name(), e);
                next = clock.instant().plus(pollInterval);
            }
            try {
                await(next);
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    private void await(Instant next) throws InterruptedException {
        long ms = Math.min(Math.max(0, Duration.between(clock.instant(), next).toMillis()), pollInterval.toMillis());
        synchronized (signal) {
            if (!woken && !closed && ms > 0) {
                signal.wait(ms);
            }
            woken = false;
        }
    }

    /**
     * Sends what is due now, in order, until the head of the queue has to wait.
     *
     * @return when there may be something to do again (the head's next attempt, the end of a pause
     *         or open circuit, or a poll interval from now when the queue is empty)
     */
    public Instant deliverDue() throws StoreException, InterruptedException {
        while (!closed) {
            Instant now = clock.instant();
            Instant blockedUntil = blockedUntil(now);
            if (blockedUntil != null) {
                return blockedUntil;
            }
            List<OutboxEntry> batch = queue.head(destination.name(), BATCH);
            if (batch.isEmpty()) {
                return now.plus(pollInterval);
            }
            Instant wait = deliverBatch(batch);
            if (wait != null) {
                return wait;
            }
        }
        return clock.instant();
    }

    /**
     * Sends the batch in order until an entry has to wait or fails. Successes are recorded together
     * (after the run of successes, or at least every {@link #MARK_EVERY}): if the agent dies before
     * that, those entries go out again after the restart, which receivers dedupe.
     *
     * @return when to look again, or null to read the next batch now
     */
    private Instant deliverBatch(List<OutboxEntry> batch) throws StoreException, InterruptedException {
        List<OutboxQueue.Delivered> unmarked = new ArrayList<>();
        Instant firstUnmarked = null;
        try {
            for (OutboxEntry e : batch) {
                Instant now = clock.instant();
                if (e.nextAttemptAt().isAfter(now)) {
                    return e.nextAttemptAt(); // the head waits for its retry, and everything behind it too
                }
                Instant blockedUntil = blockedUntil(now);
                if (blockedUntil != null || closed) {
                    return blockedUntil != null ? blockedUntil : now;
                }
                DeliveryOutcome outcome = send(e, now);
                Instant done = clock.instant();
                if (outcome.kind() == Kind.DELIVERED) {
                    unmarked.add(new OutboxQueue.Delivered(e, e.attempts() + 1, done));
                    firstUnmarked = firstUnmarked == null ? done : firstUnmarked;
                    delivered(done);
                    if (Duration.between(firstUnmarked, done).compareTo(MARK_EVERY) >= 0) {
                        markAll(unmarked);
                        firstUnmarked = null;
                    }
                    continue;
                }
                markAll(unmarked);
                firstUnmarked = null;
                if (!record(e, outcome, done)) {
                    return null; // read the head again: it is waiting now, or it changed under us
                }
            }
            return null;
        } finally {
            markAll(unmarked);
        }
    }

    private void markAll(List<OutboxQueue.Delivered> unmarked) throws StoreException {
        if (!unmarked.isEmpty()) {
            queue.markDelivered(List.copyOf(unmarked));
            unmarked.clear();
        }
    }

    private Instant blockedUntil(Instant now) {
        Instant paused = pausedUntil;
        if (paused != null && now.isBefore(paused)) {
            return paused;
        }
        Instant open = breaker.allowedFrom();
        return now.isBefore(open) ? open : null;
    }

    private DeliveryOutcome send(OutboxEntry e, Instant now) throws InterruptedException {
        breaker.beforeRequest(now);
        try {
            return destination.send(e);
        } catch (RuntimeException ex) {
            LOG.error("outbox {}: sending entry {} failed unexpectedly", destination.name(), e.id(), ex);
            return new DeliveryOutcome(Kind.RETRY, null, "internal error: " + ex.getClass().getSimpleName());
        }
    }

    /** Bookkeeping of a success; the row is marked with the others of its run. */
    private void delivered(Instant done) {
        delivered.incrementAndGet();
        lastError = null;
        boolean wasPaused = pausedUntil != null;
        pausedUntil = null;
        if (breaker.onSuccess() || wasPaused) {
            LOG.info("outbox {}: delivering again", destination.name());
            health.report(new DestinationHealth(destination.name(), destination.kind(), Condition.RECOVERED, null,
                    0, 0, done));
        }
    }

    /**
     * Records a failed attempt.
     *
     * @return true when the entry left the head (dead) and the batch may go on
     */
    private boolean record(OutboxEntry e, DeliveryOutcome outcome, Instant done) throws StoreException {
        int attempts = e.attempts() + 1;
        String detail = outcome.detail() == null ? outcome.kind().name().toLowerCase(java.util.Locale.ROOT)
                : RemoteText.bounded(outcome.detail(), 500);
        return switch (outcome.kind()) {
            case DELIVERED -> throw new IllegalArgumentException("successes are marked in runs");
            case DEAD -> {
                boolean recorded = queue.markDead(e, attempts, done, detail);
                lastError = detail;
                pausedUntil = null;
                deadLetter(e, done, detail);
                yield recorded;
            }
            case RETRY -> {
                lastError = detail;
                pausedUntil = null;
                Optional<Duration> wait = schedule.next(attempts, outcome.retryAfter(), random);
                boolean recorded;
                if (wait.isPresent()) {
                    recorded = queue.scheduleRetry(e, attempts, done.plus(wait.get()), detail);
                    LOG.debug("outbox {}: entry {} attempt {} failed ({}), next in {}", destination.name(), e.id(), attempts,
                            detail, wait.get());
                } else {
                    String why = "gave up after " + attempts + " attempts; last: " + detail;
                    recorded = queue.markDead(e, attempts, done, why);
                    deadLetter(e, done, why);
                }
                if (breaker.onFailure(done)) {
                    LOG.warn("outbox {}: {} failures in a row, sending only a probe now and then; last: {}",
                            destination.name(), breaker.consecutiveFailures(), detail);
                    health.report(new DestinationHealth(destination.name(), destination.kind(), Condition.FAILING, detail,
                            breaker.consecutiveFailures(), 0, done));
                }
                yield wait.isEmpty() && recorded;
            }
            case PAUSE -> {
                lastError = detail;
                queue.noteError(e, "paused: " + detail);
                boolean first = pausedUntil == null;
                pauseProbe = first ? firstPauseProbe : min(pauseProbe.multipliedBy(2), maxPauseProbe);
                pausedUntil = done.plus(pauseProbe);
                if (first) {
                    LOG.warn("outbox {}: paused, the destination says it is broken: {}; trying again in {}",
                            destination.name(), detail, pauseProbe);
                    health.report(new DestinationHealth(destination.name(), destination.kind(), Condition.PAUSED, detail,
                            breaker.consecutiveFailures(), 0, done));
                }
                yield false;
            }
        };
    }

    private void deadLetter(OutboxEntry e, Instant now, String detail) {
        dead.incrementAndGet();
        deadSinceReport++;
        LOG.warn("outbox {}: entry {} ({} {}) is a dead letter: {}", destination.name(), e.id(), e.eventType(), e.eventId(),
                detail);
        if (lastDeadReport == null || !now.isBefore(lastDeadReport.plus(DEAD_LETTER_REPORT_INTERVAL))) {
            health.report(new DestinationHealth(destination.name(), destination.kind(), Condition.DEAD_LETTER, detail,
                    breaker.consecutiveFailures(), deadSinceReport, now));
            lastDeadReport = now;
            deadSinceReport = 0;
        }
    }

    public WorkerStatus status() {
        Instant paused = pausedUntil;
        String state;
        Instant probe = null;
        if (paused != null) {
            state = "paused";
            probe = paused;
        } else if (breaker.state() != CircuitBreaker.State.CLOSED) {
            state = "failing";
            probe = breaker.allowedFrom();
        } else {
            state = "ok";
        }
        return new WorkerStatus(destination.name(), destination.kind(), state, breaker.consecutiveFailures(), lastError,
                probe, delivered.get(), dead.get());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
