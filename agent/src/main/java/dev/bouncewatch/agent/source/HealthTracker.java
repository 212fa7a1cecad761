package dev.bouncewatch.agent.source;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mutable side of a {@link SourceHealth}: written by a source's own threads, read by
 * {@code /healthz} from any thread. Each field is independently up to date; a snapshot may mix a
 * counter from just before and a state from just after a change, which a health page tolerates.
 */
final class HealthTracker {

    private final String id;
    private final String type;
    private final String target;
    private final Clock clock;
    private final AtomicLong linesRead = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile SourceHealth.State state = SourceHealth.State.STOPPED;
    private volatile Instant lastReadAt;
    private volatile String lastError;

    HealthTracker(String id, String type, String target, Clock clock) {
        this.id = id;
        this.type = type;
        this.target = target;
        this.clock = clock;
    }

    void state(SourceHealth.State next) {
        state = next;
    }

    SourceHealth.State state() {
        return state;
    }

    /** {@code n} lines (or results) were handed over just now. */
    void read(long n) {
        if (n > 0) {
            linesRead.addAndGet(n);
            lastReadAt = clock.instant();
        }
    }

    /** Counts an error and keeps its message for {@code /healthz}. */
    void error(String message) {
        errors.incrementAndGet();
        lastError = message;
    }

    /** Keeps a message for {@code /healthz} without counting it (a warning the child printed). */
    void lastError(String message) {
        lastError = message;
    }

    /** Fails the source: counted, kept, and the state becomes {@code state}. */
    void fail(SourceHealth.State next, String message) {
        error(message);
        state = next;
    }

    SourceHealth snapshot() {
        return new SourceHealth(id, type, target, state, null, lastReadAt, linesRead.get(), errors.get(), lastError);
    }
}
