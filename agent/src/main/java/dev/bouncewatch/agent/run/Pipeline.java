package dev.bouncewatch.agent.run;

import dev.bouncewatch.agent.classify.Classifier;
import dev.bouncewatch.agent.classify.ClassifierInput;
import dev.bouncewatch.agent.http.AgentStatus.SourceStatus;
import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.notify.Notifier;
import dev.bouncewatch.agent.parse.LogParser;
import dev.bouncewatch.agent.source.Source;
import dev.bouncewatch.agent.source.SourceBatch;
import dev.bouncewatch.agent.source.SourceListener;
import dev.bouncewatch.agent.store.Store;
import dev.bouncewatch.agent.store.StoreException;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves batches from the sources into the store: parse, classify, then one transaction holding the
 * results, the suppressions they cause, the notifications they trigger and the sources' new
 * positions. A kill at any moment leaves either all of a batch or none of it, and the position says
 * which, so after a restart every line's results are in the store exactly once.
 *
 * <p>One writer thread does all of it: parsers correlate in line order and SQLite takes one writer
 * anyway. Several queued batches are committed together (group commit) to keep up with bursts.
 */
public final class Pipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    /** Lines per commit at most; a batch is never split. */
    private static final int MAX_LINES_PER_COMMIT = 20_000;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Store store;
    private final Classifier classifier;
    private final SuppressionDecider suppression;
    private final Notifier notifier;
    private final Consumer<CommittedBatch> afterCommit;
    private final Clock clock;
    private final BlockingQueue<SourceBatch> queue;
    private final Map<String, SourceState> states = new ConcurrentHashMap<>();
    private final Thread writer;
    private volatile boolean closing;

    public Pipeline(Store store, Classifier classifier, SuppressionDecider suppression, Notifier notifier,
                    Consumer<CommittedBatch> afterCommit, Clock clock, int queueCapacity) {
        this.store = Objects.requireNonNull(store, "store");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.suppression = Objects.requireNonNull(suppression, "suppression");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.afterCommit = Objects.requireNonNull(afterCommit, "afterCommit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.writer = new Thread(this::runWriter, "bouncewatch-writer");
    }

    /**
     * Registers a source with its own parser (queue ids correlate within one log only) and returns the
     * listener to start it with.
     */
    public SourceListener register(Source source, LogParser parser) {
        parser.startSource(clock.instant());
        SourceState state = new SourceState(source, parser, clock);
        if (states.putIfAbsent(source.id(), state) != null) {
            throw new IllegalArgumentException("two sources with the id " + source.id());
        }
        return batch -> {
            if (closing) {
                throw new InterruptedException("pipeline is closing");
            }
            state.queued(batch.readBytes());
            queue.put(batch);
        };
    }

    public void start() {
        writer.start();
    }

    public List<SourceStatus> sourceStatuses() {
        List<SourceStatus> out = new ArrayList<>();
        for (SourceState s : states.values()) {
            out.add(s.status());
        }
        out.sort((a, b) -> a.health().id().compareTo(b.health().id()));
        return out;
    }

    /** False once the writer thread has ended (it only ends when closing or interrupted). */
    public boolean isRunning() {
        return writer.isAlive();
    }

    /** Batches waiting for the writer. */
    public int queued() {
        return queue.size();
    }

    /**
     * Commits what is queued and stops the writer. Close the sources first so nothing more arrives;
     * what a source hands over after this is refused (its position is not saved, so it is read again
     * at the next start).
     */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.warn("writer did not finish within 60 s; {} batches stay uncommitted and are read again at the next start",
                    queue.size());
            writer.interrupt();
        }
    }

    private void runWriter() {
        List<SourceBatch> group = new ArrayList<>();
        while (true) {
            SourceBatch first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                if (closing) {
                    return;
                }
                continue;
            }
            group.clear();
            group.add(first);
            int lines = first.lines().size();
            while (lines < MAX_LINES_PER_COMMIT) {
                SourceBatch next = queue.poll();
                if (next == null) {
                    break;
                }
                group.add(next);
                lines += next.lines().size();
            }
            try {
                process(group);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void process(List<SourceBatch> group) throws InterruptedException {
        Instant now = clock.instant();
        List<StoredResult> results = new ArrayList<>();
        Map<String, String> positions = new LinkedHashMap<>();
        Map<String, BatchTally> tallies = new LinkedHashMap<>();
        for (SourceBatch batch : group) {
            SourceState state = states.get(batch.sourceId());
            BatchTally tally = tallies.computeIfAbsent(batch.sourceId(), id -> new BatchTally());
            tally.batches++;
            tally.bytes += batch.readBytes();
            tally.lines += batch.lines().size();
            for (String line : batch.lines()) {
                for (DeliveryResult r : state.parser.accept(line)) {
                    results.add(classified(batch.sourceId(), now, r, tally));
                }
            }
            for (DeliveryResult r : batch.results()) {
                results.add(classified(batch.sourceId(), now, r, tally));
            }
            if (batch.position() != null) {
                positions.put(batch.sourceId(), batch.position());
            }
        }
        int lineCount = tallies.values().stream().mapToInt(t -> t.lines).sum();
        CommittedBatch committed = commitWithRetry(results, positions, lineCount);
        if (committed == null) {
            return;
        }
        for (Map.Entry<String, BatchTally> e : tallies.entrySet()) {
            BatchTally t = e.getValue();
            states.get(e.getKey()).committed(t.batches, t.bytes, t.lines, t.results, t.newest);
        }
        try {
            afterCommit.accept(committed);
        } catch (RuntimeException e) {
            LOG.warn("after-commit hook failed: {}", e.toString());
        }
    }

    private StoredResult classified(String sourceId, Instant now, DeliveryResult r, BatchTally tally) {
        tally.results++;
        if (r.time() != null && (tally.newest == null || r.time().isAfter(tally.newest))) {
            tally.newest = r.time();
        }
        return new StoredResult(0, sourceId, now, r, classifier.classify(ClassifierInput.of(r)));
    }

    /**
     * Commits; on failure (disk full, database locked by an outside tool) waits and tries again with
     * the same parsed results, so the sources block instead of data being lost. Gives up only when the
     * agent is stopping: then the positions stay where they were and the lines are read again.
     */
    private CommittedBatch commitWithRetry(List<StoredResult> results, Map<String, String> positions,
                                            int lines) throws InterruptedException {
        Duration backoff = Duration.ofMillis(250);
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                CommittedBatch done = commit(results, positions, lines);
                if (attempt > 1) {
                    LOG.info("store writable again after {} attempts", attempt);
                }
                return done;
            } catch (StoreException | RuntimeException e) {
                if (closing && attempt >= 3) {
                    LOG.error("giving up on a batch of {} results while stopping; their lines are read again at the next start: {}",
                            results.size(), e.getMessage());
                    return null;
                }
                if (attempt == 1 || attempt % 20 == 0) {
                    LOG.error("cannot commit {} results (attempt {}), retrying: {}", results.size(), attempt,
                            e.getMessage());
                }
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private CommittedBatch commit(List<StoredResult> results, Map<String, String> positions, int lines)
            throws StoreException {
        return store.write(tx -> {
            List<StoredResult> inserted = new ArrayList<>(results.size());
            List<Suppression> added = new ArrayList<>();
            for (StoredResult r : results) {
                StoredResult withId = tx.insertResult(r);
                inserted.add(withId);
                suppression.apply(tx, withId).ifPresent(added::add);
            }
            for (Map.Entry<String, String> p : positions.entrySet()) {
                tx.saveCheckpoint(p.getKey(), p.getValue());
            }
            notifier.onBatch(tx, inserted, added);
            return new CommittedBatch(inserted, added, lines);
        });
    }

    private static final class BatchTally {
        int batches;
        long bytes;
        int lines;
        int results;
        Instant newest;
    }
}
