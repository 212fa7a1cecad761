package dev.bouncewatch.agent.run;

import dev.bouncewatch.agent.http.AgentStatus.SourceStatus;
import dev.bouncewatch.agent.parse.LogParser;
import dev.bouncewatch.agent.parse.SkipReason;
import dev.bouncewatch.agent.source.Source;
import dev.bouncewatch.agent.source.SourceHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * One source as the pipeline tracks it. The parser is used by the writer thread only; the figures
 * are published through volatile fields so status readers on other threads see whole values.
 */
final class SourceState {

    final Source source;
    final LogParser parser;
    private final Clock clock;

    private volatile long committedLines;
    private volatile long results;
    private volatile Instant lastLineTime;
    private volatile Instant lastCommitAt;
    private volatile Map<SkipReason, Long> skipped = Map.of();
    private volatile long invalidUtf8;

    // batches queued but not committed, and since when the oldest has waited
    private int pendingBatches;
    private long pendingBytes;
    private Instant pendingSince;

    SourceState(Source source, LogParser parser, Clock clock) {
        this.source = source;
        this.parser = parser;
        this.clock = clock;
    }

    synchronized void queued(long bytes) {
        if (pendingBatches++ == 0) {
            pendingSince = clock.instant();
        }
        pendingBytes += bytes;
    }

    /** Called by the writer thread after a commit that covered {@code batches} of this source's batches. */
    void committed(int batches, long bytes, int lines, int newResults, Instant newestLine) {
        synchronized (this) {
            pendingBatches -= batches;
            pendingBytes -= bytes;
            pendingSince = pendingBatches == 0 ? null : clock.instant();
        }
        committedLines += lines;
        results += newResults;
        if (newestLine != null && (lastLineTime == null || newestLine.isAfter(lastLineTime))) {
            lastLineTime = newestLine;
        }
        lastCommitAt = clock.instant();
        Map<SkipReason, Long> snapshot = new EnumMap<>(SkipReason.class);
        snapshot.putAll(parser.counters().skippedByReason());
        skipped = snapshot;
        invalidUtf8 = parser.counters().invalidUtf8Lines();
    }

    SourceStatus status() {
        SourceHealth health = source.health();
        long waitingBytes;
        double lagSeconds;
        synchronized (this) {
            waitingBytes = pendingBytes;
            lagSeconds = pendingSince == null ? 0
                    : Duration.between(pendingSince, clock.instant()).toMillis() / 1000.0;
        }
        if (health.lagBytes() != null) {
            health = new SourceHealth(health.id(), health.type(), health.target(), health.state(),
                    health.lagBytes() + waitingBytes, health.lastReadAt(), health.linesRead(), health.errors(),
                    health.lastError());
        }
        return new SourceStatus(health, committedLines, results, lastLineTime, lastCommitAt, Math.max(0, lagSeconds),
                skipped, invalidUtf8);
    }
}
