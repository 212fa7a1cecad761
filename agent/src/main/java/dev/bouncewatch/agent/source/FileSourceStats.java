package dev.bouncewatch.agent.source;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file source's counters and state, written by its reading thread and read by {@code /healthz}
 * from any thread.
 */
final class FileSourceStats {

    private final AtomicLong linesRead = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong linesCut = new AtomicLong();
    private volatile Instant lastReadAt;
    private volatile String lastError;
    private volatile Long lagBytes;
    private volatile boolean pathMissing;
    private volatile boolean failing;
    private volatile boolean stopped = true;

    void delivered(int lines, Instant at) {
        if (lines > 0) {
            linesRead.addAndGet(lines);
            lastReadAt = at;
        }
    }

    /** Counts an error that did not stop reading (it is logged where it happened). */
    void error(String message) {
        errors.incrementAndGet();
        lastError = message;
    }

    /** Reading stopped on an error and restarts after a pause. */
    void failed(String message) {
        error(message);
        failing = true;
    }

    /** A Tailer pass completed: reading works (again). */
    void passCompleted() {
        failing = false;
    }

    /** One more line longer than the limit; returns how many so far. */
    long lineCut() {
        return linesCut.incrementAndGet();
    }

    void pathMissing(boolean missing) {
        pathMissing = missing;
    }

    void lag(long bytes) {
        lagBytes = Math.max(0, bytes);
    }

    void running() {
        stopped = false;
    }

    void stopped() {
        stopped = true;
    }

    long linesRead() {
        return linesRead.get();
    }

    long errors() {
        return errors.get();
    }

    long linesCut() {
        return linesCut.get();
    }

    Instant lastReadAt() {
        return lastReadAt;
    }

    String lastError() {
        return lastError;
    }

    Long lagBytes() {
        return lagBytes;
    }

    SourceHealth.State state() {
        if (stopped) {
            return SourceHealth.State.STOPPED;
        }
        if (failing) {
            return SourceHealth.State.FAILING;
        }
        return pathMissing ? SourceHealth.State.WAITING : SourceHealth.State.RUNNING;
    }
}
